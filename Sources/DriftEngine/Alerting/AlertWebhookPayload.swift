/// The JSON body of a generic webhook, in Alertmanager's webhook format (version "4"), so tooling written for
/// Alertmanager can consume it.
///
/// ```
/// {"version":"4","groupKey":…,"truncatedAlerts":0,"status":"firing"|"resolved","receiver":…,
///  "groupLabels":{…},"commonLabels":{…},"commonAnnotations":{…},"externalURL":…,
///  "alerts":[{"status":…,"labels":{…},"annotations":{…},"startsAt":…,"endsAt":…,"generatorURL":…,
///             "fingerprint":"<16 hex>"}]}
/// ```
/// Keys of label and annotation objects are in UTF-8 byte order (as Go writes maps); times are RFC 3339 UTC
/// (``AlertTimestamp``), a firing alert's `endsAt` is Go's zero time; strings are JSON-escaped (quotes,
/// backslashes, control characters, U+2028/9). No whitespace.
public enum AlertWebhookPayload {
    /// The body for one notification. `generatorURL` gives each alert's link (e.g. the dashboard page of its
    /// source and feature); "" when nil. `maxAlerts` > 0 keeps only the first `maxAlerts` of the alerts (firing
    /// first) and counts the others in `truncatedAlerts`, as Alertmanager's webhook `max_alerts`; 0 keeps all.
    public static func body(for n: AlertNotification, externalURL: String, maxAlerts: Int = 0,
                            generatorURL: (Alert) -> String? = { _ in nil }) -> String {
        let all = n.alerts
        let kept = maxAlerts > 0 && all.count > maxAlerts ? Array(all.prefix(maxAlerts)) : all
        var w = JSONWriter()
        w.beginObject()
        w.field("version", "4")
        w.field("groupKey", n.groupKey)
        w.field("truncatedAlerts", all.count - kept.count)
        w.field("status", n.status)
        w.field("receiver", n.receiver)
        map(&w, "groupLabels", n.groupLabels)
        map(&w, "commonLabels", n.commonLabels)
        map(&w, "commonAnnotations", n.commonAnnotations)
        w.field("externalURL", externalURL)
        w.beginArray("alerts")
        for a in kept {
            w.beginObject()
            w.field("status", a.isResolved ? "resolved" : "firing")
            map(&w, "labels", a.labels)
            map(&w, "annotations", a.annotations)
            w.field("startsAt", AlertTimestamp.rfc3339(ms: a.startsAtMs))
            w.field("endsAt", a.endsAtMs.map { AlertTimestamp.rfc3339(ms: $0) } ?? AlertTimestamp.zero)
            w.field("generatorURL", generatorURL(a) ?? "")
            w.field("fingerprint", a.fingerprintHex)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.text
    }

    private static func map(_ w: inout JSONWriter, _ key: String, _ m: [String: String]) {
        w.beginObject(key)
        for k in m.keys.sorted(by: AlertHash.byteOrder) { w.field(k, m[k]!) }
        w.endObject()
    }
}
