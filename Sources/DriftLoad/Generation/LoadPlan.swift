/// How one phase of a load test drives the server.
public struct LoadPlan: Sendable, Equatable {
    public enum Pacing: Sendable, Equatable {
        /// Each connection keeps `inFlight` requests outstanding: a new one goes out as soon as one is answered.
        case closedLoop
        /// Requests go out at `rate` per second in total, at fixed intervals, latency counted from the intended
        /// send time; never more than `inFlight` outstanding per connection (a request that finds every slot
        /// busy waits for one and is counted as delayed).
        case openLoop(rate: Double)
    }

    public var pacing: Pacing
    /// Requests outstanding at most per connection (≥ 1).
    public var inFlight: Int
    /// Stop sending after this long (when set).
    public var duration: Duration?
    /// Stop after this many requests over all connections (when set).
    public var requests: Int?
    /// Latency budget per request (nil: the client's default).
    public var budgetMs: UInt32?
    /// Let the server answer approximately to meet the budget.
    public var allowApproximate: Bool
    /// Send Ingest instead of CheckDrift (nil: CheckDrift).
    public var ingest: IngestPlan?

    /// How the requests of an Ingest phase are keyed and timed: request i carries the idempotency key
    /// `keyPrefix-i` and the event time `baseMs + i · stepMs`, and accepts late rows (several connections finish
    /// their requests slightly out of order).
    public struct IngestPlan: Sendable, Equatable {
        public var keyPrefix: String
        public var baseMs: Int64
        public var stepMs: Int64
        public init(keyPrefix: String, baseMs: Int64, stepMs: Int64) {
            self.keyPrefix = keyPrefix
            self.baseMs = baseMs
            self.stepMs = stepMs
        }
    }

    public init(pacing: Pacing, inFlight: Int, duration: Duration? = nil, requests: Int? = nil, budgetMs: UInt32? = nil,
                allowApproximate: Bool = false, ingest: IngestPlan? = nil) {
        precondition(inFlight >= 1, "at least one request in flight")
        precondition(duration != nil || requests != nil, "a phase needs a duration or a request count")
        self.pacing = pacing
        self.inFlight = inFlight
        self.duration = duration
        self.requests = requests
        self.budgetMs = budgetMs
        self.allowApproximate = allowApproximate
        self.ingest = ingest
    }
}
