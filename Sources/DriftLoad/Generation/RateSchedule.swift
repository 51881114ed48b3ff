/// When each request of an open-loop run is meant to be sent: request `i` (0-based, counted over all connections)
/// at `i / rate` seconds after the start, like wrk2. Connection `c` of `C` sends requests `c, c + C, c + 2C, …`,
/// so the connections interleave evenly and together keep the total rate with no shared counter.
///
/// Latency is measured from these intended times, not from when a request actually went out: a server stall
/// that delays sending shows up in the latency of every request that should have been sent during it
/// (no coordinated omission).
public struct RateSchedule: Sendable, Equatable {
    /// Requests per second, over all connections (> 0).
    public let rate: Double
    public let connections: Int

    public init(rate: Double, connections: Int) {
        precondition(rate > 0 && rate.isFinite, "the rate must be positive and finite")
        precondition(connections >= 1, "at least one connection")
        self.rate = rate
        self.connections = connections
    }

    /// The global index of connection `connection`'s `k`-th request.
    public func requestIndex(connection: Int, sequence k: Int) -> Int {
        connection + k * connections
    }

    /// When request `index` is meant to be sent, after the start of the run.
    public func offset(ofRequest index: Int) -> Duration {
        let ns = (Double(index) * 1e9 / rate).rounded()
        return .nanoseconds(Int64(ns))
    }

    /// When connection `connection`'s `k`-th request is meant to be sent, after the start of the run.
    public func offset(connection: Int, sequence k: Int) -> Duration {
        offset(ofRequest: requestIndex(connection: connection, sequence: k))
    }

    /// How many requests are due in the first `duration` (those with an offset below it).
    public func requestsDue(within duration: Duration) -> Int {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        guard seconds > 0 else { return 0 }
        var n = Int((seconds * rate).rounded(.up))
        while n > 0 && offset(ofRequest: n - 1) >= duration { n -= 1 }
        while offset(ofRequest: n) < duration { n += 1 }
        return n
    }
}
