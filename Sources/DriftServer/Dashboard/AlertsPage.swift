import DriftEngine
import DriftTransport
import DriftWire

/// `GET /alerts`: ListAlerts (method 18) as a page — the firing alerts grouped by severity (critical first) with
/// their mute state, the silences, and the recent notifications with their delivery state and attempts. Pure
/// rendering from the RPC's answer, so the page and `/api/v1/alerts` show the same data; every label, matcher,
/// author, comment, receiver and error text is escaped here.
enum AlertsPage {
    static func response(_ r: ListAlertsResponse, nowMs: Int64) -> HTTPResponse {
        DashboardPage.response(title: "Alerts", section: .alerts, main: main(r, nowMs: nowMs), api: "/api/v1/alerts")
    }

    static func main(_ r: ListAlertsResponse, nowMs: Int64) -> String {
        var main = "<h1>Alerts</h1>"
        let active = r.alerts.filter { $0.state == "active" }.count
        let muted = r.alerts.count - active
        let liveSilences = r.silences.filter { $0.state != "expired" }.count
        var summary = r.alertsTotal == 0 ? ["nothing firing"] : ["\(r.alertsTotal) firing"]
        if muted > 0 { summary.append("\(muted) of them muted") }
        summary.append(liveSilences == 1 ? "1 silence" : "\(liveSilences) silences")
        summary.append(r.delivery ? "notifications are delivered to the configured receivers"
            : "no receivers configured: alerts are listed here but not sent (driftd <code>--alerts-config FILE</code>)")
        main += "<p class=\"summary\">\(summary.joined(separator: " · "))</p>"

        main += "<h2>Firing</h2>" + firing(r, nowMs: nowMs)
        main += "<h2>Silences</h2>" + silences(r.silences, nowMs: nowMs)
        main += "<h2>Recent notifications</h2>" + notifications(r, nowMs: nowMs)
        return main
    }

    // MARK: Firing alerts

    /// Severity groups in this order; anything else after them under its own name.
    static let severityOrder = ["critical", "warning", "info"]

    static func firing(_ r: ListAlertsResponse, nowMs: Int64) -> String {
        guard !r.alerts.isEmpty else {
            return "<p class=\"empty\">No alert is firing. A feature alerts once it has drifted in enough consecutive "
                + "windows (the source's <code>persistence_k</code>); a source alerts when it goes stale.</p>"
        }
        var groups: [String: [AlertInfo]] = [:]
        for a in r.alerts { groups[label(a, Alert.severityLabel), default: []].append(a) }
        let others = groups.keys.filter { !severityOrder.contains($0) }.sorted()
        var out = tableStart(showSource: true)
        for severity in severityOrder + others {
            guard let alerts = groups[severity] else { continue }
            let word = severity.isEmpty ? "no severity" : severity
            out += "<tr class=\"grouprow\"><th colspan=\"6\">\(DashboardPage.badge(severity.isEmpty ? "unknown" : severity, label: capitalized(word))) "
                + "<span class=\"muted\">\(alerts.count) alert\(alerts.count == 1 ? "" : "s")</span></th></tr>"
            out += rows(alerts, nowMs: nowMs, showSource: true)
        }
        out += "</tbody></table></div>"
        if r.alertsTotal > UInt64(r.alerts.count) {
            out += "<p class=\"note\">Showing \(r.alerts.count) of \(r.alertsTotal) firing alerts.</p>"
        }
        return out
    }

    /// One table of alerts: what (source, feature or pair, kind), since when, the summary, and the mute state.
    static func table(_ alerts: [AlertInfo], nowMs: Int64, showSource: Bool = true) -> String {
        tableStart(showSource: showSource) + rows(alerts, nowMs: nowMs, showSource: showSource) + "</tbody></table></div>"
    }

    static func tableStart(showSource: Bool) -> String {
        "<div class=\"scroll\"><table class=\"alerts stack\"><thead><tr>"
            + (showSource ? "<th>Source</th>" : "") + "<th>Subject</th><th>Kind</th><th>Since</th>"
            + "<th>State</th><th class=\"wide\">Summary</th></tr></thead><tbody>"
    }

    static func rows(_ alerts: [AlertInfo], nowMs: Int64, showSource: Bool) -> String {
        var out = ""
        for a in alerts {
            let source = label(a, Alert.sourceLabel), feature = label(a, Alert.featureLabel)
            let partner = label(a, Alert.partnerLabel), metric = label(a, "metric")
            var subject: String
            if !feature.isEmpty && !source.isEmpty {
                subject = "<a href=\"\(HTMLText.featurePath(source, feature))\">\(HTMLText.escape(feature))</a>"
                if !partner.isEmpty {
                    subject += " ↔ <a href=\"\(HTMLText.featurePath(source, partner))\">\(HTMLText.escape(partner))</a>"
                }
            } else if !metric.isEmpty {
                subject = "metric " + HTMLText.escape(metric)
            } else {
                subject = "<span class=\"muted\">whole source</span>"
            }
            let extra = a.labels.filter {
                ![Alert.sourceLabel, Alert.featureLabel, Alert.partnerLabel, Alert.kindLabel, Alert.severityLabel, "metric"]
                    .contains($0.name)
            }
            if !extra.isEmpty {
                subject += "<div class=\"labels\">" + extra.map { "<code>\(HTMLText.escape($0.name))=\(HTMLText.escape($0.value))</code>" }
                    .joined(separator: " ") + "</div>"
            }
            let state: String = switch a.state {
            case "active": DashboardPage.badge("firing", label: "Active")
            case "silenced": DashboardPage.badge("muted", label: "Silenced") + a.silencedBy.map {
                " <code title=\"silence id\">\(HTMLText.escape(String($0.prefix(8))))</code>"
            }.joined()
            case "inhibited": DashboardPage.badge("muted", label: "Inhibited")
            default: DashboardPage.badge(a.state)
            }
            let summary = annotation(a, "summary")
            out += "<tr\(a.state == "active" ? "" : " class=\"mutedrow\"")>"
                + (showSource ? "<td class=\"name\">\(source.isEmpty ? "–" : "<a href=\"\(HTMLText.sourcePath(source))\">\(HTMLText.escape(source))</a>")</td>" : "")
                + "<td class=\"name\">\(subject)</td><td data-label=\"Kind\">\(HTMLText.escape(kindText(label(a, Alert.kindLabel))))</td>"
                + "<td data-label=\"Since\">\(since(a.startsMs, nowMs: nowMs))</td><td data-label=\"State\">\(state)</td>"
                + "<td class=\"wide text\">\(HTMLText.escape(ServerCore.readableReasons(summary)))</td></tr>"
        }
        return out
    }

    static func label(_ a: AlertInfo, _ name: String) -> String { a.labels.first { $0.name == name }?.value ?? "" }
    static func annotation(_ a: AlertInfo, _ name: String) -> String { a.annotations.first { $0.name == name }?.value ?? "" }

    /// "drift", "null rate", "correlation", "freshness", "model metric".
    static func kindText(_ kind: String) -> String {
        switch kind {
        case "null_rate": "null rate"
        case "performance": "model metric"
        case "drift": "distribution"
        default: kind
        }
    }

    /// "3 h 5 min ago" with the time as a tooltip (the time alone for a future or unknown start).
    static func since(_ ms: Int64, nowMs: Int64) -> String {
        guard ms > 0 else { return "–" }
        let time = NumberText.time(ms: ms)
        guard nowMs >= ms else { return time }
        return "<span title=\"\(time)\">\(NumberText.duration(ms: nowMs - ms))\u{A0}ago</span>"
    }

    static func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

    // MARK: Silences

    static func silences(_ silences: [SilenceInfo], nowMs: Int64) -> String {
        guard !silences.isEmpty else {
            return "<p class=\"empty\">No silences. Mute alerts for a while with "
                + "<code>driftctl silence add 'source=\"NAME\"' --duration 2h --comment \"why\"</code>.</p>"
        }
        let order = ["active": 0, "pending": 1, "expired": 2]
        let sorted = silences.sorted { (order[$0.state] ?? 3, $0.endsMs) < (order[$1.state] ?? 3, $1.endsMs) }
        var out = "<div class=\"scroll\"><table class=\"stack\"><thead><tr><th>State</th><th>Matchers</th><th>Ends</th>"
            + "<th>Created by</th><th class=\"wide\">Comment</th><th class=\"wide\">Id</th></tr></thead><tbody>"
        for s in sorted {
            let state = switch s.state {
            case "active": DashboardPage.badge("muted", label: "Active")
            case "pending": DashboardPage.badge("pending", label: "Starts " + NumberText.time(ms: s.startsMs))
            default: DashboardPage.badge("unknown", label: "Expired")
            }
            let matchers = s.matchers.map { "<code>\(HTMLText.escape($0))</code>" }.joined(separator: " ")
            let ends = s.endsMs > nowMs
                ? "<span title=\"\(NumberText.time(ms: s.endsMs))\">in \(NumberText.duration(ms: s.endsMs - nowMs))</span>"
                : NumberText.time(ms: s.endsMs)
            out += "<tr><td>\(state)</td><td class=\"name text\">\(matchers)</td><td data-label=\"Ends\">\(ends)</td>"
                + "<td class=\"text\" data-label=\"Created by\">\(s.createdBy.isEmpty ? "<span class=\"muted\">–</span>" : HTMLText.escape(s.createdBy))</td>"
                + "<td class=\"text\" data-label=\"Comment\">\(HTMLText.escape(s.comment))</td>"
                + "<td class=\"wide\"><code>\(HTMLText.escape(s.id))</code></td></tr>"
        }
        return out + "</tbody></table></div>"
    }

    // MARK: Notifications

    static func notifications(_ r: ListAlertsResponse, nowMs: Int64) -> String {
        guard !r.notifications.isEmpty else {
            return r.delivery
                ? "<p class=\"empty\">No notification has been sent yet.</p>"
                : "<p class=\"empty\">No notifications: no receivers are configured, so firing alerts are only listed "
                    + "above. Give driftd an alerting configuration (routes and receivers: webhook, Slack, e-mail) to "
                    + "have them delivered.</p>"
        }
        var out = "<div class=\"scroll\"><table class=\"stack\"><thead><tr><th>Created</th><th>Status</th><th>Receiver</th>"
            + "<th class=\"num\">Alerts</th><th>Delivery</th><th class=\"num\">Attempts</th><th>Last result</th>"
            + "</tr></thead><tbody>"
        for n in r.notifications {
            let delivery: String = switch n.state {
            case "delivered": DashboardPage.badge("delivered", label: "Delivered")
            case "pending": DashboardPage.badge("pending", label: "Pending")
            case "failed": DashboardPage.badge("failed", label: "Failed")
            case "given_up": DashboardPage.badge("failed", label: "Given up")
            default: DashboardPage.badge(n.state)
            }
            var result: String
            if n.state == "delivered", let at = n.deliveredMs {
                result = "delivered \(since(at, nowMs: nowMs))"
            } else if !n.lastError.isEmpty {
                result = HTMLText.escape(n.lastError)
            } else {
                result = n.attempts == 0 ? "<span class=\"muted\">not tried yet</span>" : ""
            }
            if let s = n.lastStatus, s != 0, !n.lastError.contains("\(s)") { result += " (status \(s))" }
            if n.state == "pending" && n.nextAttemptMs > 0 {
                result += n.nextAttemptMs > nowMs
                    ? " · next try in \(NumberText.duration(ms: n.nextAttemptMs - nowMs))" : " · next try now"
            }
            let status = n.status == "resolved" ? DashboardPage.badge("ok", label: "Resolved")
                : DashboardPage.badge("firing", label: "Firing")
            let receiver = HTMLText.escape(n.receiver) + (n.integration.isEmpty ? ""
                : " <span class=\"muted\">\(HTMLText.escape(n.integration))</span>")
            out += "<tr><td data-label=\"Created\">\(since(n.createdMs, nowMs: nowMs))</td><td>\(status)</td>"
                + "<td class=\"name text\" data-label=\"Receiver\">\(receiver)</td>"
                + "<td class=\"num\" data-label=\"Alerts\">\(n.alerts)</td><td data-label=\"Delivery\">\(delivery)</td>"
                + "<td class=\"num\" data-label=\"Attempts\">\(n.attempts)</td>"
                + "<td class=\"text\" data-label=\"Last result\">\(result)</td></tr>"
        }
        out += "</tbody></table></div>"
        if r.nextBeforeID != 0 {
            out += "<p class=\"note\">Older notifications: <a href=\"/api/v1/alerts?before=\(r.nextBeforeID)\">"
                + "/api/v1/alerts?before=\(r.nextBeforeID)</a>.</p>"
        }
        return out
    }
}
