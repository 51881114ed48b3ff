import DriftEngine
import DriftNotify
@testable import DriftServer
import DriftTestReceivers
import DriftWire
import Foundation
import Testing

/// Alerting end to end with the REAL senders: a DriftServer configured from driftd's alerting JSON (the
/// `alerting` object of the config file, read by `DriftdOptions`), `CurlAlertSender` posting to loopback
/// `RecordingHTTPServer`s and mailing a `RecordingSMTPServer`. Fast timings: group_interval 100 ms, backoff
/// 20–100 ms, monitor interval 50 ms. Waits are bounded polls, never timing assertions.
@Suite("Alert delivery over loopback (curl)")
struct AlertDeliveryTests {
    /// A server whose alerting is `alerting` (JSON text of the config file's `alerting` object).
    static func server(_ alerting: String, dir: String? = nil, logFile: String? = nil) throws -> Fixture {
        var options = DriftdOptions()
        try options.apply(config: "{\"alerting\": \(alerting)}", file: "test.json")
        let a = try #require(try options.alertingOptions())
        return try Fixture(dir: dir) { c in
            c.alerting = a.config
            c.alertDelivery = a.sender
            c.alertDeliverySettings = a.deliverySettings
            c.monitorIntervalMilliseconds = 50
            c.dashboardURL = "http://127.0.0.1:7401"
            if let logFile { c.logger = (try? Logger.appending(to: logFile, level: .debug, format: .json)) ?? .disabled }
        }
    }

    /// One receiver "team" posting to `url`, grouped by source.
    static func webhookConfig(_ url: String, groupWait: String = "0s", repeatInterval: String = "4h",
                              extra: String = "") -> String {
        """
        {"route": {"receiver": "team", "group_by": ["source"], "group_wait": "\(groupWait)",
                   "group_interval": "100ms", "repeat_interval": "\(repeatInterval)"},
         "receivers": [{"name": "team", "webhook_configs": [{"url": "\(url)"}]}],
         "delivery": {"initial_backoff_ms": 20, "max_backoff_ms": 100, "timeout_ms": 2000}\(extra)}
        """
    }

    /// The webhook bodies received, parsed.
    static func bodies(_ http: RecordingHTTPServer, path: String? = nil) -> [[String: Any]] {
        http.requests.filter { path == nil || $0.path == path }.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any]
        }
    }

    static func alerts(_ body: [String: Any]) -> [[String: Any]] { body["alerts"] as? [[String: Any]] ?? [] }
    static func labels(_ alert: [String: Any]) -> [String: String] { alert["labels"] as? [String: String] ?? [:] }
    static func annotations(_ alert: [String: Any]) -> [String: String] { alert["annotations"] as? [String: String] ?? [:] }

    /// The dedup key a receiver would use: group key + sorted fingerprints (each body's).
    static func dedupKey(_ body: [String: Any]) -> String {
        (body["groupKey"] as? String ?? "") + "|" + (body["status"] as? String ?? "") + "|"
            + alerts(body).compactMap { $0["fingerprint"] as? String }.sorted().joined(separator: ",")
    }

    /// The Ingest of window `w` (as `AlertTest.ingest`), answering the response's request id.
    static func ingest(_ c: TestClient, _ source: String, window w: Int64, shift: Double) throws -> String {
        let r = try c.call(.ingest, IngestRequest(source: source, blockTimestampMs: AlertTest.t0 + w * AlertTest.hour).encode(),
                           body: try wideBlock(rows: 2000, seed: 100 + UInt64(w), shift: shift), codec: .zstd)
        try #require(r.header.status == .ok, "\(String(describing: try? ErrorDetail.decode(r.metadata)))")
        return try IngestResponse.decode(r.metadata).requestID
    }

    /// The decoded body of the MIME part of `type` (base64 transfer encoding) in a message.
    static func mimePart(_ data: String, type: String) -> String? {
        let text = data.replacingOccurrences(of: "\r\n", with: "\n")
        for part in text.components(separatedBy: "\n--") where part.contains("Content-Type: \(type)") {
            guard let blank = part.range(of: "\n\n") else { continue }
            let encoded = part[blank.upperBound...].split(separator: "\n").filter { !$0.hasPrefix("--") }.joined()
            guard let bytes = Data(base64Encoded: encoded) else { continue }
            return String(decoding: bytes, as: UTF8.self)
        }
        return nil
    }

    // MARK: - Grouping, request ids

    @Test("14 drifting features: ONE webhook post in Alertmanager format; its request_id is the Ingest's (response and log line)")
    func groupingAndRequestID() throws {
        let http = try RecordingHTTPServer()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let f = try Self.server(Self.webhookConfig(http.baseURL + "/hook"), logFile: log)
        defer { f.close() }
        let c = try f.client()
        try AlertTest.createWideSource(c, "payments")
        var ids: [String] = []
        for w in Int64(0)..<3 { ids.append(try Self.ingest(c, "payments", window: w, shift: w < 2 ? 1.5 : 0)) }
        #expect(http.waitForRequests(1))
        usleep(300_000)  // several group intervals: nothing more may come
        #expect(http.requests.count == 1)
        let req = try #require(http.requests.first)
        #expect(req.method == "POST" && req.path == "/hook" && req.header("Content-Type") == "application/json")
        let body = try #require(Self.bodies(http).first)
        #expect(body["version"] as? String == "4" && body["status"] as? String == "firing")
        #expect(body["receiver"] as? String == "team")
        #expect(body["groupLabels"] as? [String: String] == ["source": "payments"])
        #expect(body["externalURL"] as? String == "http://127.0.0.1:7401")
        let alerts = Self.alerts(body)
        #expect(alerts.count == alertFeatureCount)
        #expect(Set(alerts.map { Self.labels($0)["feature"] ?? "" }) == Set(alertFeatures.map(\.name)))
        // The Ingest of window 2 closed the drifting windows: its id is in the response, the alert and the log.
        let closing = ids[2]
        #expect(!closing.isEmpty)
        #expect(alerts.allSatisfy { Self.annotations($0)["request_id"] == closing })
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.contains { $0.contains("\"window closed\"") && $0.contains("\"request_id\":\"\(closing)\"") })
        #expect(lines.contains { $0.contains("\"request\"") && $0.contains("\"request_id\":\"\(closing)\"") })
        // ListAlerts shows the same id, and the notification as delivered after one attempt.
        #expect(eventually { (try? AlertTest.listAlerts(c).notifications.first?.state) == "delivered" })
        let list = try AlertTest.listAlerts(c)
        #expect(list.alerts.allSatisfy { a in a.annotations.contains { $0.name == "request_id" && $0.value == closing } })
        #expect(list.notifications.first?.attempts == 1 && list.notifications.first?.lastStatus == 200)
        // /metrics counts the delivery by receiver and outcome.
        #expect(f.server.core.metricsText(nowMs: Int64(Date().timeIntervalSince1970 * 1000)).contains("driftd_alert_deliveries_total{receiver=\"team\",outcome=\"delivered\"} 1"))
    }

    // MARK: - Repeat and resolve

    @Test("repeat_interval: the unchanged group is posted again; recovery posts a resolved notification")
    func repeatThenResolve() throws {
        let http = try RecordingHTTPServer()
        let f = try Self.server(Self.webhookConfig(http.baseURL + "/hook", repeatInterval: "400ms"))
        defer { f.close() }
        let c = try f.client()
        try AlertTest.createWideSource(c, "repeats")
        try AlertTest.driftAll(c, "repeats")
        #expect(http.waitForRequests(2))
        let firing = Self.bodies(http)
        #expect(firing.count >= 2 && firing.allSatisfy { $0["status"] as? String == "firing" })
        #expect(Set(firing.prefix(2).map { Self.alerts($0).count }) == [alertFeatureCount])
        #expect(firing[0]["groupKey"] as? String == firing[1]["groupKey"] as? String)
        // Clean windows 3 and 4 close: every feature returns to ok, the group resolves.
        for w in Int64(3)...4 { try AlertTest.ingest(c, "repeats", window: w, shift: 0) }
        #expect(waitUntilTrue { Self.bodies(http).contains { $0["status"] as? String == "resolved" } })
        let resolved = try #require(Self.bodies(http).first { $0["status"] as? String == "resolved" })
        #expect(Self.alerts(resolved).count == alertFeatureCount)
        #expect(Self.alerts(resolved).allSatisfy { $0["status"] as? String == "resolved" && $0["endsAt"] as? String != "0001-01-01T00:00:00Z" })
        #expect(try AlertTest.listAlerts(c).alertsTotal == 0)
    }

    // MARK: - Silences

    @Test("a silence created over RPC suppresses the post; expiring it lets exactly one through")
    func silenceThenExpire() throws {
        let http = try RecordingHTTPServer()
        let f = try Self.server(Self.webhookConfig(http.baseURL + "/hook"))
        defer { f.close() }
        let c = try f.client()
        try AlertTest.createWideSource(c, "pay ments")
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let created = try c.call(.createSilence, CreateSilenceRequest(
            matchers: ["source=\"pay ments\"", "feature=~\"f.*\""], endsMs: now + 3_600_000, createdBy: "ops",
            comment: "deploy").encode())
        try #require(created.header.status == .ok)
        let id = try SilenceID.decode(created.metadata).id
        try AlertTest.driftAll(c, "pay ments")
        #expect(eventually { (try? AlertTest.listAlerts(c).alertsTotal) == UInt64(alertFeatureCount) })
        usleep(400_000)  // four group intervals
        #expect(http.requests.isEmpty)
        #expect(try AlertTest.listAlerts(c).alerts.allSatisfy { $0.state == "silenced" && $0.silencedBy == [id] })
        let expired = try c.call(.expireSilence, SilenceID(id: id).encode())
        try #require(expired.header.status == .ok)
        #expect(http.waitForRequests(1))
        usleep(300_000)
        #expect(http.requests.count == 1)
        #expect(Self.alerts(try #require(Self.bodies(http).first)).count == alertFeatureCount)
    }

    // MARK: - Inhibition

    @Test("a stale source's freshness alert is posted; its drift alerts are inhibited and never posted")
    func staleInhibitsDrift() throws {
        let http = try RecordingHTTPServer()
        let f = try Self.server(Self.webhookConfig(http.baseURL + "/hook"))
        defer { f.close() }
        let c = try f.client()
        try AlertTest.createWideSource(c, "stale", monitoring: MonitoringSpec(graceMs: 0, maxEventAgeMs: 3_600_000))
        try AlertTest.ingest(c, "stale", window: 0, shift: 1.5)  // days-old events: stale at the next check
        #expect(http.waitForRequests(1))
        for w in Int64(1)..<3 { try AlertTest.ingest(c, "stale", window: w, shift: w < 2 ? 1.5 : 0) }
        #expect(eventually { (try? AlertTest.listAlerts(c).alerts.filter { $0.state == "inhibited" }.count) == alertFeatureCount })
        usleep(400_000)
        let posted = Self.bodies(http).flatMap(Self.alerts)
        #expect(!posted.isEmpty && posted.allSatisfy { Self.labels($0)["kind"] == "freshness" })
        #expect(posted.allSatisfy { Self.labels($0)["severity"] == "critical" })
    }

    /// Four reports of `metric` for windows 0…3: three at `reference`, the last at `last` (higher is better).
    static func reportMetric(_ c: TestClient, _ source: String, _ metric: String, reference: Double, last: Double) throws {
        for w in Int64(0)..<4 {
            let r = try c.call(.reportModelMetric, ReportModelMetricRequest(
                source: source, model: "m", metric: metric, windowStartMs: AlertTest.t0 + w * AlertTest.hour,
                value: w < 3 ? reference : last, higherIsBetter: true).encode())
            try #require(r.header.status == .ok, "\(String(describing: try? ErrorDetail.decode(r.metadata)))")
        }
    }

    @Test("a critical alert inhibits the warning of the same source and kind (performance: auc critical, accuracy warning)")
    func criticalInhibitsWarning() throws {
        let http = try RecordingHTTPServer()
        let f = try Self.server(Self.webhookConfig(http.baseURL + "/hook"))
        defer { f.close() }
        let c = try f.client()
        try AlertTest.createWideSource(c, "model")
        try Self.reportMetric(c, "model", "accuracy", reference: 0.9, last: 0.78)  // −13 %: warning
        #expect(http.waitForRequests(1))
        #expect(Self.alerts(Self.bodies(http)[0]).map { Self.labels($0)["severity"] } == ["warning"])
        try Self.reportMetric(c, "model", "auc", reference: 0.9, last: 0.6)        // −33 %: critical
        #expect(eventually { (try? AlertTest.listAlerts(c).alerts.contains { $0.state == "inhibited" }) == true })
        let list = try AlertTest.listAlerts(c)
        #expect(list.alerts.first { $0.label("metric") == "m/accuracy" }?.state == "inhibited")
        #expect(list.alerts.first { $0.label("metric") == "m/auc" }?.state == "active")
        #expect(http.waitForRequests(2))
        usleep(300_000)
        // The second post: auc firing; accuracy is neither firing nor resolved (still firing, muted).
        let last = try #require(Self.bodies(http).last)
        #expect(Self.alerts(last).filter { $0["status"] as? String == "firing" }.map { Self.labels($0)["metric"] } == ["m/auc"])
        #expect(!Self.alerts(last).contains { Self.labels($0)["metric"] == "m/accuracy" && $0["status"] as? String == "firing" })
    }

    // MARK: - Routing by severity

    @Test("critical routes to webhook + email, warning to another receiver")
    func severityRouting() throws {
        let http = try RecordingHTTPServer()
        let smtp = try RecordingSMTPServer()
        let config = """
        {"route": {"receiver": "team", "group_by": ["source"], "group_wait": "0s", "group_interval": "100ms",
                   "routes": [{"matchers": ["severity=\\"critical\\""], "receiver": "oncall"}]},
         "receivers": [
           {"name": "team", "webhook_configs": [{"url": "\(http.baseURL)/team"}]},
           {"name": "oncall", "webhook_configs": [{"url": "\(http.baseURL)/oncall"}],
            "email_configs": [{"to": "oncall@example.com", "from": "driftd@example.com",
                               "smarthost": "127.0.0.1:\(smtp.port)", "require_tls": false}]}],
         "delivery": {"initial_backoff_ms": 20, "max_backoff_ms": 100, "timeout_ms": 2000}}
        """
        let f = try Self.server(config)
        defer { f.close() }
        let c = try f.client()
        try AlertTest.createWideSource(c, "model")
        try Self.reportMetric(c, "model", "accuracy", reference: 0.9, last: 0.78)  // warning
        try AlertTest.createWideSource(c, "late", monitoring: MonitoringSpec(graceMs: 0, maxEventAgeMs: 3_600_000))
        try AlertTest.ingest(c, "late", window: 0, shift: 0)                       // stale: critical
        #expect(waitUntilTrue { Self.bodies(http, path: "/team").count >= 1 && Self.bodies(http, path: "/oncall").count >= 1 })
        #expect(smtp.waitForMessages(1))
        let team = Self.bodies(http, path: "/team").flatMap(Self.alerts).map(Self.labels)
        let oncall = Self.bodies(http, path: "/oncall").flatMap(Self.alerts).map(Self.labels)
        #expect(team.allSatisfy { $0["severity"] == "warning" && $0["source"] == "model" })
        #expect(oncall.allSatisfy { $0["severity"] == "critical" && $0["source"] == "late" && $0["kind"] == "freshness" })
        let mail = try #require(smtp.messages.first)
        #expect(mail.recipients == ["oncall@example.com"])
        #expect(mail.data.contains("Subject: [FIRING:1] late"))
    }

    // MARK: - Receiver failures

    @Test("receiver answers 500, then recovers: retried with backoff, every attempt recorded, delivered once")
    func serverErrorThenRecovery() throws {
        let http = try RecordingHTTPServer(mode: .status(500))
        let f = try Self.server(Self.webhookConfig(http.baseURL + "/hook"))
        defer { f.close() }
        let c = try f.client()
        try AlertTest.createWideSource(c, "flaky")
        try AlertTest.driftAll(c, "flaky")
        #expect(http.waitForRequests(3))
        http.mode = .ok
        #expect(eventually { (try? AlertTest.listAlerts(c).notifications.first?.state) == "delivered" })
        usleep(300_000)
        let row = try #require(try AlertTest.listAlerts(c).notifications.first)
        let posts = http.requests.count
        #expect(row.attempts == UInt64(posts) && posts >= 4)
        #expect(row.recentAttempts.first?.outcome == "delivered" && row.recentAttempts.first?.status == 200)
        #expect(row.recentAttempts.dropFirst().allSatisfy { $0.outcome == "retryable" && $0.status == 500 })
        // Every post carried the same notification (a receiver dedupes on it); exactly one was accepted.
        #expect(Set(Self.bodies(http).map(Self.dedupKey)).count == 1)
        #expect(try AlertTest.listAlerts(c).notifications.count == 1)
        let metrics = f.server.core.metricsText(nowMs: Int64(Date().timeIntervalSince1970 * 1000))
        #expect(metrics.contains("driftd_alert_deliveries_total{receiver=\"team\",outcome=\"delivered\"} 1"))
        #expect(metrics.contains("driftd_alert_deliveries_total{receiver=\"team\",outcome=\"retryable\"} \(posts - 1)"))
    }

    @Test("a 4xx answer is permanent: one attempt, recorded as failed, never retried")
    func clientErrorNotRetried() throws {
        let http = try RecordingHTTPServer(mode: .status(400))
        let f = try Self.server(Self.webhookConfig(http.baseURL + "/hook"))
        defer { f.close() }
        let c = try f.client()
        try AlertTest.createWideSource(c, "rejects")
        try AlertTest.driftAll(c, "rejects")
        #expect(eventually { (try? AlertTest.listAlerts(c).notifications.first?.state) == "failed" })
        usleep(400_000)  // backoff is 20–100 ms: a retry would have come
        #expect(http.requests.count == 1)
        let row = try #require(try AlertTest.listAlerts(c).notifications.first)
        #expect(row.attempts == 1 && row.lastStatus == 400 && row.lastError == "HTTP 400")
    }

    // MARK: - Hostile names

    @Test("hostile source names: valid JSON in the webhook, escaped mrkdwn in Slack, escaped HTML and clean headers in email")
    func hostileNamesEscaped() throws {
        let http = try RecordingHTTPServer()
        let smtp = try RecordingSMTPServer()
        let hostile = "pay\"ments <b>&amp; *bold* _x_ `code` <!channel> \\ é"
        let config = """
        {"route": {"receiver": "all", "group_by": ["source"], "group_wait": "0s", "group_interval": "100ms"},
         "receivers": [{"name": "all",
            "webhook_configs": [{"url": "\(http.baseURL)/hook"}],
            "slack_configs": [{"api_url": "env:DRIFTD_TEST_SLACK_URL_\(getpid())"}],
            "email_configs": [{"to": "ops@example.com", "from": "driftd@example.com",
                               "smarthost": "127.0.0.1:\(smtp.port)", "require_tls": false}]}],
         "delivery": {"initial_backoff_ms": 20, "max_backoff_ms": 100, "timeout_ms": 2000}}
        """
        setenv("DRIFTD_TEST_SLACK_URL_\(getpid())", http.baseURL + "/slack", 1)
        let f = try Self.server(config)
        defer { f.close() }
        let c = try f.client()
        try AlertTest.createWideSource(c, hostile)
        try AlertTest.driftAll(c, hostile)
        #expect(waitUntilTrue { http.requests.count >= 2 })
        #expect(smtp.waitForMessages(1))
        // Webhook: JSON that parses back to the exact name.
        let hook = try #require(Self.bodies(http, path: "/hook").first)
        #expect(hook["groupLabels"] as? [String: String] == ["source": hostile])
        #expect(Self.alerts(hook).allSatisfy { Self.labels($0)["source"] == hostile })
        // Slack: valid JSON; in the text, < > & are entities, so no link, mention or markup is injected.
        let slackRequest = try #require(http.requests.first { $0.path == "/slack" })
        let slack = try #require(try JSONSerialization.jsonObject(with: Data(slackRequest.body)) as? [String: Any])
        let slackText = String(decoding: try JSONSerialization.data(withJSONObject: slack), as: UTF8.self)
        #expect(!slackText.contains("<!channel>") && !slackText.contains("<b>"))
        #expect(slackRequest.bodyText.contains("&lt;!channel&gt;") || slackRequest.bodyText.contains("\\u0026lt;!channel"))
        // Email: no raw name in headers that could break them; the HTML part escapes the markup.
        let mail = try #require(smtp.messages.first)
        let headerBlock = mail.data.components(separatedBy: "\r\n\r\n").first ?? ""
        #expect(!headerBlock.contains("<b>") && !headerBlock.contains("\"ments"))
        #expect(headerBlock.split(separator: "\r\n").allSatisfy { !$0.contains("\n") && !$0.contains("\r") })
        let html = try #require(Self.mimePart(mail.data, type: "text/html"))
        #expect(html.contains("&lt;b&gt;&amp;amp;") && !html.contains("<b>&amp;"))
        #expect(try #require(Self.mimePart(mail.data, type: "text/plain")).contains(hostile))
        // The secret Slack URL is in no notification row, attempt message or listing.
        let listing = "\(try AlertTest.listAlerts(c))"
        #expect(!listing.contains("/slack"))
    }
}

/// Polls `condition` every 20 ms for up to 20 s (a bound on waiting, not a timing assertion).
func waitUntilTrue(_ condition: () -> Bool) -> Bool { eventually(20, condition) }
