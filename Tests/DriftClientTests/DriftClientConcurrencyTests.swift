import DriftFakeServer
import DriftClient
import DriftWire
import Dispatch
import Foundation
import Synchronization
import Testing

extension DriftClientTests {
    @Test("many threads × many concurrent checkDrift calls on one client: all answered, each with its own verdicts")
    func concurrentChecks() throws {
        let fx = try ServerFixture(workers: 2, maxConcurrentStreams: 4)
        defer { fx.close() }
        let client = try fx.client()
        defer { client.close() }
        #expect(client.limits.maxConcurrentStreams == 4)
        #expect(try client.createSource(SourceSpec(name: "payments", features: features)))
        _ = try client.putBaseline(source: "payments", blocks: [try block(rows: 4000, seed: 1)])

        // Eight distinct blocks: the row count identifies the block in its answer; odd ones are shifted by 3σ.
        struct Case { var rows: Int; var shifted: Bool; var block: EncodedBlock }
        let cases = try (0..<8).map { k in
            Case(rows: 300 + 10 * k, shifted: k % 2 == 1, block: try block(rows: 300 + 10 * k, seed: 100 + UInt64(k),
                                                                           xShift: k % 2 == 1 ? 3 : 0))
        }
        let problems = Mutex<[String]>([])
        let answered = Atomic<Int>(0)
        @Sendable func check(_ k: Int, _ result: Result<CheckDriftResponse, DriftClientError>) {
            answered.add(1, ordering: .relaxed)
            switch result {
            case .failure(let e):
                problems.withLock { $0.append("case \(k): \(e)") }
            case .success(let r):
                let x = r.verdicts.first
                let expected: FeatureVerdict.Decision = cases[k].shifted ? .drift : .stable
                if x?.currentN != UInt64(cases[k].rows) || x?.decision != expected || r.verdicts.count != 2 {
                    problems.withLock { $0.append("case \(k): got \(String(describing: x))") }
                }
            }
        }

        let threads = 8, callsPerThread = 6
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for j in 0..<callsPerThread {
                let k = (t + j) % cases.count
                check(k, Result { () throws(DriftClientError) in
                    try client.checkDrift(source: "payments", block: cases[k].block, requestID: "t\(t)-\(j)")
                })
            }
        }
        // The completion-handler variant, sent from one thread faster than the slots free up.
        let done = DispatchSemaphore(value: 0)
        let callbacks = 16
        for i in 0..<callbacks {
            let k = i % cases.count
            client.checkDrift(source: "payments", block: cases[k].block, requestID: "cb\(i)") { result in
                check(k, result)
                done.signal()
            }
        }
        for _ in 0..<callbacks { #expect(done.wait(timeout: .now() + 60) == .success) }

        #expect(problems.withLock { $0 } == [])
        #expect(answered.load(ordering: .relaxed) == threads * callsPerThread + callbacks)
        let stats = client.statistics
        #expect(stats.peakInFlight >= 1 && stats.peakInFlight <= 4)
        #expect(stats.inFlight == 0)
        #expect(stats.responsesReceived == stats.requestsSent)
        #expect(stats.connectionsOpened == 1)
    }

    @Test("in flight never exceeds the announced maxConcurrentStreams; answers out of order reach their callers")
    func streamLimitSeenByServer() throws {
        let total = 40, limit = 4
        let peak = Atomic<Int>(0)
        let violations = Atomic<Int>(0)
        // Holds requests until `limit` are outstanding (or all have arrived), then answers them newest first, each
        // with its own request metadata echoed back.
        let fake = try FakeServer(ack: FakeServer.okAck(ConnectionLimits(maxConcurrentStreams: UInt32(limit)))) { c, _ in
            var received = 0
            var held: [Frame] = []
            while received < total, let r = c.receiveRequest() {
                received += 1
                held.append(r)
                peak.max(held.count, ordering: .relaxed)
                if held.count > limit { violations.add(1, ordering: .relaxed) }
                if held.count >= limit || received == total {
                    for f in held.reversed() { c.respond(to: f, metadata: f.metadata) }
                    held.removeAll()
                }
            }
            _ = c.receive()  // until the client closes
        }
        defer { fake.stop() }
        let client = try DriftClient(configuration: DriftClientConfiguration(port: fake.port))
        defer { client.close() }
        #expect(client.limits.maxConcurrentStreams == UInt32(limit))

        let order = Mutex<[Int]>([])
        let mismatches = Atomic<Int>(0)
        let done = DispatchSemaphore(value: 0)
        for i in 0..<total {
            let metadata = GetSourceRequest(name: "call-\(i)").encode()
            client.send(method: .getSource, metadata: metadata) { result in
                if (try? result.get()) != metadata { mismatches.add(1, ordering: .relaxed) }
                order.withLock { $0.append(i) }
                done.signal()
            }
        }
        for _ in 0..<total { #expect(done.wait(timeout: .now() + 60) == .success) }
        #expect(mismatches.load(ordering: .relaxed) == 0)
        #expect(violations.load(ordering: .relaxed) == 0)
        #expect(peak.load(ordering: .relaxed) == limit)
        #expect(client.statistics.peakInFlight == limit)
        let completed = order.withLock { $0 }
        #expect(completed.count == total)
        #expect(Array(completed.prefix(limit)) == Array((0..<limit).reversed()))  // newest first, as answered
    }
}
