import DriftClient
import DriftWire

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
                ContinuousClock.blockingSleep(until: intended)
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
        if let ingest = plan.ingest {
            let metadata = IngestRequest(source: source, idempotencyKey: "\(ingest.keyPrefix)-\(requestIndex)",
                                         blockTimestampMs: ingest.baseMs &+ Int64(requestIndex) &* ingest.stepMs,
                                         allowLate: true).encode()
            client.send(method: .ingest, metadata: metadata, body: block, budgetMs: plan.budgetMs) { result in
                let now = ContinuousClock.now
                recorder.answered(ingest: result.flatMap { bytes in
                    Result { () throws(DriftClientError) in
                        do { return try IngestResponse.decode(bytes) } catch {
                            throw DriftClientError(status: .internal, message: "undecodable IngestResponse: \(error)",
                                                   origin: .local)
                        }
                    }
                }, latency: now - intended, at: now, values: values)
                gate.release()
            }
            return
        }
        client.checkDrift(source: source, block: block, budgetMs: plan.budgetMs, allowApproximate: plan.allowApproximate,
                          requestID: "") { result in
            let now = ContinuousClock.now
            recorder.answered(result, latency: now - intended, at: now, values: values)
            gate.release()
        }
    }
}
