import DriftServer
import Foundation
import Testing

/// `--http-port` / `http_port`: default 7401, 0 = ephemeral, off or -1 = no HTTP endpoint.
@Suite("HTTP options")
struct HTTPOptionsTests {
    @Test("default 7401; flag and config key; off and -1 disable; out of range refused")
    func httpPort() throws {
        let d = try DriftdOptions.parse([])
        #expect(d.httpPort == 7401)
        #expect(d.serverConfiguration(token: nil).httpPort == 7401)
        #expect(try DriftdOptions.parse(["--http-port", "0"]).serverConfiguration(token: nil).httpPort == 0)
        #expect(try DriftdOptions.parse(["--http-port=8080"]).httpPort == 8080)
        #expect(try DriftdOptions.parse(["--http-port", "off"]).serverConfiguration(token: nil).httpPort == nil)
        #expect(try DriftdOptions.parse(["--http-port", "-1"]).serverConfiguration(token: nil).httpPort == nil)
        #expect(DriftdOptionsTests.error(["--http-port", "65536"])?.contains("--http-port") == true)
        #expect(DriftdOptionsTests.error(["--http-port", "-2"]) != nil)
        #expect(DriftdOptionsTests.error(["--http-port", "on"]) != nil)

        let file = try DriftdOptionsTests.file("{\n  \"http_port\": \"off\"\n}")
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(try DriftdOptions.parse(["--config", file]).httpPort == -1)
        let numeric = try DriftdOptionsTests.file("{\"http_port\": 9001}")
        defer { try? FileManager.default.removeItem(atPath: numeric) }
        #expect(try DriftdOptions.parse(["--config", numeric]).httpPort == 9001)
        // The flag wins over the file.
        #expect(try DriftdOptions.parse(["--config", numeric, "--http-port", "0"]).httpPort == 0)
        let bad = try DriftdOptionsTests.file("{\"http_port\": \"yes\"}")
        defer { try? FileManager.default.removeItem(atPath: bad) }
        #expect(DriftdOptionsTests.error(["--config", bad])?.contains("http_port") == true)
        #expect(DriftdOptions.usage.contains("--http-port"))
    }

    @Test("driftd prints the HTTP port on its first line and serves /healthz there")
    func processPrintsHTTPPort() throws {
        let dir = DriftdProcessTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let d = try DriftdProcessTests.Running(["--port", "0", "--http-port", "0", "--data-dir", dir + "/state"])
        let line = d.firstLine
        let http = try #require(line.components(separatedBy: "127.0.0.1:").dropFirst(2).first
            .flatMap { UInt16($0.prefix { $0.isNumber }) }, "first line: \(line)")
        #expect(line.contains("(http)"))
        let c = try HTTPTestClient(port: http)
        #expect(try c.request("GET", "/healthz").text == "ok\n")
        #expect(d.terminate().status == 0)

        let off = try DriftdProcessTests.Running(["--port", "0", "--http-port", "off", "--data-dir", dir + "/state"])
        #expect(off.firstLine.contains("http off"))
        #expect(off.terminate().status == 0)
    }
}
