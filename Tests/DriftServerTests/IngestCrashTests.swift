import DriftWire
import Foundation
import Testing

/// An acknowledged ingest survives `kill -9`: the real `driftd` binary, killed right after its answers.
@Suite("Ingest durability across a crash")
struct IngestCrashTests {
    static let t0: Int64 = 1_796_083_200_000
    static let hour: Int64 = 3_600_000

    func ingest(_ c: TestClient, key: String, rows: Int, seed: UInt64, at t: Int64) throws -> IngestResponse {
        let r = try c.call(.ingest, IngestRequest(source: "crash", idempotencyKey: key, blockTimestampMs: t).encode(),
                           body: try block(rows: rows, seed: seed), codec: .zstd)
        try #require(r.header.status == .ok, "\(String(describing: try? ErrorDetail.decode(r.metadata)))")
        return try IngestResponse.decode(r.metadata)
    }

    @Test("SIGKILL after OK loses nothing: retries are duplicates and the window holds every acknowledged row once")
    func killNine() throws {
        let dir = DriftdProcessTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let d = try DriftdProcessTests.Running(["--port", "0", "--data-dir", dir + "/state", "--workers", "2"])
        try #require(d.port != 0, "first line: \(d.firstLine)")
        let c = try TestClient(port: d.port)
        #expect(try c.handshake().isAccepted)
        let spec = SourceSpec(name: "crash", features: features, monitoring: MonitoringSpec(graceMs: 0))
        #expect(try c.call(.createSource, CreateSourceRequest(source: spec).encode()).header.status == .ok)
        _ = try putBaseline(c, "crash", rows: 5000)
        var acknowledged = 0
        for i in 0..<20 {
            acknowledged += Int(try ingest(c, key: "k\(i)", rows: 700, seed: UInt64(i), at: Self.t0 + Int64(i)).rowsAccepted)
        }
        kill(d.process.processIdentifier, SIGKILL)
        d.process.waitUntilExit()
        #expect(d.process.terminationReason == .uncaughtSignal)

        let again = try DriftdProcessTests.Running(["--port", "0", "--data-dir", dir + "/state"])
        defer { _ = again.terminate() }
        let c2 = try TestClient(port: again.port)
        #expect(try c2.handshake().isAccepted)
        for i in 0..<20 {
            let r = try ingest(c2, key: "k\(i)", rows: 700, seed: UInt64(i), at: Self.t0 + Int64(i))
            #expect(r.duplicate && r.rowsAccepted == 700)
        }
        let close = try ingest(c2, key: "close", rows: 10, seed: 99, at: Self.t0 + Self.hour)
        let w = try #require(close.windowsClosed.first)
        #expect(acknowledged == 14_000)
        #expect(w.verdicts.allSatisfy { $0.currentN == 14_000 })
    }
}
