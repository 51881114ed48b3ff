import DriftServer
import Foundation
import Testing

@Suite("driftd options and config file")
struct DriftdOptionsTests {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("driftd-config-\(UUID().uuidString).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func error(_ args: [String]) -> String? {
        do { _ = try DriftdOptions.parse(args); return nil } catch { return error.description }
    }

    @Test("defaults are the documented ones")
    func defaults() throws {
        let o = try DriftdOptions.parse([])
        #expect(o.host == "127.0.0.1")
        #expect(o.port == 7400)
        #expect(o.dataDir == "./driftd-data")
        #expect(o.storePath == "./driftd-data/driftd.sqlite")
        #expect(o.maxFrameBytes == 16 << 20 && o.maxDecodedBytes == 64 << 20 && o.maxMetadataBytes == 64 << 10)
        #expect(o.maxStreamsPerConnection == 64)
        #expect(o.helloTimeoutMs == 5000)
        #expect(o.workers >= 1)
        let c = o.serverConfiguration(token: nil)
        #expect(c.maxConcurrentStreams == 64 && c.limits.maxFrameBody == 16 << 20 && c.authToken == nil)
    }

    @Test("a config file sets keys; flags (both spellings) override it")
    func fileThenFlags() throws {
        let path = try DriftdOptionsTests.file("""
            {
              "port": 0,
              "data_dir": "/tmp/x",
              "workers": 3,
              "max_queued_requests": 10
            }
            """)
        let o = try DriftdOptions.parse(["--config", path, "--workers", "5", "--max-queued-requests=7"])
        #expect(o.port == 0 && o.dataDir == "/tmp/x" && o.workers == 5 && o.maxQueuedRequests == 7)
        #expect(o.configFile == path)
    }

    @Test("errors name the key and line, or the flag")
    func errors() throws {
        let typo = try DriftdOptionsTests.file("{\n  \"port\": 1,\n  \"wokers\": 2\n}")
        #expect(DriftdOptionsTests.error(["--config", typo]) == "\(typo): line 3: unknown key 'wokers' (did you mean 'workers'?)")
        let type = try DriftdOptionsTests.file("{\"port\": 1,\n\"workers\": \"two\"}")
        #expect(DriftdOptionsTests.error(["--config", type]) == "\(type): line 2: key 'workers' must be an integer, not a string")
        let range = try DriftdOptionsTests.file("{\n\n\"port\": 70000}")
        #expect(DriftdOptionsTests.error(["--config", range])!.contains("line 3: key 'port': '70000' is not an integer from 0 to 65535"))
        let syntax = try DriftdOptionsTests.file("{\"port\": 1\n \"workers\": 2}")
        #expect(DriftdOptionsTests.error(["--config", syntax]) == "\(syntax): line 2, column 2: expected ',' or '}'")
        let twice = try DriftdOptionsTests.file("{\"port\": 1,\n\"port\": 2}")
        #expect(DriftdOptionsTests.error(["--config", twice])!.contains("line 2: key 'port' appears twice"))
        let notObject = try DriftdOptionsTests.file("[1, 2]")
        #expect(DriftdOptionsTests.error(["--config", notObject])!.contains("must be a JSON object"))
        #expect(DriftdOptionsTests.error(["--config", "/nonexistent/driftd.json"])!.contains("cannot read config /nonexistent/driftd.json"))
        #expect(DriftdOptionsTests.error(["--workers", "0"]) == "--workers: '0' is not an integer from 1 to 1024")
        #expect(DriftdOptionsTests.error(["--host", "localhost"])!.contains("not an IPv4 address"))
        #expect(DriftdOptionsTests.error(["--bogus"]) == "unknown option '--bogus'; see driftd --help")
        #expect(DriftdOptionsTests.error(["--port"]) == "--port needs a value")
    }

    @Test("history retention and the monitoring period: defaults, config keys, flags, ranges, configuration")
    func monitoringSettings() throws {
        let d = try DriftdOptions.parse([])
        #expect(d.historyRetentionDays == 400 && d.monitorIntervalMs == 1000)
        #expect(d.serverConfiguration(token: nil).historyRetentionDays == 400)
        #expect(d.serverConfiguration(token: nil).monitorIntervalMilliseconds == 1000)
        let path = try DriftdOptionsTests.file("{\"history_retention_days\": 0,\n\"monitor_interval_ms\": 250}")
        let o = try DriftdOptions.parse(["--config", path])
        #expect(o.historyRetentionDays == 0 && o.monitorIntervalMs == 250)
        let c = try DriftdOptions.parse(["--config", path, "--history-retention-days=30", "--monitor-interval-ms", "60000"])
            .serverConfiguration(token: nil)
        #expect(c.historyRetentionDays == 30 && c.monitorIntervalMilliseconds == 60_000)
        #expect(DriftdOptionsTests.error(["--history-retention-days", "-1"])
                == "--history-retention-days: '-1' is not an integer from 0 to 36500")
        #expect(DriftdOptionsTests.error(["--monitor-interval-ms", "0"])
                == "--monitor-interval-ms: '0' is not an integer from 10 to 3600000")
        let typo = try DriftdOptionsTests.file("{\n\"history_retention_day\": 3}")
        #expect(DriftdOptionsTests.error(["--config", typo])!
                .contains("line 2: unknown key 'history_retention_day' (did you mean 'history_retention_days'?)"))
        let text = try DriftdOptionsTests.file("{\"monitor_interval_ms\": \"1s\"}")
        #expect(DriftdOptionsTests.error(["--config", text])!.contains("key 'monitor_interval_ms' must be an integer"))
        #expect(DriftdOptions.usage.contains("--history-retention-days N"))
    }

    @Test("every setting is in the usage text with its flag")
    func usage() {
        for s in DriftdOptions.settings { #expect(DriftdOptions.usage.contains(s.flag)) }
    }
}
