import Dispatch
import DriftClient
import DriftWire
import Synchronization

/// Sends CheckDrift requests over a set of connections according to a `LoadPlan` and tallies the answers.
///
/// One driver thread per connection paces the sends (closed or open loop); answers arrive on the client's
/// completion threads, which record the latency (from the intended send time) into the connection's tally and
/// free the slot. A run ends when the duration is over or the request count is reached and every outstanding
/// request has been answered.
public struct LoadGenerator: Sendable {
    public let clients: [DriftClient]
    public let source: String
    public let pool: BlockPool
    /// How long past its budget an unanswered request is waited for at the end of a run before giving up.
    public var drainGrace: Duration = .seconds(30)

    public init(clients: [DriftClient], source: String, pool: BlockPool) {
        precondition(!clients.isEmpty, "at least one connection")
        precondition(!pool.blocks.isEmpty, "at least one block")
        self.clients = clients
        self.source = source
        self.pool = pool
    }

    /// Runs `plan` once and returns the merged tally and the time from the start to the last answer.
    public func run(_ plan: LoadPlan) -> (tally: LoadTally, duration: Duration) {
        let connections = clients.count
        let tickets = RequestTickets()
        let group = DispatchGroup()
        let recorders = (0..<connections).map { _ in ConnectionRecorder() }
        let start = ContinuousClock.now
        for c in 0..<connections {
            let driver = ConnectionDriver(client: clients[c], index: c, connections: connections, source: source,
                                          pool: pool, plan: plan, start: start, drainGrace: drainGrace,
                                          recorder: recorders[c], tickets: tickets)
            DispatchQueue(label: "driftctl.load.\(c)").async(group: group) { driver.drive() }
        }
        group.wait()
        var tally = LoadTally()
        var end = start
        for r in recorders {
            let (t, last) = r.snapshot
            tally.merge(t)
            if let last, last > end { end = last }
        }
        return (tally, end - start)
    }
}
