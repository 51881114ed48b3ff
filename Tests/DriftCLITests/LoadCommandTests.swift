import Foundation
import Testing

@Suite("driftctl load, end to end (in-process driftd)")
struct LoadCommandTests {
    static let small = ["--rows", "1000", "--features", "4", "--baseline-rows", "20000", "--quiet"]

    static func latencyOrdered(_ report: [String: Any]) throws {
        let l = try #require(report["latency_ms"] as? [String: Any])
        let values = try ["p50", "p90", "p99", "p99_9", "max"].map { try #require(l[$0] as? Double, "\($0)") }
        #expect(values == values.sorted() && values[0] > 0, "\(l)")
        #expect((l["mean"] as? Double ?? 0) > 0)
    }

    @Test("closed loop, 50 requests: 50 OK, percentiles ordered, throughput and server figures present")
    func closedLoop() throws {
        let s = try CLIServer()
        defer { s.close() }
        let r = try s.run(["load", "--requests", "50", "--json"] + Self.small)
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try jsonObject(r.stdout)
        #expect(doc["mode"] as? String == "closed" && doc["requests"] as? Int == 50 && doc["sent"] as? Int == 50)
        #expect(doc["ok"] as? Int == 50 && doc["errors"] as? Int == 0)
        #expect((doc["status"] as? [String: Any])?["OK"] as? Int == 50)
        try Self.latencyOrdered(doc)
        #expect((doc["requests_per_s"] as? Double ?? 0) > 0 && (doc["values_per_s"] as? Double ?? 0) > 0)
        #expect(doc["bytes_sent"] as? Int ?? 0 > 50 * 1000 * 4 * 3)   // float32 normals barely compress
        #expect(doc["drift_share"] as? Double == 0)
        let misses = try #require(doc["budget_misses"] as? [String: Any])
        #expect(misses["client_deadline_exceeded"] as? Int == 0 && misses["server"] as? Int == 0)
        let timings = try #require(doc["server_timings_us"] as? [String: Any])
        #expect((timings["compute"] as? Double ?? 0) > 0)

        // The source exists now with its baseline: reuse it; drifted blocks show up in the drift share.
        let again = try s.run(["load", "--requests", "16", "--reuse-baseline", "--drift-share", "0.5", "--block-pool", "4",
                               "--connections", "1", "--in-flight", "2", "--encoding", "split", "--json"] + Self.small)
        #expect(again.status == 0, "\(again.stderr)")
        let d = try jsonObject(again.stdout)
        #expect(d["ok"] as? Int == 16 && d["drift_share"] as? Double == 0.5, "\(again.stdout)")
        let sources = try jsonObject(try s.run(["source", "get", "load-4f", "--json"]).stdout)
        #expect(sources["baseline_id"] as? Int == 1)   // reused, not uploaded again
    }

    @Test("open loop at a fixed rate and a sweep: one report per phase; the text table")
    func openLoopAndSweep() throws {
        let s = try CLIServer()
        defer { s.close() }
        let open = try s.run(["load", "--rate", "200", "--requests", "30", "--json"] + Self.small)
        #expect(open.status == 0, "\(open.stderr)")
        let o = try jsonObject(open.stdout)
        #expect(o["mode"] as? String == "open" && o["target_rate"] as? Double == 200 && o["ok"] as? Int == 30)
        try Self.latencyOrdered(o)

        let sweep = try s.run(["load", "--sweep", "0.5", "--requests", "30", "--reuse-baseline", "--json"] + Self.small)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let phases = try #require(try JSONSerialization.jsonObject(with: Data(sweep.stdout.utf8)) as? [[String: Any]])
        #expect(phases.map { $0["phase"] as? String } == ["peak (closed)", "open 50%"])
        #expect(phases.map { $0["ok"] as? Int } == [30, 30])
        let peak = try #require(phases[0]["requests_per_s"] as? Double)
        #expect(abs((phases[1]["target_rate"] as? Double ?? 0) - peak / 2) < 1e-9 * peak)

        let text = try s.run(["load", "--requests", "10", "--reuse-baseline"] + Self.small)
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("phase") && lines[0].contains("p99.9 ms") && lines[2].hasPrefix("closed"))
        #expect(text.stdout.contains("status: OK 10"))
    }

    @Test("--dump writes the baseline and the pool as float32 files with a manifest")
    func dump() throws {
        let s = try CLIServer()
        defer { s.close() }
        let dir = s.dir + "/dump/nested"
        let r = try s.run(["load", "--requests", "4", "--block-pool", "3", "--drift-share", "0.34", "--dump", dir]
                          + Self.small)
        #expect(r.status == 0, "\(r.stderr)")
        let manifest = try jsonObject(try String(contentsOfFile: dir + "/manifest.json", encoding: .utf8))
        #expect(manifest["features"] as? [String] == ["f0", "f1", "f2", "f3"])
        #expect(manifest["format"] as? String == "float32-le" && manifest["layout"] as? String == "feature-major")
        let baseline = try #require(manifest["baseline"] as? [String: Any])
        #expect(baseline["rows"] as? Int == 20000)
        let size = try FileManager.default.attributesOfItem(atPath: dir + "/baseline.f32")[.size] as? Int
        #expect(size == 4 * 20000 * 4)
        let blocks = try #require(manifest["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["file"] as? String } == ["block-000.f32", "block-001.f32", "block-002.f32"])
        #expect(blocks.map { $0["drifted"] as? Bool } == [false, false, true])
        for b in blocks {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + (b["file"] as! String)))
            #expect(bytes.count == 4 * 1000 * 4)
        }
        #expect(manifest["drifted_features"] as? [String] == ["f0", "f1"])
    }

    @Test("server down and bad options: exit 2 with a message")
    func errors() throws {
        let s = try CLIServer()
        let address = s.address
        s.close()
        let down = try CompareCommandTests.run(["load", "--requests", "5", "--server", address] + Self.small)
        #expect(down.status == 2 && down.stderr.contains("connection refused (is driftd running?)"), "\(down.stderr)")
        let bad = try CompareCommandTests.run(["load", "--encoding", "gzip"])
        #expect(bad.status == 2 && bad.stderr.contains("--encoding must be plain or split"))
        let both = try CompareCommandTests.run(["load", "--sweep", "0.5", "--rate", "10"])
        #expect(both.status == 2 && both.stderr.contains("leave out --rate"))
    }
}
