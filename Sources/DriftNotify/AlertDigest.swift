import DriftEngine

/// The plain-text pieces every receiver message is made of (unescaped: each renderer escapes them for its
/// context): the headline, one summary per source ("payments: 14 features drifting"), and per alert its
/// subject and test details.
struct AlertDigest {
    /// Alerts listed one by one per message; the rest are counted ("and N more").
    static let maxListed = 10
    /// User-supplied names are clipped to this many characters before escaping (messages have size limits).
    static let maxNameLength = 80

    let notification: AlertNotification

    /// The highest severity among the firing alerts (or the resolved ones when none fires).
    var severity: String {
        let alerts = notification.firing.isEmpty ? notification.resolved : notification.firing
        let ranks = ["critical": 3, "warning": 2, "info": 1]
        return alerts.map { $0[label: Alert.severityLabel] }.max { (ranks[$0] ?? 0) < (ranks[$1] ?? 0) } ?? ""
    }

    /// `FIRING · critical` or `RESOLVED · warning` (fixed words, no user text).
    var headline: String {
        let status = notification.firing.isEmpty ? "RESOLVED" : "FIRING"
        let sev = severity
        return sev.isEmpty || !["critical", "warning", "info"].contains(sev) ? status : "\(status) · \(sev)"
    }

    /// The sources of the notification in byte order, each with a summary of its firing alerts
    /// ("14 features drifting, 1 stale check") and resolved count.
    var sourceSummaries: [(source: String, summary: String)] {
        var bySource: [String: [Alert]] = [:]
        for a in notification.alerts { bySource[a[label: Alert.sourceLabel], default: []].append(a) }
        return bySource.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { source in
            let alerts = bySource[source]!
            var counts: [String: Int] = [:]
            for a in alerts where !a.isResolved { counts[a[label: Alert.kindLabel], default: 0] += 1 }
            var parts = counts.keys.sorted().map { Self.phrase(kind: $0, count: counts[$0]!) }
            let resolved = alerts.filter(\.isResolved).count
            if resolved > 0 { parts.append("\(resolved) resolved") }
            return (source, parts.joined(separator: ", "))
        }
    }

    /// "14 features drifting", "1 feature with a null-rate alert", "stale" …
    static func phrase(kind: String, count: Int) -> String {
        let s = count == 1 ? "" : "s"
        switch kind {
        case AlertKind.drift.rawValue: return "\(count) feature\(s) drifting"
        case AlertKind.nullRate.rawValue: return "\(count) feature\(s) with null-rate alerts"
        case AlertKind.correlation.rawValue: return "\(count) correlation\(s) changed"
        case AlertKind.freshness.rawValue: return "stale"
        case AlertKind.performance.rawValue: return "\(count) performance drop\(s)"
        default: return "\(count) \(clip(kind)) alert\(s)"
        }
    }

    /// What an alert is about: `feature`, `feature ~ partner`, or `(source)` for source-level alerts.
    static func subject(_ a: Alert) -> String {
        let feature = a[label: Alert.featureLabel], partner = a[label: Alert.partnerLabel]
        if feature.isEmpty { return "(source)" }
        return partner.isEmpty ? clip(feature) : clip(feature) + " ~ " + clip(partner)
    }

    /// `drift critical — ks 0.31, p 1.2e-05, cohens_d 0.4` from the labels and annotations.
    static func detail(_ a: Alert) -> String {
        var text = clip(a[label: Alert.kindLabel]) + " " + clip(a[label: Alert.severityLabel])
        var facts: [String] = []
        if let s = a.annotations["statistic"] {
            facts.append((a.annotations["test"].map { clip($0) + " " } ?? "statistic ") + clip(s))
        }
        if let p = a.annotations["adjusted_p_value"] ?? a.annotations["p_value"] { facts.append("p " + clip(p)) }
        if let e = a.annotations["effect_value"] {
            facts.append((a.annotations["effect"].map { clip($0) + " " } ?? "effect ") + clip(e))
        }
        if a.isResolved { facts.append("resolved") }
        if !facts.isEmpty { text += " — " + facts.joined(separator: ", ") }
        return text
    }

    /// At most ``maxNameLength`` characters, the last one "…" when cut.
    static func clip(_ s: String) -> String {
        s.count <= maxNameLength ? s : String(s.prefix(maxNameLength - 1)) + "…"
    }
}
