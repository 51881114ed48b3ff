import DriftEngine
import DriftStore

/// The `performance` alert of one model metric (kind `performance`, labels `source`, `metric`, `severity`).
///
/// Rule: take the metric's newest value (the greatest window start) and the up to `trailing` (8) values before
/// it; with at least `minimumTrailing` (3) of them, the reference is their median and the degradation is
/// `(reference − value) / |reference|` when higher is better (`value − reference` over `|reference|` when lower
/// is better; the direction is the one reported with the newest value — without one, no alert). It fires
/// `warning` from a 10 % relative degradation and `critical` from 25 %. The median keeps one earlier bad window
/// from hiding the next; relative thresholds make AUC and error rates comparable. The alert's annotations say
/// whether drift coincides: the features of the source in a drift incident when the metric was evaluated
/// (`drift_coincides` yes/no, `drifting_features`).
enum PerformanceRule {
    static let metricLabel = "metric"
    static let trailing = 8
    static let minimumTrailing = 3
    static let warningDegradation = 0.10
    static let criticalDegradation = 0.25

    /// The alert for `metrics` (one metric of one source, oldest window first), nil when it does not fire.
    /// `drifting` = the features in a drift incident.
    static func alert(source: String, metric: String, metrics: [ModelMetricRecord], drifting: [String]) -> Alert? {
        let values = metrics.filter { $0.value.isFinite }
        guard let latest = values.last, let higherIsBetter = latest.higherIsBetter else { return nil }
        let before = values.dropLast().suffix(trailing).map(\.value).sorted()
        guard before.count >= minimumTrailing else { return nil }
        let mid = before.count / 2
        let reference = before.count % 2 == 1 ? before[mid] : (before[mid - 1] + before[mid]) / 2
        let scale = Swift.max(abs(reference), 1e-12)
        let degradation = (higherIsBetter ? reference - latest.value : latest.value - reference) / scale
        guard degradation >= warningDegradation else { return nil }
        let severity = degradation >= criticalDegradation ? "critical" : "warning"
        let coincides = !drifting.isEmpty
        var annotations = [
            "summary": "source \(source): \(metric) \(higherIsBetter ? "fell" : "rose") \(percent(degradation)) "
                + "against its trailing median" + (coincides ? " while \(drifting.count) features drift" : ""),
            "metric": metric,
            "value": "\(latest.value)",
            "reference": "\(reference)",
            "degradation": "\(degradation)",
            "window_start_ms": String(latest.windowStartMilliseconds),
            "drift_coincides": coincides ? "yes" : "no",
        ]
        if coincides { annotations["drifting_features"] = drifting.joined(separator: ", ") }
        return Alert(labels: [Alert.sourceLabel: source, Alert.kindLabel: AlertKind.performance.rawValue,
                              Alert.severityLabel: severity, metricLabel: metric],
                     annotations: annotations, startsAtMs: latest.windowStartMilliseconds)
    }

    static func percent(_ x: Double) -> String { "\(Double(Int((x * 1000).rounded())) / 10) %" }
}
