import DriftWire
import Foundation
import Testing

/// `/api/v1/sources` and `/api/v1/sources/{name}` over loopback against a driftd fed through the RPC.
@Suite("HTTP: sources JSON")
struct HTTPSourcesTests {
    static let t0: Int64 = 1_796_083_200_000
    static let hour: Int64 = 3_600_000

    func ingest(_ c: TestClient, _ source: String, at t: Int64, shift: Double, seed: UInt64) throws {
        let r = try c.call(.ingest, IngestRequest(source: source, blockTimestampMs: t).encode(),
                           body: try block(rows: 2000, seed: seed, xShift: shift), codec: .zstd)
        try #require(r.header.status == .ok, "\(String(describing: try? ErrorDetail.decode(r.metadata)))")
    }

    @Test("every source with its status at a glance; one source feature by feature; drifting shows; names escaped")
    func sources() throws {
        let f = try Fixture { $0.httpPort = 0 }
        defer { f.close() }
        let rpc = try f.client()
        let hostile = "pay</script><script>alert(1)</script>"
        for name in ["calm", hostile] {
            let spec = SourceSpec(name: name, features: features, monitoring: MonitoringSpec(graceMs: 0))
            #expect(try rpc.call(.createSource, CreateSourceRequest(source: spec).encode()).header.status == .ok)
            _ = try putBaseline(rpc, name, rows: 5000)
        }
        // The hostile source drifts on x for two windows (k = 2): x is drifting, critical.
        for w in Int64(0)..<3 { try ingest(rpc, hostile, at: Self.t0 + w * Self.hour, shift: w < 2 ? 1.5 : 0, seed: 10 + UInt64(w)) }
        try ingest(rpc, "calm", at: Self.t0, shift: 0, seed: 30)

        let c = try HTTPTestClient(port: try #require(f.server.httpPort))
        let list = try c.request("GET", "/api/v1/sources")
        #expect(list.status == 200 && list.header("Content-Type") == "application/json")
        #expect(!list.text.contains("<script>"))
        let sources = try #require(try list.json()["sources"] as? [[String: Any]])
        #expect(sources.map { $0["name"] as? String } == ["calm", hostile])
        let calm = sources[0], bad = sources[1]
        #expect(calm["status"] as? String == "ok" && calm["drifting_features"] as? Int == 0)
        #expect(calm["freshness"] as? String == "no_sla" && calm["features"] as? Int == 3)
        #expect(calm["last_closed_window"] is NSNull && calm["baseline_id"] as? Int == 1)
        #expect(bad["status"] as? String == "critical" && bad["drifting_features"] as? Int == 1)
        let closed = try #require(bad["last_closed_window"] as? [String: Any])
        #expect(closed["start_ms"] as? Int64 == Self.t0 + Self.hour)

        let encoded = hostile.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let one = try c.request("GET", "/api/v1/sources/" + encoded)
        #expect(one.status == 200)
        #expect(!one.text.contains("<script>"))
        let json = try one.json()
        #expect(json["name"] as? String == hostile)
        let fs = try #require(json["features"] as? [[String: Any]])
        #expect(fs.map { $0["feature"] as? String } == ["x", "y", "c"])
        #expect(fs[0]["status"] as? String == "drifting" && fs[0]["severity"] as? String == "critical")
        #expect(fs[0]["since_window_start_ms"] as? Int64 == Self.t0)
        #expect(fs[1]["status"] as? String == "ok" && fs[1]["since_window_start_ms"] is NSNull)
        #expect(json["late_rows"] as? Int == 0)

        let missing = try c.request("GET", "/api/v1/sources/nope")
        #expect(missing.status == 404)
        #expect(try missing.json()["error"] as? String == "not found")
        #expect(try c.request("POST", "/api/v1/sources/calm").status == 405)
    }
}
