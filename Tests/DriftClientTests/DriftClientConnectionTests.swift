import DriftFakeServer
import DriftClient
import DriftServer
import DriftWire
import Dispatch
import Foundation
import Synchronization
import Testing

extension DriftClientTests {
    @Test("server stopped mid-session: pending calls fail UNAVAILABLE; restarted on the same port, the next call reconnects")
    func serverStopAndRestart() throws {
        let fx = try ServerFixture(workers: 1)
        defer { fx.close() }
        let client = try fx.client()
        defer { client.close() }
        #expect(try client.createSource(SourceSpec(name: "payments", features: features)))
        let put = try client.putBaseline(source: "payments", blocks: [try block(rows: 4000, seed: 1)])

        // Large checks queue up behind each other on the one worker; the server stops while they are in flight.
        let big = try block(rows: 400_000, seed: 9)
        let calls = 4
        let results = Mutex<[Result<CheckDriftResponse, DriftClientError>]>([])
        let done = DispatchSemaphore(value: 0)
        for i in 0..<calls {
            client.checkDrift(source: "payments", block: big, requestID: "big\(i)") { result in
                results.withLock { $0.append(result) }
                done.signal()
            }
        }
        fx.stop()
        for _ in 0..<calls { #expect(done.wait(timeout: .now() + 60) == .success) }
        let outcomes = results.withLock { $0 }
        for case .failure(let e) in outcomes {
            #expect(e.status == .unavailable, "\(e)")
            #expect(e.retryable)
        }
        let failed = outcomes.filter { if case .failure = $0 { true } else { false } }.count
        #expect(failed >= 1)  // at least the last of the queued checks cannot have been answered

        try fx.restart()
        let again = try client.getSource("payments")
        #expect(again.baselineID == put.baselineID)
        #expect(client.statistics.connectionsOpened == 2)
    }

    @Test("connection lost with a call pending: UNAVAILABLE with a clear message; reconnect off: later calls fail")
    func connectionLost() throws {
        let fake = try FakeServer { c, _ in
            _ = c.receiveRequest()  // then hang up without answering
        }
        defer { fake.stop() }
        var config = DriftClientConfiguration(port: fake.port)
        config.reconnect = false
        let client = try DriftClient(configuration: config)
        defer { client.close() }
        let lost = try #require(caught { try client.serverStats() })
        #expect(lost.status == .unavailable)
        #expect(lost.origin == .connection)
        #expect(lost.retryable)
        #expect(lost.message.contains("connection to driftd at 127.0.0.1:\(fake.port) lost: driftd closed the connection"))

        let after = try #require(caught { try client.serverStats() })
        #expect(after.status == .unavailable)
        #expect(after.message.contains("reconnect is disabled"))
        #expect(fake.accepted.load(ordering: .relaxed) == 1)
    }

    @Test("GOAWAY: streams up to last_stream_id complete, later ones fail UNAVAILABLE (retryable); the next call reconnects")
    func goAway() throws {
        let fake = try FakeServer { c, index in
            if index == 0 {
                var requests: [Frame] = []
                while requests.count < 3, let r = c.receiveRequest() { requests.append(r) }
                let sorted = requests.sorted { $0.header.streamID < $1.header.streamID }
                c.goAway(lastStreamID: sorted[1].header.streamID, message: "draining for restart")
                for r in sorted.prefix(2) { c.respond(to: r, metadata: r.metadata) }
                return  // closes
            }
            while let r = c.receiveRequest() { c.respond(to: r, metadata: r.metadata) }
        }
        defer { fake.stop() }
        let client = try DriftClient(configuration: DriftClientConfiguration(port: fake.port))
        defer { client.close() }

        let results = Mutex<[Int: Result<[UInt8], DriftClientError>]>([:])
        let done = DispatchSemaphore(value: 0)
        for i in 0..<3 {
            // One at a time onto the wire, so stream ids follow i.
            client.send(method: .getSource, metadata: GetSourceRequest(name: "s\(i)").encode()) { r in
                results.withLock { $0[i] = r }
                done.signal()
            }
        }
        for _ in 0..<3 { #expect(done.wait(timeout: .now() + 30) == .success) }
        let r = results.withLock { $0 }
        #expect((try? r[0]?.get()) == GetSourceRequest(name: "s0").encode())
        #expect((try? r[1]?.get()) == GetSourceRequest(name: "s1").encode())
        guard case .failure(let e)? = r[2] else {
            Issue.record("stream 3 should have failed, got \(String(describing: r[2]))")
            return
        }
        #expect(e.status == .unavailable)
        #expect(e.retryable)
        #expect(e.origin == .server)
        #expect(e.message.contains("draining for restart"))
        #expect(e.message.contains("did not process"))

        let echoed = try client.call(method: .getSource, metadata: GetSourceRequest(name: "after").encode())
        #expect(echoed == GetSourceRequest(name: "after").encode())
        #expect(client.statistics.connectionsOpened == 2)
    }

    @Test("failed reconnects back off: a call during the pause fails fast with the connect error and a retry-after")
    func reconnectBackoff() throws {
        let fx = try ServerFixture()
        defer { fx.close() }
        let client = try fx.client { $0.reconnectBackoffInitialMs = 60_000 }
        defer { client.close() }
        #expect(try client.listSources() == [])
        fx.stop()
        let first = try #require(caught { try client.listSources() })
        #expect(first.status == .unavailable)
        // The loss (or the GOAWAY) fails the call; the attempt to reconnect after it is refused.
        let refused = first.message.contains("connection refused") ? first : try #require(caught { try client.listSources() })
        #expect(refused.message.contains("connection refused (is driftd running?)"))
        let paused = try #require(caught { try client.listSources() })
        #expect(paused.message == refused.message)
        #expect(paused.retryable)
        #expect((paused.retryAfterMs ?? 0) > 0)
    }

    @Test("ping round-trips; a second ping sooner than keepalive_min_interval_ms is refused locally")
    func ping() throws {
        let fx = try ServerFixture()
        defer { fx.close() }
        let client = try fx.client()
        defer { client.close() }
        let rtt = try client.ping()
        #expect(rtt > .zero)
        let tooSoon = try #require(caught { try client.ping() })
        #expect(tooSoon.status == .resourceExhausted)
        #expect(tooSoon.origin == .local)
        #expect(tooSoon.retryable)
        #expect((tooSoon.retryAfterMs ?? 0) > 0)
    }

    @Test("close() is idempotent; pending calls fail UNAVAILABLE and later calls fail at once")
    func closeIsIdempotent() throws {
        let received = Atomic<Int>(0)
        let fake = try FakeServer { c, _ in
            while c.receiveRequest() != nil { received.add(1, ordering: .relaxed) }  // never answers
        }
        defer { fake.stop() }
        let client = try DriftClient(configuration: DriftClientConfiguration(port: fake.port))
        let pending = Mutex<DriftClientError?>(nil)
        let done = DispatchSemaphore(value: 0)
        client.send(method: .serverStats, metadata: []) { result in
            if case .failure(let e) = result { pending.withLock { $0 = e } }
            done.signal()
        }
        #expect(eventually { received.load(ordering: .relaxed) == 1 })
        client.close()
        client.close()
        #expect(done.wait(timeout: .now() + 10) == .success)
        let e = try #require(pending.withLock { $0 })
        #expect(e.status == .unavailable)
        #expect(e.message == "the DriftClient was closed")
        let later = try #require(caught { try client.serverStats() })
        #expect(later.status == .unavailable)
        #expect(later.message == "the DriftClient was closed")
        client.close()
    }

    @Test("a multi-block upload interrupted by a lost connection fails and is not retried")
    func interruptedUpload() throws {
        let blockCounts = Mutex<[UInt32]>([])
        let fake = try FakeServer { c, _ in
            guard let first = c.receiveRequest(), let req = try? PutBaselineRequest.decode(first.metadata) else { return }
            blockCounts.withLock { $0.append(req.blockCount) }
            c.respond(to: first, metadata: PutBaselineResponse(rows: 100).encode())
            // Hang up after the first block.
        }
        defer { fake.stop() }
        let client = try DriftClient(configuration: DriftClientConfiguration(port: fake.port))
        defer { client.close() }
        let blocks = try (0..<3).map { try block(rows: 100, seed: UInt64($0)) }
        let error = try #require(caught { try client.putBaseline(source: "payments", blocks: blocks) })
        #expect(error.status == .unavailable)
        #expect(error.message.contains("baseline upload of 'payments' interrupted after 1 of 3 blocks and not retried"))
        #expect(blockCounts.withLock { $0 } == [1])
        #expect(fake.accepted.load(ordering: .relaxed) == 1)
    }

    @Test("a baseline uploaded in several blocks")
    func multiBlockUpload() throws {
        let fx = try ServerFixture()
        defer { fx.close() }
        let client = try fx.client()
        defer { client.close() }
        #expect(try client.createSource(SourceSpec(name: "payments", features: features)))
        let blocks = try (0..<3).map { try block(rows: 1500, seed: 10 + UInt64($0)) }
        let put = try client.putBaseline(source: "payments", blocks: blocks)
        #expect(put.baselineID > 0)
        #expect(put.rows == 4500)
        let drift = try client.checkDrift(source: "payments", block: try block(rows: 2000, seed: 99, xShift: 1))
        #expect(drift.baselineID == put.baselineID)
        #expect(drift.verdicts[0].baselineN == 4500)
        #expect(drift.verdicts[0].decision == .drift)
    }
}
