import Foundation
import Testing

/// `driftctl compare` end to end: the built executable, real files, exit codes, stdout and stderr.
@Suite("driftctl compare, end to end")
struct CompareCommandTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let driftctl = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("driftctl")

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ args: [String]) throws -> Run {
        let p = Process()
        p.executableURL = driftctl
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                   stderr: String(decoding: e, as: UTF8.self))
    }

    static func temp(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("driftctl-tests-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static var baseline: String { repo.appendingPathComponent("examples/baseline.csv").path }
    static var current: String { repo.appendingPathComponent("examples/current.csv").path }

    @Test("the bundled example: drift found, exit 1, the right columns flagged")
    func example() throws {
        let r = try Self.run(["compare", Self.baseline, Self.current])
        #expect(r.status == 1, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        func row(_ name: String) -> String { lines.first { $0.hasPrefix(name + " ") } ?? "" }
        for drifting in ["income", "country", "score"] { #expect(row(drifting).contains("drift"), "\(drifting)") }
        for stable in ["age", "session_seconds", "clicks", "device"] { #expect(row(stable).contains("stable"), "\(stable)") }
        #expect(r.stdout.contains("3 of 7 columns drifted"))
    }

    @Test("--json: one document with every column, same verdicts")
    func json() throws {
        let r = try Self.run(["compare", Self.baseline, Self.current, "--json", "--bins", "20"])
        #expect(r.status == 1)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(doc["bins"] as? Int == 20)
        let columns = doc["columns"] as! [[String: Any]]
        #expect(columns.count == 7)
        let verdicts = Dictionary(uniqueKeysWithValues: columns.map { ($0["name"] as! String, $0["verdict"] as! String) })
        #expect(verdicts["income"] == "drift" && verdicts["age"] == "stable" && verdicts["country"] == "drift")
        let country = columns.first { $0["name"] as! String == "country" }!
        #expect(country["type"] as? String == "categorical" && country["unseen_categories"] as? Int == 1)
        #expect(country["baseline_distinct"] as? Int == 5 && country["current_distinct"] as? Int == 6)
    }

    @Test("identical files: no drift, exit 0")
    func identical() throws {
        let r = try Self.run(["compare", Self.baseline, Self.baseline])
        #expect(r.status == 0)
        #expect(r.stdout.contains("0 of 7 columns drifted."))
    }

    @Test("malformed CSV: exit 2 and the error names the line")
    func malformed() throws {
        let bad = try Self.temp("bad.csv", "a,b\n1,2\n3,4,5\n")
        let r = try Self.run(["compare", Self.baseline, bad])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.csv:3"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("usage errors and missing files: exit 2 with a message")
    func usage() throws {
        #expect(try Self.run(["compare", Self.baseline]).status == 2)
        #expect(try Self.run(["frobnicate"]).status == 2)
        #expect(try Self.run(["compare", Self.baseline, Self.current, "--bins", "0"]).status == 2)
        let missing = try Self.run(["compare", Self.baseline, "/nonexistent/x.csv"])
        #expect(missing.status == 2 && missing.stderr.contains("/nonexistent/x.csv"))
        let help = try Self.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: driftctl compare"))
    }

    @Test("hostile column names stay data: JSON escapes them, the table prints them")
    func hostileNames() throws {
        let header = "\"<script>alert(1)</script>\",\"a\"\"b\",\"new\nline\"\n"
        var rows = "", rows2 = ""
        for i in 0..<200 {
            rows += "\(i),x\(i % 3),\(i % 7)\n"
            rows2 += "\(i + 100),x\(i % 3),\(i % 7)\n"
        }
        let b = try Self.temp("hb.csv", header + rows), c = try Self.temp("hc.csv", header + rows2)
        let r = try Self.run(["compare", b, c, "--json"])
        #expect(r.status == 1, "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let names = (doc["columns"] as! [[String: Any]]).map { $0["name"] as! String }
        #expect(names == ["<script>alert(1)</script>", "a\"b", "new\nline"])
    }
}
