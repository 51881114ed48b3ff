/// What one connection (or a whole run, after merging) saw: latencies, outcomes, bytes and server timings.
public struct LoadTally: Sendable, Equatable {
    /// Latency of every completed request (OK or not), from its intended send time.
    public var latency = LatencyHistogram()
    /// Requests sent.
    public var sent = 0
    /// Compressed body bytes of the requests sent.
    public var bytesSent: UInt64 = 0
    /// Completed requests by status name (`OK`, `DEADLINE_EXCEEDED`, …).
    public var statusCounts: [String: Int] = [:]
    /// Feature values (rows × features) in requests answered OK.
    public var valuesChecked: UInt64 = 0
    /// OK responses with at least one feature verdict `drift`.
    public var driftResponses = 0
    /// OK responses flagged approximate.
    public var approximateResponses = 0
    /// Sums of the server's timings over OK responses, microseconds.
    public var queueWaitUsSum: UInt64 = 0
    public var decodeUsSum: UInt64 = 0
    public var computeUsSum: UInt64 = 0
    /// Open loop: requests that found every in-flight slot of their connection busy at their intended send time
    /// and went out late (their latency still counts from the intended time).
    public var delayedSends = 0
    /// The first error answer's description (status and message), to show what went wrong.
    public var firstError: String?

    public init() {}

    /// Requests answered (any status).
    public var completed: Int { statusCounts.values.reduce(0, +) }
    /// Requests answered OK.
    public var ok: Int { statusCounts["OK"] ?? 0 }

    /// Adds `other` into this tally.
    public mutating func merge(_ other: LoadTally) {
        latency.merge(other.latency)
        sent += other.sent
        bytesSent += other.bytesSent
        for (k, v) in other.statusCounts { statusCounts[k, default: 0] += v }
        valuesChecked += other.valuesChecked
        driftResponses += other.driftResponses
        approximateResponses += other.approximateResponses
        queueWaitUsSum += other.queueWaitUsSum
        decodeUsSum += other.decodeUsSum
        computeUsSum += other.computeUsSum
        delayedSends += other.delayedSends
        if firstError == nil { firstError = other.firstError }
    }
}
