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

    /// What an alert is about: `feature`, `feature ~ partner`, or `whole source` for source-level alerts (the
    /// dashboard's words).
    static func subject(_ a: Alert) -> String {
        let feature = a[label: Alert.featureLabel], partner = a[label: Alert.partnerLabel]
        if feature.isEmpty { return "whole source" }
        return partner.isEmpty ? clip(feature) : clip(feature) + " ~ " + clip(partner)
    }

    /// `drift critical — KS D 0.352, p 1.8e-132, W/σ 1.15` from the labels and annotations: statistics as people
    /// name them (`StatisticLabels`) with 3 significant digits (`NumberText`); a freshness alert gives its reason
    /// (`newest event is 8 h 52 min old, more than the SLA's 2 h`). An annotation that is not a number is shown as
    /// it is, clipped.
    static func detail(_ a: Alert) -> String {
        var text = clip(a[label: Alert.kindLabel]) + " " + clip(a[label: Alert.severityLabel])
        var facts: [String] = []
        if a[label: Alert.kindLabel] == AlertKind.freshness.rawValue, let reason = a.annotations["reasons"] {
            facts.append(clip(reason.split(separator: ";").first.map(String.init) ?? reason))
        } else {
            if let s = a.annotations["statistic"] {
                facts.append(StatisticLabels.statistic(ofTest: a.annotations["test"] ?? "") + " " + number(s))
            }
            if let p = a.annotations["adjusted_p_value"] ?? a.annotations["p_value"] {
                // A p-value that underflowed to 0 (scipy gives 0 there too) is not "p 0".
                facts.append(Double(p) == 0 ? "p < 1e-300" : "p " + number(p))
            }
            if let e = a.annotations["effect_value"] {
                facts.append(StatisticLabels.effect(a.annotations["effect"] ?? "") + " " + number(e))
            }
        }
        if a.isResolved { facts.append("resolved") }
        if !facts.isEmpty { text += " — " + facts.joined(separator: ", ") }
        return text
    }

    /// An annotation's number with 3 significant digits ("0.352", "1.8e-132"), or the text clipped.
    static func number(_ annotation: String) -> String {
        guard let x = Double(annotation) else { return clip(annotation) }
        return NumberText.significant(x, digits: 3)
    }

    /// At most ``maxNameLength`` characters, the last one "…" when cut.
    static func clip(_ s: String) -> String {
        s.count <= maxNameLength ? s : String(s.prefix(maxNameLength - 1)) + "…"
    }
}
