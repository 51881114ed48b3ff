/// The result of one load phase: how it was driven and what the tally and the server's counters say.
public struct LoadReport: Sendable, Equatable {
    /// Closed loop keeps `inFlight` requests outstanding per connection; open loop sends at a fixed rate.
    public enum Mode: String, Sendable, Equatable {
        case closed
        case open
    }

    /// A name for the phase: "closed", "open 50%", …
    public var phase: String
    public var mode: Mode
    /// Open loop: the intended requests per second over all connections.
    public var targetRate: Double?
    public var connections: Int
    public var inFlight: Int
    public var rowsPerRequest: Int
    public var featuresPerRequest: Int
    /// From the first send to the last answer.
    public var duration: Duration
    public var tally: LoadTally
    /// The growth of the server's `budget_misses_total` over the phase (nil when stats were unavailable).
    public var serverBudgetMisses: UInt64?

    public init(phase: String, mode: Mode, targetRate: Double?, connections: Int, inFlight: Int, rowsPerRequest: Int,
                featuresPerRequest: Int, duration: Duration, tally: LoadTally, serverBudgetMisses: UInt64?) {
        self.phase = phase
        self.mode = mode
        self.targetRate = targetRate
        self.connections = connections
        self.inFlight = inFlight
        self.rowsPerRequest = rowsPerRequest
        self.featuresPerRequest = featuresPerRequest
        self.duration = duration
        self.tally = tally
        self.serverBudgetMisses = serverBudgetMisses
    }

    public var durationSeconds: Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    private func perSecond(_ x: Double) -> Double { durationSeconds > 0 ? x / durationSeconds : 0 }

    /// Answered requests per second.
    public var requestsPerSecond: Double { perSecond(Double(tally.completed)) }
    /// Feature values per second in OK answers.
    public var valuesPerSecond: Double { perSecond(Double(tally.valuesChecked)) }
    /// Compressed request bytes sent per second, in MB (10⁶ bytes).
    public var megabytesPerSecond: Double { perSecond(Double(tally.bytesSent) / 1e6) }
    /// DEADLINE_EXCEEDED answers the client saw.
    public var clientDeadlineExceeded: Int { tally.statusCounts["DEADLINE_EXCEEDED"] ?? 0 }
    /// Answers other than OK.
    public var errors: Int { tally.completed - tally.ok }

    private func meanOverOK(_ sum: UInt64) -> Double? { tally.ok == 0 ? nil : Double(sum) / Double(tally.ok) }
    public var meanQueueWaitUs: Double? { meanOverOK(tally.queueWaitUsSum) }
    public var meanDecodeUs: Double? { meanOverOK(tally.decodeUsSum) }
    public var meanComputeUs: Double? { meanOverOK(tally.computeUsSum) }
    /// Fraction of OK answers with a drift verdict on some feature.
    public var driftShare: Double? { tally.ok == 0 ? nil : Double(tally.driftResponses) / Double(tally.ok) }
    /// Fraction of OK answers flagged approximate.
    public var approximateShare: Double? { tally.ok == 0 ? nil : Double(tally.approximateResponses) / Double(tally.ok) }
}
