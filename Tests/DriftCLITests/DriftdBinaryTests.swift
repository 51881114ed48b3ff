import DriftClient
import DriftWire
import Foundation
import Testing

/// The two executables together, as a user runs them: `driftd --port 0` (its printed port), `driftctl` commands
/// and the `DriftClient` library against it, then SIGTERM.
@Suite("driftd + driftctl + DriftClient, end to end")
struct DriftdBinaryTests {
    static let driftd = CompareCommandTests.driftctl.deletingLastPathComponent().appendingPathComponent("driftd")

    @Test("source create, baseline put (several blocks), check, stats over the real binaries; DriftClient on the same server")
    func endToEnd() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("driftd-bin-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = Process()
        p.executableURL = DriftdBinaryTests.driftd
        p.arguments = ["--port", "0", "--http-port", "0", "--data-dir", dir + "/state"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { p.terminate(); p.waitUntilExit() } }
        var line: [UInt8] = []
        while let b = try out.fileHandleForReading.read(upToCount: 1), let c = b.first, c != 10 { line.append(c) }
        let first = String(decoding: line, as: UTF8.self)
        let port = try #require(first.split(separator: ":").dropFirst().first.flatMap { UInt16($0.prefix { $0.isNumber }) },
                                "first line: \(first)")
        let server = "127.0.0.1:\(port)"

        try sampleCSV(rows: 5000, seed: 1).write(toFile: dir + "/base.csv", atomically: true, encoding: .utf8)
        try sampleCSV(rows: 2000, seed: 2).write(toFile: dir + "/same.csv", atomically: true, encoding: .utf8)
        try sampleCSV(rows: 2000, seed: 3, xShift: 0.5).write(toFile: dir + "/shifted.csv", atomically: true, encoding: .utf8)
        let ctl = { (args: [String]) throws -> CompareCommandTests.Run in try CompareCommandTests.run(args + ["--server", server]) }

        let created = try ctl(["source", "create", "bin", "--from-csv", dir + "/base.csv"])
        #expect(created.status == 0, "\(created.stderr)")
        let put = try ctl(["baseline", "put", "bin", dir + "/base.csv", "--block-rows", "2000"])
        #expect(put.status == 0, "\(put.stderr)")
        #expect(put.stdout.contains("5,000 rows in 3 blocks"))
        let same = try ctl(["check", "bin", dir + "/same.csv"])
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        let shifted = try ctl(["check", "bin", dir + "/shifted.csv", "--json"])
        #expect(shifted.status == 1)
        #expect(shifted.stdout.contains("\"drift\""))

        // The library on the same server: the baseline driftctl uploaded, verdicts for a block of its own.
        let client = try DriftClient(configuration: DriftClientConfiguration(port: port))
        defer { client.close() }
        let source = try client.getSource("bin")
        #expect(source.baselineID == 1)
        #expect(source.source.features.map(\.name) == ["x", "y", "c"])
        let stats = try client.serverStats()
        #expect(stats.requestsByMethod.first { $0.methodID == UInt32(MethodID.putBaseline.rawValue) }?.count == 3)

        p.terminate()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let down = try ctl(["stats"])
        #expect(down.status == 2)
        #expect(down.stderr.contains("is driftd running?"))
    }
}
