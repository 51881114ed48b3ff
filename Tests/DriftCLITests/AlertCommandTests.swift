@testable import driftctl
import DriftClient
import DriftServer
import DriftWire
import Foundation
import Testing

/// Canned alerting answers (ListAlerts, CreateSilence, ExpireSilence).
enum CannedAlerts {
    static let t0 = Canned.t0

    static let silence = SilenceInfo(id: "00000000000000ab", matchers: ["source=\"pay ments\"", "feature=~\"f.*\""],
                                     startsMs: t0, endsMs: t0 + 3_600_000, createdBy: "ops", comment: "deploy",
                                     createdMs: t0, state: "active")

    static let list = ListAlertsResponse(
        alerts: [
            AlertInfo(labels: [AlertLabel(name: "feature", value: "amount"), AlertLabel(name: "kind", value: "drift"),
                               AlertLabel(name: "severity", value: "critical"), AlertLabel(name: "source", value: "pay ments")],
                      annotations: [AlertLabel(name: "request_id", value: "r-42")], startsMs: t0, state: "silenced",
                      silencedBy: ["00000000000000ab"], fingerprint: "0123456789abcdef"),
            AlertInfo(labels: [AlertLabel(name: "kind", value: "freshness"), AlertLabel(name: "severity", value: "critical"),
                               AlertLabel(name: "source", value: "evil\u{1b}[2Jname")],
                      startsMs: t0, state: "active", fingerprint: "fedcba9876543210"),
        ],
        silences: [silence],
        notifications: [
            NotificationInfo(id: 7, dedupKey: "k7", receiver: "team", integration: "webhook_configs[0]", groupKey: "g",
                             status: "firing", createdMs: t0, state: "pending", attempts: 2, nextAttemptMs: t0 + 4000,
                             lastStatus: 500, lastError: "HTTP 500",
                             recentAttempts: [DeliveryAttempt(atMs: t0 + 2000, outcome: "retryable", status: 500, message: "HTTP 500"),
                                              DeliveryAttempt(atMs: t0 + 1000, outcome: "retryable", status: 500, message: "HTTP 500")],
                             alerts: 14),
            NotificationInfo(id: 6, dedupKey: "k6", receiver: "oncall", integration: "email_configs[0]", groupKey: "h",
                             status: "resolved", createdMs: t0 - 1000, state: "delivered", attempts: 1, lastStatus: 250,
                             deliveredMs: t0, recentAttempts: [DeliveryAttempt(atMs: t0, outcome: "delivered", status: 250)],
                             alerts: 1),
        ],
        nextBeforeID: 6, alertsTotal: 2, delivery: true)
}

@Suite("driftctl silence and alerts")
struct AlertCommandTests {
    @Test("alerts: mute state, silencer, request id, silences, notifications with delivery state and last attempt")
    func alertsText() {
        let text = AlertsReport.alertsText(CannedAlerts.list)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "ALERTS: 2 firing (1 muted)")
        let silenced = lines.first { $0.hasPrefix("silenced") }!.split(separator: " ", omittingEmptySubsequences: true)
        #expect(silenced.map(String.init) == ["silenced", "critical", "drift", "pay", "ments", "amount", "2026-12-04T10:00:00Z",
                                              "r-42", "00000000000000ab"])
        // A control character in a name is shown escaped: it cannot clear the terminal.
        #expect(!text.contains("\u{1b}") && text.contains("evil\\u{1b}[2Jname"))
        #expect(lines.contains("SILENCES: 1"))
        #expect(lines.contains { $0.hasPrefix("00000000000000ab  active") && $0.contains("source=\"pay ments\" feature=~\"f.*\"")
                                 && $0.hasSuffix("deploy") })
        #expect(lines.contains("NOTIFICATIONS: 2 recent"))
        let pending = lines.first { $0.contains("webhook_configs[0]") }!
        #expect(pending.contains("pending") && pending.contains("retryable 500 (HTTP 500); next 2026-12-04T10:00:04Z"))
        #expect(pending.contains(" 14 "))
        let delivered = lines.first { $0.contains("email_configs[0]") }!
        #expect(delivered.contains("resolved") && delivered.contains("delivered") && delivered.hasSuffix("delivered 250"))
        #expect(lines.last == "(older notifications: --before 6)")
        let off = AlertsReport.alertsText(ListAlertsResponse(delivery: false))
        #expect(off.hasPrefix("ALERTS: 0 firing; delivery off"))
    }

    @Test("alerts --json: every field, names escaped by JSON")
    func alertsJSON() throws {
        let json = AlertsReport.alertsJSON(CannedAlerts.list).text
        let o = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let alerts = try #require(o["alerts"] as? [[String: Any]])
        #expect((alerts[0]["annotations"] as? [String: String])?["request_id"] == "r-42")
        #expect((alerts[1]["labels"] as? [String: String])?["source"] == "evil\u{1b}[2Jname")
        let n = try #require((o["notifications"] as? [[String: Any]])?.first)
        #expect(n["state"] as? String == "pending" && n["attempts"] as? Int == 2 && n["last_status"] as? Int == 500)
        #expect((n["recent_attempts"] as? [[String: Any]])?.count == 2)
        #expect(o["next_before_id"] as? Int == 6)
    }

    @Test("silence add: matchers, --duration from now, author and comment reach CreateSilence; the id is printed")
    func silenceAdd() throws {
        let server = try CannedServer { method, _ in
            method == .createSilence ? (.ok, SilenceID(id: "00000000000000ab").encode()) : CannedServer.error(.unimplemented, "no")
        }
        defer { server.stop() }
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let r = try server.run(["silence", "add", "source=\"pay ments\"", "feature=~\"f.*\"", "--duration", "2h",
                                "--author", "ops", "--comment", "deploy"])
        let after = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("silence 00000000000000ab created: source=\"pay ments\" feature=~\"f.*\" until "))
        let q = try CreateSilenceRequest.decode(try #require(server.requests(.createSilence).first))
        #expect(q.matchers == ["source=\"pay ments\"", "feature=~\"f.*\""])
        #expect(q.startsMs == 0 && q.createdBy == "ops" && q.comment == "deploy")
        #expect(q.endsMs >= before + 7_200_000 && q.endsMs <= after + 7_200_000)

        let end = try server.run(["silence", "add", "severity=\"warning\"", "--end", "2030-01-01T00:00:00Z", "--json"])
        #expect(end.status == 0, "\(end.stderr)")
        #expect(end.stdout.contains(#""id":"00000000000000ab""#))
        #expect(try CreateSilenceRequest.decode(server.requests(.createSilence)[1]).endsMs == 1_893_456_000_000)
    }

    @Test("silence add: a bad matcher or both --end and --duration fail locally (exit 2), nothing is sent")
    func silenceAddRefused() throws {
        let server = try CannedServer { _, _ in (.ok, SilenceID(id: "x").encode()) }
        defer { server.stop() }
        let bad = try server.run(["silence", "add", "kind=\"drift\"", "source payments"])
        #expect(bad.status == 2 && bad.stderr.contains("matcher 2 (source payments)"), "\(bad.stderr)")
        let none = try server.run(["silence", "add", "--duration", "1h"])
        #expect(none.status == 2 && none.stderr.contains("at least one matcher"))
        let both = try server.run(["silence", "add", "kind=\"drift\"", "--duration", "1h", "--end", "+2h"])
        #expect(both.status == 2 && both.stderr.contains("not both"))
        #expect(server.requests(.createSilence).isEmpty)
    }

    @Test("silence expire and list; a server error (unknown id) exits 2 with its message")
    func silenceExpireAndList() throws {
        let server = try CannedServer { method, metadata in
            switch method {
            case .expireSilence:
                let id = (try? SilenceID.decode(metadata).id) ?? ""
                guard id == "00000000000000ab" else { return CannedServer.error(.notFound, "no silence with id \(id)") }
                var s = CannedAlerts.silence
                s.state = "expired"
                return (.ok, ExpireSilenceResponse(expired: true, silence: s).encode())
            case .listAlerts: return (.ok, CannedAlerts.list.encode())
            default: return CannedServer.error(.unimplemented, "no")
            }
        }
        defer { server.stop() }
        let ok = try server.run(["silence", "expire", "00000000000000ab"])
        #expect(ok.status == 0 && ok.stdout.hasPrefix("silence 00000000000000ab expired at "))
        let missing = try server.run(["silence", "expire", "nope"])
        #expect(missing.status == 2 && missing.stderr.contains("no silence with id nope"))
        let list = try server.run(["silence", "list", "--all"])
        #expect(list.status == 0 && list.stdout.hasPrefix("SILENCES: 1\n"))
        #expect(try ListAlertsRequest.decode(try #require(server.requests(.listAlerts).first)).includeEndedSilences)
        let alerts = try server.run(["alerts", "--limit", "5"])
        #expect(alerts.status == 0 && alerts.stdout.hasPrefix("ALERTS: 2 firing"))
        #expect(try ListAlertsRequest.decode(server.requests(.listAlerts)[1]).notificationLimit == 5)
    }

    @Test("against a real driftd: silence add, alerts lists it, silence expire ends it")
    func realServer() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("driftctl-alerts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try DriftServer(configuration: DriftServerConfiguration(storePath: dir + "/s.sqlite"))
        defer { server.stop() }
        let address = "127.0.0.1:\(server.port)"
        let added = try CompareCommandTests.run(["silence", "add", "source=\"pay ments\"", "--duration", "30m",
                                                 "--comment", "maintenance", "--json", "--server", address])
        #expect(added.status == 0, "\(added.stderr)")
        let id = try #require((try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])?["id"] as? String)
        let alerts = try CompareCommandTests.run(["alerts", "--server", address])
        #expect(alerts.status == 0)
        #expect(alerts.stdout.contains("delivery off") && alerts.stdout.contains(id + "  active"))
        #expect(alerts.stdout.contains("maintenance"))
        let expired = try CompareCommandTests.run(["silence", "expire", id, "--server", address])
        #expect(expired.status == 0 && expired.stdout.hasPrefix("silence \(id) expired"))
        let list = try CompareCommandTests.run(["silence", "list", "--server", address])
        #expect(list.stdout == "SILENCES: 0\n")
    }
}
