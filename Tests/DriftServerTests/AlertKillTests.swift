import DriftTestReceivers
import DriftWire
import Foundation
import Testing

/// The `driftd` executable killed (SIGKILL) while a receiver is down: after a restart on the same data dir the
/// notification still arrives, exactly once per dedup key (group key + fingerprints).
@Suite("driftd killed mid-delivery")
struct AlertKillTests {
    @Test("SIGKILL while the webhook answers 500; restart with the webhook up: delivered once per dedup key")
    func killedWhileReceiverDown() throws {
        let dir = DriftdProcessTests.tempDir()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let http = try RecordingHTTPServer(mode: .status(500))
        // The URL's path stands for a webhook secret: it must never reach the log.
        let config = """
        {"route": {"receiver": "team", "group_by": ["source"], "group_wait": "0s", "group_interval": "100ms"},
         "receivers": [{"name": "team", "webhook_configs": [{"url": "\(http.baseURL)/hook/SECRET-TOKEN-4711"}]}],
         "delivery": {"initial_backoff_ms": 100, "max_backoff_ms": 400, "timeout_ms": 2000}}
        """
        try config.write(toFile: dir + "/alerts.json", atomically: true, encoding: .utf8)
        let args = ["--port", "0", "--data-dir", dir + "/state", "--monitor-interval-ms", "50", "--alerts-config",
                    dir + "/alerts.json", "--log-file", dir + "/driftd.log", "--log-level", "debug"]

        let first = try DriftdProcessTests.Running(args)
        try #require(first.port != 0, "first line: \(first.firstLine)")
        let c = try TestClient(port: first.port)
        #expect(try c.handshake().isAccepted)
        try AlertTest.createWideSource(c, "killed")
        try AlertTest.driftAll(c, "killed")
        // Deliveries are failing (500, retried with backoff): kill driftd in the middle of them.
        #expect(http.waitForRequests(3, timeoutSeconds: 20))
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        #expect(first.process.terminationReason == .uncaughtSignal)
        let beforeRestart = http.requests
        #expect(Set(beforeRestart.map(Self.dedupKey)).count == 1)

        http.mode = .ok
        let second = try DriftdProcessTests.Running(args)
        try #require(second.port != 0, "first line: \(second.firstLine)")
        defer { _ = second.terminate() }
        #expect(http.waitForRequests(beforeRestart.count + 1, timeoutSeconds: 20))
        let c2 = try TestClient(port: second.port)
        #expect(try c2.handshake().isAccepted)
        #expect(eventually { (try? AlertTest.listAlerts(c2).notifications.first?.state) == "delivered" })
        usleep(500_000)  // more than the largest backoff: a second delivery would have come
        let afterRestart = Array(http.requests.dropFirst(beforeRestart.count))
        // Exactly one accepted post, for the same dedup key as the failed ones, with all 14 alerts.
        #expect(afterRestart.count == 1)
        #expect(Set(afterRestart.map(Self.dedupKey)) == Set(beforeRestart.map(Self.dedupKey)))
        let list = try AlertTest.listAlerts(c2)
        #expect(list.notifications.count == 1)
        let row = try #require(list.notifications.first)
        #expect(row.recentAttempts.first?.outcome == "delivered" && row.recentAttempts.first?.status == 200)
        #expect(row.attempts >= 2)  // the failed attempts recorded before the kill, and the delivery
        #expect(list.alertsTotal == UInt64(alertFeatureCount))
        // The secret part of the URL is in no log line of either run.
        let log = (try? String(contentsOfFile: dir + "/driftd.log", encoding: .utf8)) ?? ""
        #expect(log.contains("driftd started") && log.contains("\"alert delivery failed\"")
                && log.contains("\"alert notification delivered\""))
        #expect(!log.contains("SECRET-TOKEN"))
        #expect(second.terminate().status == 0)
    }

    /// groupKey + status + sorted fingerprints of a webhook body.
    static func dedupKey(_ r: RecordingHTTPServer.Request) -> String {
        guard let body = try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any] else { return "unparsable" }
        return AlertDeliveryTests.dedupKey(body)
    }
}
