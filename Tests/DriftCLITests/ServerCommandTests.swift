import DriftServer
import DriftWire
import Foundation
import Testing

/// A driftd server in the test process on 127.0.0.1:0 over a temporary store; `close()` stops it and removes
/// the directory. The driftctl commands under test reach it with `--server 127.0.0.1:PORT`.
final class CLIServer: @unchecked Sendable {
    let dir: String
    let server: DriftServer

    init(limits: FrameLimits = .default) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("driftctl-server-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        server = try DriftServer(configuration: DriftServerConfiguration(storePath: dir + "/store.sqlite", limits: limits))
    }

    var address: String { "127.0.0.1:\(server.port)" }

    /// Runs driftctl with `--server` pointing here.
    func run(_ args: [String]) throws -> CompareCommandTests.Run {
        try CompareCommandTests.run(args + ["--server", address])
    }

    /// Writes a file in the store directory and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func close() {
        server.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// Seeded CSV data: x ~ N(shift, 1), y ~ N(5, 2), c over {a, b, c} at 50/30/20 %.
func sampleCSV(rows: Int, seed: UInt64, xShift: Double = 0) -> String {
    var state = seed
    func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
    func normal() -> Double { (-2 * log(uniform() + 0x1p-54)).squareRoot() * cos(2 * .pi * uniform()) }
    var text = "x,y,c\n"
    for _ in 0..<rows {
        let u = uniform()
        text += "\(normal() + xShift),\(5 + 2 * normal()),\(u < 0.5 ? "a" : u < 0.8 ? "b" : "c")\n"
    }
    return text
}

let sampleSchema = """
    {"features": [
      {"name": "x", "type": "float64", "policy": {"significance": 0.01, "psi_warning": 0.1, "bins": 10}},
      {"name": "y", "type": "float32"},
      {"name": "c", "type": "categorical"}
    ]}
    """

func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
}

@Suite("driftctl server commands, end to end (in-process driftd)")
struct ServerCommandTests {
    @Test("source create (schema file, idempotent, conflicting), list and get")
    func sources() throws {
        let s = try CLIServer()
        defer { s.close() }
        let schema = try s.file("schema.json", sampleSchema)
        let created = try s.run(["source", "create", "payments", "--schema", schema])
        #expect(created.status == 0 && created.stdout == "created\n", "\(created.stderr)")
        let again = try s.run(["source", "create", "payments", "--schema", schema])
        #expect(again.status == 0 && again.stdout == "exists (identical definition)\n")
        let other = try s.file("other.json", #"{"features": [{"name": "x", "type": "float32"}]}"#)
        let conflict = try s.run(["source", "create", "payments", "--schema", other])
        #expect(conflict.status == 2 && conflict.stdout.isEmpty)
        #expect(conflict.stderr.contains("payments exists with a different definition"), "\(conflict.stderr)")

        let list = try s.run(["source", "list"])
        #expect(list.status == 0)
        #expect(list.stdout.split(separator: "\n").contains { $0.hasPrefix("payments ") && $0.contains("3") })
        let listJSON = try jsonObject(try s.run(["source", "list", "--json"]).stdout)
        let sources = try #require(listJSON["sources"] as? [[String: Any]])
        #expect(sources.map { $0["name"] as? String } == ["payments"])

        let get = try s.run(["source", "get", "payments", "--json"])
        #expect(get.status == 0, "\(get.stderr)")
        let doc = try jsonObject(get.stdout)
        #expect(doc["name"] as? String == "payments" && doc["baseline_id"] is NSNull)
        let features = try #require(doc["features"] as? [[String: Any]])
        #expect(features.map { $0["name"] as? String } == ["x", "y", "c"])
        #expect(features.map { $0["type"] as? String } == ["float64", "float32", "categorical"])
        let policy = try #require(features[0]["policy"] as? [String: Any])
        #expect(policy["significance"] as? Double == 0.01 && policy["psi_warning"] as? Double == 0.1 && policy["bins"] as? Int == 10)
        #expect(features[1]["policy"] == nil)
        // The JSON of `source get` is a valid schema file: the same definition again.
        let roundTrip = try s.file("roundtrip.json", get.stdout)
        #expect(try s.run(["source", "create", "payments", "--schema", roundTrip]).stdout == "exists (identical definition)\n")

        let text = try s.run(["source", "get", "payments"])
        #expect(text.stdout.contains("source payments: 3 features, no baseline yet"))
        #expect(text.stdout.contains("significance=0.01 psi_warning=0.1 bins=10"))
    }

    @Test("schema errors name the offending key or type; --from-csv infers float64 and categorical")
    func schemaFiles() throws {
        let s = try CLIServer()
        defer { s.close() }
        let badKey = try s.file("bad.json", #"{"features": [{"name": "x", "type": "float64", "policy": {"psi_warn": 0.1}}]}"#)
        let r1 = try s.run(["source", "create", "a", "--schema", badKey])
        #expect(r1.status == 2 && r1.stderr.contains("unknown key 'psi_warn'"), "\(r1.stderr)")
        let badType = try s.file("badtype.json", #"{"features": [{"name": "x", "type": "float16"}]}"#)
        let r2 = try s.run(["source", "create", "a", "--schema", badType])
        #expect(r2.status == 2 && r2.stderr.contains("unknown type 'float16'"))
        let topKey = try s.file("top.json", #"{"features": [{"name": "x", "type": "bool"}], "window": 5}"#)
        let r3 = try s.run(["source", "create", "a", "--schema", topKey])
        #expect(r3.status == 2 && r3.stderr.contains("unknown key 'window'"))
        let boolValue = try s.file("boolvalue.json", #"{"features": [{"name": "x", "type": "float64", "policy": {"bins": true}}]}"#)
        let r4 = try s.run(["source", "create", "a", "--schema", boolValue])
        #expect(r4.status == 2 && r4.stderr.contains("\"bins\" must be a number"), "\(r4.stderr)")
        let invalid = try s.file("invalid.json", #"{"features": [{"name": "x", "type": "float64", "policy": {"significance": 2}}]}"#)
        let r5 = try s.run(["source", "create", "a", "--schema", invalid])
        #expect(r5.status == 2 && r5.stderr.contains("INVALID_ARGUMENT"), "\(r5.stderr)")

        let csv = CompareCommandTests.baseline
        let inferred = try s.run(["source", "create", "example", "--from-csv", csv])
        #expect(inferred.status == 0 && inferred.stdout == "created\n", "\(inferred.stderr)")
        let doc = try jsonObject(try s.run(["source", "get", "example", "--json"]).stdout)
        let types = try #require(doc["features"] as? [[String: Any]]).map { "\($0["name"]!)=\($0["type"]!)" }
        #expect(types == ["age=float64", "income=float64", "session_seconds=float64", "clicks=float64",
                          "device=categorical", "country=categorical", "score=float64"])
    }

    @Test("baseline put, then check: a shifted file drifts (exit 1), the same distribution does not (exit 0)")
    func baselineAndCheck() throws {
        let s = try CLIServer()
        defer { s.close() }
        let schema = try s.file("schema.json", sampleSchema)
        #expect(try s.run(["source", "create", "payments", "--schema", schema]).status == 0)
        let base = try s.file("base.csv", sampleCSV(rows: 5000, seed: 1))
        let put = try s.run(["baseline", "put", "payments", base])
        #expect(put.status == 0, "\(put.stderr)")
        #expect(put.stdout.hasPrefix("baseline 1 of payments: 5,000 rows in 1 block; not sampled"), "\(put.stdout)")
        #expect(try s.run(["source", "get", "payments"]).stdout.contains("current baseline 1"))

        let same = try s.file("same.csv", sampleCSV(rows: 3000, seed: 2))
        let stable = try s.run(["check", "payments", same])
        #expect(stable.status == 0, "\(stable.stdout)\(stable.stderr)")
        #expect(stable.stdout.contains("0 of 3 features drifted (3,000 rows of \(same) against baseline 1 of payments)"))

        let shifted = try s.file("shifted.csv", sampleCSV(rows: 3000, seed: 3, xShift: 1))
        let drift = try s.run(["check", "payments", shifted])
        #expect(drift.status == 1, "\(drift.stderr)")
        let lines = drift.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("feature") && lines[0].contains("KS D") && lines[0].contains("W/σ"))
        func row(_ name: String) -> String { lines.first { $0.hasPrefix(name + " ") } ?? "" }
        #expect(row("x").contains("drift") && row("x").contains("critical"), "\(drift.stdout)")
        #expect(row("y").contains("stable") && row("c").contains("stable"))
        #expect(drift.stdout.contains("1 of 3 features drifted"))

        let json = try s.run(["check", "payments", shifted, "--json"])
        #expect(json.status == 1)
        let doc = try jsonObject(json.stdout)
        #expect(doc["drifted"] as? Int == 1 && doc["baseline_id"] as? Int == 1 && doc["rows"] as? Int == 3000)
        let verdicts = try #require(doc["verdicts"] as? [[String: Any]])
        #expect(verdicts.map { $0["feature"] as? String } == ["x", "y", "c"])
        #expect(verdicts[0]["decision"] as? String == "drift" && (verdicts[0]["ks_d"] as? Double ?? 0) > 0.1)
        #expect(verdicts[2]["kind"] as? String == "categorical" && verdicts[2]["ks_d"] is NSNull)

        // Extra columns are ignored with a warning; a missing feature column is an error naming it.
        let extra = try s.file("extra.csv", "x,y,c,z\n" + sampleCSV(rows: 100, seed: 4).split(separator: "\n").dropFirst()
            .map { $0 + ",1" }.joined(separator: "\n") + "\n")
        let r = try s.run(["check", "payments", extra])
        #expect(r.status == 0 && r.stderr.contains("ignoring columns that are not features of payments: z"), "\(r.stderr)")
        let missing = try s.file("missing.csv", "x,c\n1,a\n")
        let m = try s.run(["check", "payments", missing])
        #expect(m.status == 2 && m.stderr.contains("has no column 'y'"), "\(m.stderr)")
    }

    @Test("check: a file too big for one request is refused with the rows that fit")
    func checkTooBig() throws {
        let s = try CLIServer(limits: FrameLimits(maxFrameBody: 16 << 10))
        defer { s.close() }
        let schema = try s.file("schema.json", sampleSchema)
        #expect(try s.run(["source", "create", "payments", "--schema", schema]).status == 0)
        let big = try s.file("big.csv", sampleCSV(rows: 5000, seed: 5))
        let r = try s.run(["check", "payments", big])
        #expect(r.status == 2 && r.stderr.contains("5000 rows do not fit in one request"), "\(r.stderr)")
        #expect(r.stderr.contains("check at most about"))
    }

    /// Needs multi-block PutBaseline on the server (UNIMPLEMENTED until it lands).
    @Test("baseline put in several blocks: --block-rows, and blocks shrunk to the server's frame limit")
    func multiBlockBaseline() throws {
        let s = try CLIServer(limits: FrameLimits(maxFrameBody: 64 << 10))
        defer { s.close() }
        let schema = try s.file("schema.json", sampleSchema)
        #expect(try s.run(["source", "create", "payments", "--schema", schema]).status == 0)
        let base = try s.file("base.csv", sampleCSV(rows: 5000, seed: 1))
        let put = try s.run(["baseline", "put", "payments", base, "--block-rows", "2000"])
        #expect(put.status == 0, "\(put.stderr)")
        #expect(put.stdout.hasPrefix("baseline 1 of payments: 5,000 rows in 3 blocks"), "\(put.stdout)")
        let big = try s.file("big.csv", sampleCSV(rows: 20000, seed: 6))
        let shrunk = try s.run(["baseline", "put", "payments", big])   // 20 000 × 20 B raw > 64 KiB: several blocks
        #expect(shrunk.status == 0, "\(shrunk.stderr)")
        #expect(shrunk.stdout.hasPrefix("baseline 2 of payments: 20,000 rows in "), "\(shrunk.stdout)")
        #expect(!shrunk.stdout.contains(" in 1 block"))
    }

    @Test("stats: readable text and JSON")
    func stats() throws {
        let s = try CLIServer()
        defer { s.close() }
        _ = try s.run(["source", "list"])
        let text = try s.run(["stats"])
        #expect(text.status == 0, "\(text.stderr)")
        for label in ["uptime", "connections", "in flight", "requests", "  ListSources", "errors", "budget misses",
                      "values processed", "bytes received"] {
            #expect(text.stdout.split(separator: "\n").contains { $0.hasPrefix(label + " ") }, "\(label) in \(text.stdout)")
        }
        let doc = try jsonObject(try s.run(["stats", "--json"]).stdout)
        #expect((doc["requests_total"] as? Int ?? 0) >= 2)
        let byMethod = try #require(doc["requests_by_method"] as? [String: Any])
        #expect(byMethod["ListSources"] as? Int == 1 && byMethod["ServerStats"] as? Int ?? 0 >= 1)
        #expect(doc["connections"] as? Int == 1)
    }

    @Test("errors: server down, missing source, usage — exit 2 with a readable message")
    func errors() throws {
        let s = try CLIServer()
        let address = s.address
        s.close()
        let down = try CompareCommandTests.run(["stats", "--server", address])
        #expect(down.status == 2 && down.stdout.isEmpty)
        #expect(down.stderr.contains("cannot connect to driftd at \(address): connection refused (is driftd running?)"),
                "\(down.stderr)")

        let up = try CLIServer()
        defer { up.close() }
        let get = try up.run(["source", "get", "nope"])
        #expect(get.status == 2 && get.stderr.contains("no source named nope"), "\(get.stderr)")
        let csv = try up.file("a.csv", "x\n1\n")
        let check = try up.run(["check", "nope", csv])
        #expect(check.status == 2 && check.stderr.contains("no source named nope"))
        let put = try up.run(["baseline", "put", "nope", csv])
        #expect(put.status == 2 && put.stderr.contains("no source named nope"))
        #expect(try up.run(["source", "create", "a"]).status == 2)
        #expect(try up.run(["check", "a"]).status == 2)
        #expect(try up.run(["stats", "--frobnicate"]).stderr.contains("unknown option '--frobnicate'"))
        #expect(try CompareCommandTests.run(["stats", "--server", "127.0.0.1:notaport"]).status == 2)
        let help = try CompareCommandTests.run(["load", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: driftctl load"))
    }
}
