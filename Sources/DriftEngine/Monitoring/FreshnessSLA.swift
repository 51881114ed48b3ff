/// A source's freshness service-level agreement; either rule may be absent.
public struct FreshnessSLA: Sendable, Equatable {
    /// The newest event time must be at most this old (ms), e.g. 24 h for features computed daily.
    public var maxEventAgeMs: Int64?
    /// A batch must arrive at least this often (ms).
    public var maxArrivalIntervalMs: Int64?

    public init(maxEventAgeMs: Int64? = nil, maxArrivalIntervalMs: Int64? = nil) {
        self.maxEventAgeMs = maxEventAgeMs
        self.maxArrivalIntervalMs = maxArrivalIntervalMs
    }
}
