import DriftWire
import Foundation
import Testing

/// The `driftd` executable end to end: start on an ephemeral port, read the port it prints, talk to it, SIGTERM.
@Suite("driftd process")
struct DriftdProcessTests {
    static let driftd = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("driftd")

    final class Running {
        let process = Process()
        let out = Pipe(), err = Pipe()
        var port: UInt16 = 0
        var firstLine = ""

        init(_ args: [String]) throws {
            process.executableURL = DriftdProcessTests.driftd
            // An ephemeral HTTP port unless the test picks one: 7401 may be taken by a parallel test.
            process.arguments = args.contains("--http-port") ? args : args + ["--http-port", "0"]
            process.standardOutput = out
            process.standardError = err
            try process.run()
            // The first stdout line: "driftd listening on 127.0.0.1:PORT (rpc), …".
            var bytes: [UInt8] = []
            while let b = try out.fileHandleForReading.read(upToCount: 1), let c = b.first, c != 10 { bytes.append(c) }
            firstLine = String(decoding: bytes, as: UTF8.self)
            if let r = firstLine.range(of: "127.0.0.1:"), let p = UInt16(firstLine[r.upperBound...].prefix { $0.isNumber }) {
                port = p
            }
        }

        func terminate() -> (status: Int32, stderr: String) {
            process.terminate()  // SIGTERM
            process.waitUntilExit()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            return (process.terminationStatus, String(decoding: e, as: UTF8.self))
        }
    }

    static func tempDir() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("driftd-proc-\(UUID().uuidString)").path
    }

    @Test("port 0: prints the port, serves, creates the data dir, drains on SIGTERM and exits 0")
    func lifecycle() throws {
        let dir = DriftdProcessTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let d = try Running(["--port", "0", "--data-dir", dir + "/state", "--workers", "2"])
        try #require(d.port != 0, "first line: \(d.firstLine)")
        let c = try TestClient(port: d.port)
        #expect(try c.handshake().isAccepted)
        try createSource(c, "proc")
        #expect(try putBaseline(c, "proc").baselineID >= 1)
        #expect(FileManager.default.fileExists(atPath: dir + "/state/driftd.sqlite"))
        let (status, stderr) = d.terminate()
        #expect(status == 0)
        #expect(stderr.contains("draining"))
        // The client saw GOAWAY UNAVAILABLE before the close.
        let frames = try c.drainFrames()
        #expect(frames.contains { $0.header.type == .goAway && $0.header.status == .unavailable })
        // Restart on the same data dir: the source and its baseline are still there.
        let again = try Running(["--port", "0", "--data-dir", dir + "/state"])
        let c2 = try TestClient(port: again.port)
        #expect(try c2.handshake().isAccepted)
        let r = try c2.call(.getSource, GetSourceRequest(name: "proc").encode())
        #expect(r.header.status == .ok)
        #expect(try GetSourceResponse.decode(r.metadata).baselineID != nil)
        #expect(again.terminate().status == 0)
    }

    @Test("token file: HELLO without the token is refused; a bad config exits 2 naming the key")
    func tokenAndBadConfig() throws {
        let dir = DriftdProcessTests.tempDir()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "hunter2-but-longer\n".write(toFile: dir + "/token", atomically: true, encoding: .utf8)
        chmod(dir + "/token", 0o600)
        let d = try Running(["--port", "0", "--data-dir", dir + "/state", "--token-file", dir + "/token"])
        try #require(d.port != 0, "first line: \(d.firstLine)")
        #expect(d.firstLine.contains("token required"))
        #expect(try TestClient(port: d.port).handshake(token: "nope").status == .unauthenticated)
        #expect(try TestClient(port: d.port).handshake(token: "hunter2-but-longer").isAccepted)
        #expect(d.terminate().status == 0)

        try "{\n  \"port\": 0,\n  \"max_frame_bytes\": -1\n}".write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        let bad = try Running(["--config", dir + "/bad.json"])
        bad.process.waitUntilExit()
        #expect(bad.process.terminationStatus == 2)
        let e = String(decoding: bad.err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(e.contains("line 3: key 'max_frame_bytes'"))
    }
}
