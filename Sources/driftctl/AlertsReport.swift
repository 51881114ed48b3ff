import DriftLoad
import DriftWire

/// Text and JSON of the alerting answers (`driftctl alerts`, `driftctl silence …`): pure functions, tested on
/// canned responses. Names come from users (sources, features, matchers, comments): in text, control characters
/// are shown escaped (`\u{1b}`) so an alert cannot rewrite the terminal; JSON escapes them itself.
enum AlertsReport {
    /// `s` with control characters (C0, DEL, C1, and the line/paragraph separators) written as `\u{…}`.
    static func printable(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029 {
                out += "\\u{" + String(u.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func label(_ a: AlertInfo, _ name: String) -> String? { a.labels.first { $0.name == name }?.value }
    static func annotation(_ a: AlertInfo, _ name: String) -> String? { a.annotations.first { $0.name == name }?.value }

    static func time(_ ms: Int64) -> String { ms <= 0 ? "-" : TimeArgument.format(ms) }

    // MARK: - driftctl alerts

    static func alertsText(_ r: ListAlertsResponse) -> String {
        var out = "ALERTS: \(r.alertsTotal) firing"
        let muted = r.alerts.filter { $0.state != "active" }.count
        if muted > 0 { out += " (\(muted) muted)" }
        if r.alertsTotal > UInt64(r.alerts.count) { out += ", \(r.alerts.count) listed" }
        out += r.delivery ? "\n" : "; delivery off (no alerting configuration: nothing is sent)\n"
        if !r.alerts.isEmpty {
            var t = TextTable(header: ["state", "severity", "kind", "source", "feature", "since", "request", "silenced by"])
            for a in r.alerts {
                let feature = [label(a, "feature"), label(a, "partner"), label(a, "metric")].compactMap { $0 }
                    .joined(separator: "~")
                t.append([a.state, label(a, "severity") ?? "-", label(a, "kind") ?? "-",
                          printable(label(a, "source") ?? "-"), feature.isEmpty ? "-" : printable(feature),
                          time(a.startsMs), printable(annotation(a, "request_id") ?? "-"),
                          a.silencedBy.isEmpty ? "" : a.silencedBy.joined(separator: ",")])
            }
            out += t.text
        }
        out += "\n" + silencesText(r.silences)
        out += "\nNOTIFICATIONS: \(r.notifications.count) recent\n"
        if !r.notifications.isEmpty {
            var t = TextTable(header: ["id", "created", "receiver", "integration", "status", "alerts", "state", "attempts",
                                       "last attempt"], rightAligned: [0, 5, 7])
            for n in r.notifications {
                t.append([String(n.id), time(n.createdMs), printable(n.receiver), n.integration, n.status, String(n.alerts),
                          n.state, String(n.attempts), lastAttempt(n)])
            }
            out += t.text
        }
        if r.nextBeforeID != 0 { out += "(older notifications: --before \(r.nextBeforeID))\n" }
        return out
    }

    /// The newest attempt: when, outcome, status and message; for a pending row also the next attempt's time.
    static func lastAttempt(_ n: NotificationInfo) -> String {
        guard let a = n.recentAttempts.first else {
            return n.state == "pending" ? "none yet (next \(time(n.nextAttemptMs)))" : "-"
        }
        var s = "\(time(a.atMs)) \(a.outcome)"
        if let status = a.status { s += " \(status)" }
        if !a.message.isEmpty && a.outcome != "delivered" { s += " (\(printable(a.message)))" }
        if n.state == "pending" { s += "; next \(time(n.nextAttemptMs))" }
        return s
    }

    static func alertsJSON(_ r: ListAlertsResponse) -> JSONValue {
        .object([
            ("alerts_total", .uint(r.alertsTotal)), ("delivery", .bool(r.delivery)),
            ("alerts", .array(r.alerts.map(alertJSON))),
            ("silences", .array(r.silences.map(silenceJSON))),
            ("notifications", .array(r.notifications.map(notificationJSON))),
            ("next_before_id", r.nextBeforeID == 0 ? .null : .uint(r.nextBeforeID)),
        ])
    }

    static func alertJSON(_ a: AlertInfo) -> JSONValue {
        .object([
            ("fingerprint", .string(a.fingerprint)), ("state", .string(a.state)),
            ("labels", .object(a.labels.map { ($0.name, .string($0.value)) })),
            ("annotations", .object(a.annotations.map { ($0.name, .string($0.value)) })),
            ("starts_ms", .int(a.startsMs)), ("silenced_by", .array(a.silencedBy.map(JSONValue.string))),
        ])
    }

    static func notificationJSON(_ n: NotificationInfo) -> JSONValue {
        .object([
            ("id", .uint(n.id)), ("dedup_key", .string(n.dedupKey)), ("receiver", .string(n.receiver)),
            ("integration", .string(n.integration)), ("group_key", .string(n.groupKey)), ("status", .string(n.status)),
            ("alerts", .uint(UInt64(n.alerts))), ("created_ms", .int(n.createdMs)), ("state", .string(n.state)),
            ("attempts", .uint(n.attempts)), ("next_attempt_ms", n.state == "pending" ? .int(n.nextAttemptMs) : .null),
            ("last_status", n.lastStatus.map { .uint(UInt64($0)) } ?? .null),
            ("last_error", n.lastError.isEmpty ? .null : .string(n.lastError)),
            ("delivered_ms", n.deliveredMs.map { .int($0) } ?? .null),
            ("recent_attempts", .array(n.recentAttempts.map { a in
                .object([("at_ms", .int(a.atMs)), ("outcome", .string(a.outcome)),
                         ("status", a.status.map { .uint(UInt64($0)) } ?? .null), ("message", .string(a.message)),
                         ("duration_us", .uint(a.durationUs))])
            })),
        ])
    }

    // MARK: - Silences

    static func silencesText(_ silences: [SilenceInfo]) -> String {
        var out = "SILENCES: \(silences.count)\n"
        guard !silences.isEmpty else { return out }
        var t = TextTable(header: ["id", "state", "starts", "ends", "by", "matchers", "comment"])
        for s in silences {
            t.append([s.id, s.state, time(s.startsMs), time(s.endsMs), printable(s.createdBy.isEmpty ? "-" : s.createdBy),
                      printable(s.matchers.joined(separator: " ")), printable(s.comment)])
        }
        out += t.text
        return out
    }

    static func silenceJSON(_ s: SilenceInfo) -> JSONValue {
        .object([
            ("id", .string(s.id)), ("state", .string(s.state)), ("matchers", .array(s.matchers.map(JSONValue.string))),
            ("starts_ms", .int(s.startsMs)), ("ends_ms", .int(s.endsMs)), ("created_by", .string(s.createdBy)),
            ("comment", .string(s.comment)), ("created_ms", .int(s.createdMs)),
        ])
    }

    static func silenceAddedText(id: String, _ q: CreateSilenceRequest) -> String {
        "silence \(id) created: \(printable(q.matchers.joined(separator: " "))) until \(time(q.endsMs))\n"
    }

    static func silenceAddedJSON(id: String, _ q: CreateSilenceRequest) -> JSONValue {
        .object([("id", .string(id)), ("matchers", .array(q.matchers.map(JSONValue.string))),
                 ("starts_ms", .int(q.startsMs)), ("ends_ms", .int(q.endsMs))])
    }

    static func silenceExpiredText(_ r: ExpireSilenceResponse) -> String {
        r.expired ? "silence \(r.silence.id) expired at \(time(r.silence.endsMs))\n"
            : "silence \(r.silence.id) had already ended (\(time(r.silence.endsMs))); nothing changed\n"
    }

    static func silenceExpiredJSON(_ r: ExpireSilenceResponse) -> JSONValue {
        .object([("expired", .bool(r.expired)), ("silence", silenceJSON(r.silence))])
    }
}
