/// Derives the set of firing alerts of a source from the monitoring engine's records.
///
/// Rules (one alert per signal — feature × check, pair × correlation, or the source's freshness):
/// 1. Only the latest record of each signal counts: the one with the greatest `windowStartMs` (for equal
///    starts, the later one in the input). Older records are history.
/// 2. A `drift`, `null_rate` or `correlation` signal fires while its status after that record is an incident
///    (`drifting` or `recovering`, ``SignalState/isIncident``) — so an alert persists through the recovery
///    windows and resolves when the tracker returns to `ok`. `pending` (fewer than k drifting windows) does not
///    fire. Severity = the incident's maximum severity (``FeatureStatus/incidentSeverity``), at least `warning`
///    (`info` never makes a window drifting, so an incident always has warning or critical).
/// 3. A `freshness` signal fires `critical` while the source is stale (the record's `stale` flag, or its status
///    is an incident).
/// 4. `startsAtMs` = the incident's start (``FeatureStatus/incidentStartMs``), else the record's window start.
/// 5. Labels: `source`, `feature` (omitted for source-level records), `partner` (correlation pairs), `kind`,
///    `severity`; annotations: `summary`, `state`, `window_start_ms`, `window_end_ms`, and when present `test`,
///    `statistic`, `p_value`, `adjusted_p_value`, `effect`, `effect_value`, `reasons` (joined with "; ").
///
/// The result is sorted by source, feature, partner, kind (byte order), so it is deterministic.
public enum AlertDerivation {
    /// The firing alerts of the given records; `source` keeps only records of that source when given.
    public static func alerts(from verdicts: [FeatureWindowVerdict], source: String? = nil) -> [Alert] {
        struct Key: Hashable { var source: String; var signal: MonitoredSignal }
        var latest: [Key: FeatureWindowVerdict] = [:]
        for v in verdicts where source == nil || v.source == source {
            let key = Key(source: v.source, signal: v.signal)
            if let old = latest[key], old.windowStartMs > v.windowStartMs { continue }
            latest[key] = v
        }
        var alerts: [Alert] = []
        for (_, v) in latest {
            if let alert = alert(for: v) { alerts.append(alert) }
        }
        return alerts.sorted { a, b in
            for name in [Alert.sourceLabel, Alert.featureLabel, Alert.partnerLabel, Alert.kindLabel]
            where a[label: name] != b[label: name] {
                return AlertHash.byteOrder(a[label: name], b[label: name])
            }
            return false
        }
    }

    /// The alert of one signal's latest record, nil when it does not fire.
    public static func alert(for v: FeatureWindowVerdict) -> Alert? {
        let severity: MonitoringSeverity
        switch v.kind {
        case .freshness:
            guard v.stale || v.status.state.isIncident else { return nil }
            severity = .critical
        case .drift, .nullRate, .correlation:
            guard v.status.state.isIncident else { return nil }
            severity = Swift.max(v.status.incidentSeverity, .warning)
        }
        let kind = AlertKind(v.kind)
        var labels = [Alert.sourceLabel: v.source, Alert.kindLabel: kind.rawValue,
                      Alert.severityLabel: severity.rawValue]
        if !v.feature.isEmpty { labels[Alert.featureLabel] = v.feature }
        if let partner = v.partnerFeature, !partner.isEmpty { labels[Alert.partnerLabel] = partner }

        let subject = v.feature.isEmpty ? "source \(v.source)"
            : "\(v.source)/\(v.feature)" + (v.partnerFeature.map { "~\($0)" } ?? "")
        let state = v.kind == .freshness ? "stale" : v.status.state.rawValue
        var annotations = [
            "summary": "\(subject): \(kind.rawValue) \(severity.rawValue) (\(state))",
            "state": state,
            "window_start_ms": String(v.windowStartMs),
            "window_end_ms": String(v.windowEndMs),
        ]
        if !v.testName.isEmpty { annotations["test"] = v.testName }
        if let s = v.statistic { annotations["statistic"] = "\(s)" }
        if let p = v.pValue { annotations["p_value"] = "\(p)" }
        if let p = v.adjustedPValue { annotations["adjusted_p_value"] = "\(p)" }
        if let e = v.effectName { annotations["effect"] = e }
        if let e = v.effectValue { annotations["effect_value"] = "\(e)" }
        if !v.reasons.isEmpty { annotations["reasons"] = v.reasons.joined(separator: "; ") }
        return Alert(labels: labels, annotations: annotations,
                     startsAtMs: v.status.incidentStartMs ?? v.windowStartMs)
    }
}
