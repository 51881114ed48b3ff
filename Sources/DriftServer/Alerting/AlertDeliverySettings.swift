/// How the delivery worker retries: exponential backoff with jitter between `initialBackoffMs` and
/// `maximumBackoffMs`, until a row is `maximumAgeMs` old (then it is given up).
public struct AlertDeliverySettings: Sendable, Equatable {
    /// The wait after the first retryable failure (1 s); doubled after each further one.
    public var initialBackoffMs: Int64
    /// The largest wait between two attempts (5 min).
    public var maximumBackoffMs: Int64
    /// A notification still undelivered this long after it was written is given up (24 h).
    public var maximumAgeMs: Int64

    public init(initialBackoffMs: Int64 = 1_000, maximumBackoffMs: Int64 = 300_000, maximumAgeMs: Int64 = 86_400_000) {
        precondition(initialBackoffMs > 0 && maximumBackoffMs >= initialBackoffMs && maximumAgeMs > 0,
                     "positive backoff, cap at least the first wait, positive maximum age")
        self.initialBackoffMs = initialBackoffMs
        self.maximumBackoffMs = maximumBackoffMs
        self.maximumAgeMs = maximumAgeMs
    }

    /// The wait before attempt `attempts + 1` after `attempts` failed ones (≥ 1): `initial · 2^(attempts−1)`
    /// capped at the maximum, then scaled by `jitter` ∈ [0.5, 1] ("equal jitter": never less than half the
    /// backoff, so a crowd of retries spreads out without retrying early).
    public func backoffMs(afterAttempts attempts: Int64, jitter: Double) -> Int64 {
        let shift = min(max(attempts - 1, 0), 40)
        let (doubled, overflow) = initialBackoffMs.multipliedReportingOverflow(by: Int64(1) << shift)
        let base = overflow ? maximumBackoffMs : min(doubled, maximumBackoffMs)
        let j = min(max(jitter, 0.5), 1)
        return max(1, Int64(Double(base) * j))
    }
}
