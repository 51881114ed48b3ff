import DriftEngine
import DriftServer
import DriftWire
import Foundation
import Testing

/// Alerting end to end over loopback: real DriftServer, alerts from ingested windows, the outbox and the
/// delivery worker, with a recording sender.
@Suite("Alerting pipeline")
struct AlertPipelineTests {
    @Test("14 drifting features of one source: one notification with 14 firing alerts, delivered once, listed")
    func grouping() throws {
        let sender = RecordingSender()
        let f = try alertFixture(sender: sender)
        defer { f.close() }
        let c = try f.client()
        try AlertTest.createWideSource(c, "payments")
        try AlertTest.driftAll(c, "payments")
        #expect(eventually { sender.delivered.count >= 1 })
        let n = try #require(sender.delivered.first)
        #expect(n.firing.count == alertFeatureCount)
        #expect(Set(n.firing.map { $0[label: "kind"] }) == ["drift"])
        #expect(n.groupLabels == ["source": "payments"] && n.receiver == "team")
        let list = try AlertTest.listAlerts(c)
        #expect(list.delivery && list.alertsTotal == UInt64(alertFeatureCount))
        #expect(list.alerts.allSatisfy { $0.state == "active" && $0.label("source") == "payments" })
        #expect(eventually { (try? AlertTest.listAlerts(c).notifications.first?.state) == "delivered" })
        let row = try #require(try AlertTest.listAlerts(c).notifications.first)
        #expect(row.dedupKey == n.dedupKey && row.attempts == 1 && row.alerts == UInt32(alertFeatureCount))
        #expect(row.recentAttempts.first?.outcome == "delivered" && row.recentAttempts.first?.status == 200)
        #expect(sender.delivered.count == 1)
    }

    @Test("an unchanged group is notified again after repeat_interval with a new dedup key")
    func repeatInterval() throws {
        let sender = RecordingSender()
        let f = try alertFixture(sender: sender, groupIntervalMs: 50, repeatIntervalMs: 300)
        defer { f.close() }
        let c = try f.client()
        try AlertTest.createWideSource(c, "repeat")
        try AlertTest.driftAll(c, "repeat")
        #expect(eventually { sender.delivered.count >= 2 })
        let first = sender.delivered[0], second = sender.delivered[1]
        #expect(first.firing.map(\.fingerprint) == second.firing.map(\.fingerprint))
        #expect(first.dedupKey != second.dedupKey && second.sequence == first.sequence + 1)
        #expect(second.createdMs - first.createdMs >= 300)
    }

    @Test("recovered features resolve: a resolved notification follows the firing one")
    func resolved() throws {
        let sender = RecordingSender()
        let f = try alertFixture(sender: sender)
        defer { f.close() }
        let c = try f.client()
        try AlertTest.createWideSource(c, "recovers")
        try AlertTest.driftAll(c, "recovers")
        #expect(eventually { sender.delivered.count >= 1 })
        // Clean windows 2, 3 (j = 2) close with rows of 3 and 4: the tracker returns to ok.
        for w in Int64(3)...4 { try AlertTest.ingest(c, "recovers", window: w, shift: 0) }
        #expect(eventually { sender.delivered.contains { $0.status == "resolved" } })
        let resolved = try #require(sender.delivered.first { $0.status == "resolved" })
        #expect(resolved.firing.isEmpty && resolved.resolved.count == alertFeatureCount)
        #expect(resolved.resolved.allSatisfy { $0.endsAtMs != nil })
        #expect(try AlertTest.listAlerts(c).alertsTotal == 0)
    }

    @Test("a silence mutes the source's alerts (listed as silenced); expiring it lets the notification out")
    func silence() throws {
        let sender = RecordingSender()
        let f = try alertFixture(sender: sender)
        defer { f.close() }
        let c = try f.client()
        try AlertTest.createWideSource(c, "muted")
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let created = try c.call(.createSilence, CreateSilenceRequest(
            matchers: ["source=\"muted\""], endsMs: now + 3_600_000, createdBy: "ops", comment: "deploy").encode())
        try #require(created.header.status == .ok)
        let id = try SilenceID.decode(created.metadata).id
        #expect(id.count == 16)
        try AlertTest.driftAll(c, "muted")
        let list = try AlertTest.listAlerts(c)
        #expect(list.alertsTotal == UInt64(alertFeatureCount))
        #expect(list.alerts.allSatisfy { $0.state == "silenced" && $0.silencedBy == [id] })
        #expect(list.silences.map(\.id) == [id] && list.silences[0].state == "active" && list.silences[0].createdBy == "ops")
        usleep(300_000)  // several group flushes (group_interval 100 ms) pass: nothing may be sent
        #expect(sender.attempts.isEmpty && list.notifications.isEmpty)

        let expired = try c.call(.expireSilence, SilenceID(id: id).encode())
        try #require(expired.header.status == .ok)
        #expect(try ExpireSilenceResponse.decode(expired.metadata).expired)
        #expect(eventually { sender.delivered.count == 1 })
        #expect(sender.delivered[0].firing.count == alertFeatureCount)
        // Bad silences are refused with the field named; the server keeps serving.
        for (bad, field) in [(CreateSilenceRequest(matchers: ["source=~\".*\""], endsMs: now + 60_000), "matchers"),
                             (CreateSilenceRequest(matchers: ["no operator"], endsMs: now + 60_000), "matchers[0]"),
                             (CreateSilenceRequest(matchers: ["source=\"x\""], endsMs: now - 1), "ends_ms")] {
            let r = try c.call(.createSilence, bad.encode())
            #expect(r.header.status == .invalidArgument && (try? ErrorDetail.decode(r.metadata))?.fieldPath == field)
        }
        let missing = try c.call(.expireSilence, SilenceID(id: "nope").encode())
        #expect(missing.header.status == .notFound)
    }

    @Test("a stale source inhibits its drift alerts: only the freshness alert is notified")
    func inhibition() throws {
        let sender = RecordingSender()
        let f = try alertFixture(sender: sender)
        defer { f.close() }
        let c = try f.client()
        // A source that has not delivered since the server started is held to its SLA from that start (PROTOCOL
        // §13, GetSourceStatus): it is not stale before its first block. The first block's event times are days
        // in the past: stale by the 1 h event-age SLA from the next check on — before the drifting windows close.
        try AlertTest.createWideSource(c, "stale", monitoring: MonitoringSpec(graceMs: 0, maxEventAgeMs: 3_600_000))
        try AlertTest.ingest(c, "stale", window: 0, shift: 1.5)
        #expect(eventually { (try? AlertTest.listAlerts(c).alerts.contains { $0.label("kind") == "freshness" }) == true })
        for w in Int64(1)..<3 { try AlertTest.ingest(c, "stale", window: w, shift: w < 2 ? 1.5 : 0) }
        let list = try AlertTest.listAlerts(c)
        let drift = list.alerts.filter { $0.label("kind") == "drift" }
        #expect(drift.count == alertFeatureCount && drift.allSatisfy { $0.state == "inhibited" })
        #expect(list.alerts.first { $0.label("kind") == "freshness" }?.state == "active")
        #expect(eventually { sender.delivered.count >= 1 })
        usleep(300_000)
        #expect(sender.delivered.allSatisfy { n in n.firing.allSatisfy { $0[label: "kind"] == "freshness" } })
        #expect(sender.delivered.allSatisfy { $0.firing.count == 1 })
    }

    @Test("receiver down (retryable) then up: delivered once, every attempt recorded")
    func receiverDownThenUp() throws {
        let sender = RecordingSender()
        sender.script("webhook_configs[0]", [.retryable(status: 503, message: "HTTP 503"),
                                              .retryable(status: nil, message: "connection refused"),
                                              .delivered(status: 200)])
        let f = try alertFixture(sender: sender)
        defer { f.close() }
        let c = try f.client()
        try AlertTest.createWideSource(c, "flaky")
        try AlertTest.driftAll(c, "flaky")
        #expect(eventually { (try? AlertTest.listAlerts(c).notifications.first?.state) == "delivered" })
        let row = try #require(try AlertTest.listAlerts(c).notifications.first)
        #expect(row.attempts == 3 && row.deliveredMs != nil && row.lastError.isEmpty)
        #expect(row.recentAttempts.map(\.outcome) == ["delivered", "retryable", "retryable"])
        #expect(row.recentAttempts.last?.status == 503 && row.recentAttempts[1].message == "connection refused")
        #expect(sender.delivered.count == 1 && sender.attempts.count == 3)
        #expect(Set(sender.attempts.map(\.notification.dedupKey)).count == 1)
    }

    @Test("a permanent failure (4xx) is recorded and not retried")
    func permanentNotRetried() throws {
        let sender = RecordingSender()
        sender.script("webhook_configs[0]", [.permanent(status: 400, message: "HTTP 400")])
        let f = try alertFixture(sender: sender)
        defer { f.close() }
        let c = try f.client()
        try AlertTest.createWideSource(c, "rejects")
        try AlertTest.driftAll(c, "rejects")
        #expect(eventually { (try? AlertTest.listAlerts(c).notifications.first?.state) == "failed" })
        usleep(300_000)  // backoff is 20–100 ms here: a retry would have happened
        let row = try #require(try AlertTest.listAlerts(c).notifications.first)
        #expect(row.attempts == 1 && row.lastStatus == 400 && row.lastError == "HTTP 400")
        #expect(sender.attempts.count == 1)
    }

    @Test("pending notifications survive a restart and are delivered once per dedup key")
    func restartWithPendingOutbox() throws {
        let down = RecordingSender(receivers: ["team": ["webhook_configs[0]", "slack_configs[0]"]])
        down.script("webhook_configs[0]", [.retryable(status: 502, message: "HTTP 502")])
        down.script("slack_configs[0]", [.retryable(status: 502, message: "HTTP 502")])
        let f = try alertFixture(sender: down)
        let dir = f.dir
        let c = try f.client()
        try AlertTest.createWideSource(c, "durable")
        try AlertTest.driftAll(c, "durable")
        #expect(eventually { down.attempts.count >= 2 })
        let keys = Set(down.attempts.map(\.notification.dedupKey))
        #expect(keys.count == 1)
        f.server.stop()

        let up = RecordingSender(receivers: ["team": ["webhook_configs[0]", "slack_configs[0]"]])
        let g = try alertFixture(sender: up, dir: dir)
        defer { g.close() }
        #expect(eventually { up.delivered.count >= 2 })
        usleep(300_000)
        #expect(up.delivered.count == 2)
        #expect(Set(up.attempts.map(\.integration)) == ["webhook_configs[0]", "slack_configs[0]"])
        #expect(Set(up.delivered.map(\.dedupKey)) == keys)
        // The restored dispatcher knows the group was notified: the same alerts do not notify again.
        let c2 = try g.client()
        try AlertTest.ingest(c2, "durable", window: 3, shift: 1.5)
        usleep(300_000)
        #expect(up.delivered.count == 2)
        #expect(try AlertTest.listAlerts(c2).alertsTotal == UInt64(alertFeatureCount))
    }

    @Test("hostile source names survive the outbox, the RPC and the notification unchanged")
    func hostileNames() throws {
        let sender = RecordingSender()
        let f = try alertFixture(sender: sender)
        defer { f.close() }
        let c = try f.client()
        let hostile = "pay\"ments <script>alert(1)</script> *bold* `x` \u{2028}é"
        try AlertTest.createWideSource(c, hostile)
        try AlertTest.driftAll(c, hostile)
        #expect(eventually { sender.delivered.count >= 1 })
        #expect(sender.delivered[0].groupLabels == ["source": hostile])
        #expect(sender.delivered[0].firing.allSatisfy { $0[label: "source"] == hostile })
        let list = try AlertTest.listAlerts(c)
        #expect(list.alerts.allSatisfy { $0.label("source") == hostile })
        // A silence on the hostile name (quoted matcher) round-trips too.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let m = Matcher.self
        let text = try m.init(name: "source", .equal, hostile).description
        let r = try c.call(.createSilence, CreateSilenceRequest(matchers: [text], endsMs: now + 60_000).encode())
        try #require(r.header.status == .ok)
        #expect(try AlertTest.listAlerts(c).alerts.allSatisfy { $0.state == "silenced" })
    }
}
