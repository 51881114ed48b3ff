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

/// Request numbers handed out over all connections of a closed-loop run with a request count.
final class RequestTickets: Sendable {
    private let next = Atomic<Int>(0)
    /// The next request number (0, 1, 2, … over all connections).
    func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
}

/// One connection's tally and the time of its last answer, written by the driver and the completions.
final class ConnectionRecorder: Sendable {
    private let state = Mutex<(tally: LoadTally, lastAnswer: ContinuousClock.Instant?)>((LoadTally(), nil))

    func sent(bytes: Int) {
        state.withLock {
            $0.tally.sent += 1
            $0.tally.bytesSent += UInt64(bytes)
        }
    }

    func delayed() { state.withLock { $0.tally.delayedSends += 1 } }

    /// Records one answer: its latency, status and, when OK, the values checked, verdict share and server timings.
    func answered(_ result: Result<CheckDriftResponse, DriftClientError>, latency: Duration, at instant: ContinuousClock.Instant,
                  values: UInt64) {
        state.withLock { s in
            s.tally.latency.record(latency)
            s.lastAnswer = instant
            switch result {
            case .success(let response):
                s.tally.statusCounts["OK", default: 0] += 1
                s.tally.valuesChecked += values
                if response.verdicts.contains(where: { $0.decision == .drift }) { s.tally.driftResponses += 1 }
                if response.approximate { s.tally.approximateResponses += 1 }
                s.tally.queueWaitUsSum += response.timings.queueWaitUs
                s.tally.decodeUsSum += response.timings.decodeUs
                s.tally.computeUsSum += response.timings.computeUs
            case .failure(let error):
                s.tally.statusCounts[error.status.name, default: 0] += 1
                if s.tally.firstError == nil { s.tally.firstError = error.description }
            }
        }
    }

    var snapshot: (LoadTally, ContinuousClock.Instant?) { state.withLock { ($0.tally, $0.lastAnswer) } }
}

/// The sending side of one connection.
struct ConnectionDriver: Sendable {
    let client: DriftClient
    let index: Int
    let connections: Int
    let source: String
    let pool: BlockPool
    let plan: LoadPlan
    let start: ContinuousClock.Instant
    let drainGrace: Duration
    let recorder: ConnectionRecorder
    let tickets: RequestTickets

    /// Sends until the plan is done, then waits for the outstanding answers.
    func drive() {
        let gate = SlotGate(slots: plan.inFlight)
        let end = plan.duration.map { start + $0 }
        switch plan.pacing {
        case .closedLoop:
            var k = 0
            while true {
                gate.acquire()
                if let end, ContinuousClock.now >= end { gate.release(); break }
                var requestIndex = k * connections + index
                if let limit = plan.requests {
                    requestIndex = tickets.take()
                    if requestIndex >= limit { gate.release(); break }
                }
                k += 1
                send(requestIndex, intended: ContinuousClock.now, gate: gate)
            }
        case .openLoop(let rate):
            let schedule = RateSchedule(rate: rate, connections: connections)
            var k = 0
            while true {
                let i = schedule.requestIndex(connection: index, sequence: k)
                k += 1
                if let limit = plan.requests, i >= limit { break }
                let offset = schedule.offset(ofRequest: i)
                if let duration = plan.duration, offset >= duration { break }
                let intended = start + offset
                sleep(until: intended)
                if !gate.tryAcquire() {
                    recorder.delayed()
                    gate.acquire()
                }
                send(i, intended: intended, gate: gate)
            }
        }
        let budget = Duration.milliseconds(Int(plan.budgetMs ?? client.configuration.defaultBudgetMs))
        _ = gate.waitUntilAllFree(timeout: budget + drainGrace)
    }

    private func send(_ requestIndex: Int, intended: ContinuousClock.Instant, gate: SlotGate) {
        let block = pool.blocks[requestIndex % pool.blocks.count]
        recorder.sent(bytes: block.bytes.count)
        let values = UInt64(block.rowCount * block.columnCount)
        let recorder = self.recorder
        client.checkDrift(source: source, block: block, budgetMs: plan.budgetMs, allowApproximate: plan.allowApproximate,
                          requestID: "") { result in
            let now = ContinuousClock.now
            recorder.answered(result, latency: now - intended, at: now, values: values)
            gate.release()
        }
    }
}
