import DriftEngine
import DriftStore
import DriftTransport
import DriftWire

/// A feature's alerts for its page: those firing now, and the recent notifications that carried one of its alerts.
struct FeatureAlerts: Sendable {
    var firing: [AlertInfo]
    var notifications: [(notification: NotificationInfo, status: String, severity: String, kind: String)]
}

extension ServerCore {
    /// ListAlerts with the query of `/alerts` and `/api/v1/alerts`: `limit` (notifications, 1…500, default 50),
    /// `before` (a notification id: older ones), `ended_silences=true` (list ended silences too). A malformed
    /// value is a RequestError (400).
    func listAlerts(query request: HTTPRequest) throws -> ListAlertsResponse {
        var req = ListAlertsRequest()
        if let l = request.queryValue("limit"), !l.isEmpty {
            guard let v = UInt32(l), v > 0 else {
                throw RequestError(.invalidArgument, "limit: \(l) is not a positive number", fieldPath: "limit")
            }
            req.notificationLimit = v
        }
        if let b = request.queryValue("before"), !b.isEmpty {
            guard let v = UInt64(b) else {
                throw RequestError(.invalidArgument, "before: \(b) is not a notification id", fieldPath: "before")
            }
            req.beforeNotificationID = v
        }
        if let e = request.queryValue("ended_silences"), !e.isEmpty {
            guard e == "true" || e == "false" else {
                throw RequestError(.invalidArgument, "ended_silences: \(e) is not true or false", fieldPath: "ended_silences")
            }
            req.includeEndedSilences = e == "true"
        }
        return try listAlerts(req)
    }

    /// `GET /alerts`: firing alerts by severity, silences, recent notifications and their delivery.
    func alertsPage(_ request: HTTPRequest) -> HTTPResponse {
        do {
            return AlertsPage.response(try listAlerts(query: request), nowMs: DriftStore.wallClockMilliseconds())
        } catch let e as RequestError where e.status == .invalidArgument {
            return DashboardPage.response(400, title: "Bad request", section: .alerts,
                                          main: "<h1>Bad request</h1><p class=\"empty\">\(HTMLText.escape(e.message))</p>",
                                          refresh: false)
        } catch {
            return DashboardPage.failure("\(error)")
        }
    }

    /// `GET /api/v1/alerts`: ListAlerts as JSON (shape in README "HTTP endpoint").
    func alertsJSON(_ request: HTTPRequest) -> HTTPResponse {
        do {
            let r = try listAlerts(query: request)
            return .json(200, Self.alertsJSON(r, nowMs: DriftStore.wallClockMilliseconds()) + "\n")
        } catch {
            return Self.errorResponse(error)
        }
    }

    static func alertsJSON(_ r: ListAlertsResponse, nowMs: Int64) -> String {
        JSONText.object([
            ("now_ms", "\(nowMs)"),
            ("delivery", r.delivery ? "true" : "false"),
            ("alerts_total", "\(r.alertsTotal)"),
            ("alerts", JSONText.array(r.alerts.map(alertJSON))),
            ("silences", JSONText.array(r.silences.map { s in
                JSONText.object([
                    ("id", JSONText.string(s.id)), ("state", JSONText.string(s.state)),
                    ("matchers", JSONText.array(s.matchers.map(JSONText.string))),
                    ("starts_ms", "\(s.startsMs)"), ("ends_ms", "\(s.endsMs)"), ("created_ms", "\(s.createdMs)"),
                    ("created_by", JSONText.string(s.createdBy)), ("comment", JSONText.string(s.comment)),
                ])
            })),
            ("notifications", JSONText.array(r.notifications.map(notificationJSON))),
            ("next_before", r.nextBeforeID == 0 ? "null" : "\(r.nextBeforeID)"),
        ])
    }

    static func alertJSON(_ a: AlertInfo) -> String {
        JSONText.object([
            ("fingerprint", JSONText.string(a.fingerprint)),
            ("labels", JSONText.object(a.labels.map { ($0.name, JSONText.string($0.value)) })),
            ("severity", JSONText.string(AlertsPage.label(a, Alert.severityLabel))),
            ("state", JSONText.string(a.state)),
            ("silenced_by", JSONText.array(a.silencedBy.map(JSONText.string))),
            ("starts_ms", "\(a.startsMs)"),
            ("annotations", JSONText.object(a.annotations.map { ($0.name, JSONText.string($0.value)) })),
        ])
    }

    static func notificationJSON(_ n: NotificationInfo) -> String {
        JSONText.object([
            ("id", "\(n.id)"), ("receiver", JSONText.string(n.receiver)), ("integration", JSONText.string(n.integration)),
            ("group_key", JSONText.string(n.groupKey)), ("dedup_key", JSONText.string(n.dedupKey)),
            ("status", JSONText.string(n.status)), ("alerts", "\(n.alerts)"), ("created_ms", "\(n.createdMs)"),
            ("state", JSONText.string(n.state)), ("attempts", "\(n.attempts)"),
            ("next_attempt_ms", n.state == "pending" ? "\(n.nextAttemptMs)" : "null"),
            ("last_status", JSONText.optional(n.lastStatus)),
            ("last_error", n.lastError.isEmpty ? "null" : JSONText.string(n.lastError)),
            ("delivered_ms", JSONText.optional(n.deliveredMs)),
            ("recent_attempts", JSONText.array(n.recentAttempts.map { t in
                JSONText.object([("at_ms", "\(t.atMs)"), ("outcome", JSONText.string(t.outcome)),
                                 ("status", JSONText.optional(t.status)), ("message", JSONText.string(t.message)),
                                 ("duration_us", "\(t.durationUs)")])
            })),
        ])
    }

    /// Outbox rows the feature page scans for notifications about the feature.
    static let featureNotificationScan = 200

    /// The alerts of `feature` of `source` (as `feature` or as the `partner` of a pair): firing now with their
    /// mute state, and the notifications among the last ``featureNotificationScan`` that carried one, newest
    /// first (at most 10).
    func featureAlerts(source: String, feature: String) throws -> FeatureAlerts {
        func concerns(_ labels: [String: String]) -> Bool {
            labels[Alert.sourceLabel] == source
                && (labels[Alert.featureLabel] == feature || labels[Alert.partnerLabel] == feature)
        }
        let now = DriftStore.wallClockMilliseconds()
        let firing = alerting.snapshot(nowMs: now).alerts.filter { concerns($0.0.labels) }
            .sorted { $0.0.startsAtMs > $1.0.startsAtMs }.map { Self.info($0.0, $0.1) }
        let rows = try withStore { try $0.recentAlertOutbox(limit: Self.featureNotificationScan) }
        var notifications: [(NotificationInfo, String, String, String)] = []
        for row in rows where notifications.count < 10 {
            guard let n = try? AlertNotification.decode(row.notification) else { continue }
            let mine = n.firing.filter { concerns($0.labels) }.map { ($0, "firing") }
                + n.resolved.filter { concerns($0.labels) }.map { ($0, "resolved") }
            guard let (alert, status) = mine.first else { continue }
            notifications.append((Self.info(row, attempts: []), status, alert[label: Alert.severityLabel],
                                  alert[label: Alert.kindLabel]))
        }
        return FeatureAlerts(firing: firing, notifications: notifications)
    }
}
