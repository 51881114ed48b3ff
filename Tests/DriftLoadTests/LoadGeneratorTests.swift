import DriftClient
import DriftServer
import DriftWire
import Foundation
import Testing
@testable import DriftLoad

/// The generator against an in-process driftd (127.0.0.1:0, temporary store).
@Suite("LoadGenerator and LoadTest against an in-process driftd")
struct LoadGeneratorTests {
    final class Server: @unchecked Sendable {
        let dir: String
        let server: DriftServer
        init(limits: FrameLimits = .default) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("driftload-tests-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            server = try DriftServer(configuration: DriftServerConfiguration(storePath: dir + "/store.sqlite", limits: limits))
        }
        func configuration() -> LoadConfiguration {
            var c = LoadConfiguration(client: DriftClientConfiguration(port: server.port))
            c.features = 3
            c.rows = 500
            c.baselineRows = 5000
            c.blockPool = 4
            return c
        }
        func close() {
            server.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    @Test("closed loop with a request count: exactly that many sent and answered, over every connection")
    func closedLoopCount() throws {
        let s = try Server()
        defer { s.close() }
        var c = s.configuration()
        c.requests = 40
        c.connections = 3
        c.inFlight = 2
        c.driftShare = 0.25
        let reports = try LoadTest(configuration: c).run()
        #expect(reports.count == 1)
        let r = reports[0]
        #expect(r.mode == .closed && r.phase == "closed" && r.targetRate == nil)
        #expect(r.tally.sent == 40 && r.tally.ok == 40 && r.tally.latency.count == 40)
        #expect(r.tally.valuesChecked == 40 * 500 * 3)
        #expect(r.tally.driftResponses == 10)   // one block in four is drifted; requests go round the pool
        #expect(r.serverBudgetMisses == 0 && r.tally.delayedSends == 0)
        // Each of the 4 pool blocks went out 10 times: the bytes are those of the pool, ten times over.
        let pool = try BlockPool(dataset: LoadTest(configuration: c).dataset, encoding: .plain,
                                 planner: BlockPlanner(limits: ConnectionLimits()))
        #expect(r.tally.bytesSent == 10 * UInt64(pool.totalBytes))
        #expect(pool.drifted == [false, false, false, true])
    }

    @Test("ingest: every request folded once (own key, advancing event time); a second run goes on after it")
    func ingestMethod() throws {
        let s = try Server()
        defer { s.close() }
        var c = s.configuration()
        c.method = .ingest
        c.requests = 30
        c.connections = 2
        c.inFlight = 2
        c.blocksPerWindow = 5
        #expect(LoadTest(configuration: c).sourceSpec.monitoring != nil)
        #expect(c.sourceName == "load-3f-ingest")
        for _ in 0..<2 {
            let r = try LoadTest(configuration: c).run()[0]
            #expect(r.tally.sent == 30 && r.tally.ok == 30, "\(r.tally.statusCounts) \(r.tally.firstError ?? "")")
            #expect(r.tally.statusCounts["OK duplicate"] == nil)
            #expect(r.tally.valuesChecked == 30 * 500 * 3)
        }
        // The windows were decided while the load ran: the source has a closed window and no late rows.
        let client = try DriftClient(configuration: DriftClientConfiguration(port: s.server.port))
        defer { client.close() }
        let status = try client.sourceStatus(c.sourceName)
        #expect(status.lastClosedWindow != nil)
        #expect(status.lateRows == 0)
    }

    @Test("open loop: requests go out on the schedule's indices, latency counted for every one")
    func openLoop() throws {
        let s = try Server()
        defer { s.close() }
        var c = s.configuration()
        c.rate = 400
        c.requests = 24
        c.connections = 2
        c.inFlight = 1
        let r = try LoadTest(configuration: c).run()[0]
        #expect(r.mode == .open && r.targetRate == 400)
        #expect(r.tally.sent == 24 && r.tally.completed == 24 && r.tally.ok == 24)
        #expect(r.tally.delayedSends <= 24)
        // 24 requests at 400/s: the last one is due at 57.5 ms, so the phase lasts at least that long.
        #expect(r.duration >= .microseconds(57_500))
    }

    @Test("a duration-limited closed loop stops and drains: everything sent is answered")
    func duration() throws {
        let s = try Server()
        defer { s.close() }
        var c = s.configuration()
        c.duration = .milliseconds(300)
        c.connections = 1
        let r = try LoadTest(configuration: c).run()[0]
        #expect(r.tally.sent > 0 && r.tally.completed == r.tally.sent && r.tally.ok == r.tally.sent)
        #expect(r.duration >= .milliseconds(300))
    }

    /// Needs multi-block PutBaseline on the server (UNIMPLEMENTED until it lands).
    @Test("a baseline larger than one frame goes up in several blocks; --reuse-baseline then skips the upload")
    func multiBlockBaseline() throws {
        let s = try Server(limits: FrameLimits(maxFrameBody: 64 << 10))
        defer { s.close() }
        var c = s.configuration()
        c.baselineRows = 20_000   // 20 000 × 3 float32 = 240 kB: at least four 64 KiB frames
        c.requests = 8
        let r = try LoadTest(configuration: c).run()[0]
        #expect(r.tally.ok == 8)
        let client = try DriftClient(configuration: DriftClientConfiguration(port: s.server.port))
        defer { client.close() }
        #expect(try client.getSource("load-3f").baselineID == 1)
        c.reuseBaseline = true
        #expect(try LoadTest(configuration: c).run()[0].tally.ok == 8)
        #expect(try client.getSource("load-3f").baselineID == 1)
    }

    @Test("an unknown server: LoadError carrying the client's connection error")
    func unreachable() throws {
        let s = try Server()
        let port = s.server.port
        s.close()
        var c = LoadConfiguration(client: DriftClientConfiguration(port: port))
        c.requests = 1
        let error = #expect(throws: LoadError.self) { try LoadTest(configuration: c).run() }
        #expect(error?.clientError?.origin == .connection)
    }

    @Test("SlotGate: never more than its slots taken; all free again after the releases")
    func slotGate() {
        let gate = SlotGate(slots: 2)
        #expect(gate.tryAcquire() && gate.tryAcquire() && !gate.tryAcquire())
        #expect(gate.inUse == 2)
        #expect(!gate.waitUntilAllFree(timeout: .milliseconds(5)))
        gate.release()
        gate.acquire()
        gate.release()
        gate.release()
        #expect(gate.inUse == 0 && gate.waitUntilAllFree(timeout: .zero))
    }
}
