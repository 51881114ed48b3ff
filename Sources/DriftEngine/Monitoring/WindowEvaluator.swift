import DriftKernels

/// Turns one source-window's comparisons into stored verdicts: Benjamini–Hochberg per family, re-grading with
/// the ``MonitoringPolicy``, then the hysteresis of each signal (``FeatureStatusTracker``).
///
/// Per feature it writes a `drift` record (the distribution test) and, when the feature checks its null rate, a
/// `null_rate` record; then one `correlation` record per declared pair. The three families are corrected
/// separately (see ``MonitoringPolicy``). The raw ``Verdict`` inside each ``FeatureReport`` is not used: the
/// statistics are re-graded with the feature's own settings, so a report computed under any ``DriftPolicy``
/// gives the same records.
///
/// Pure: no clock, no I/O; driving it window after window with one tracker is all a simulation needs.
public struct WindowEvaluator: Sendable {
    public var policy: MonitoringPolicy

    public init(policy: MonitoringPolicy = MonitoringPolicy()) { self.policy = policy }

    /// The records of one window, in report order (drift, then null rate, per feature), then the declared
    /// pairs in ``MonitoringPolicy/correlationPairs`` order; `tracker` advances once per signal (a second
    /// report of the same feature in one window does not advance it again).
    ///
    /// - Parameters:
    ///   - correlations: co-moments of declared pairs; a declared pair without one gets an insufficient-data
    ///     record, an observation for an undeclared pair is ignored.
    ///   - stale: the source's freshness at decision time, copied into every record.
    public func evaluate(source: String, windowStartMs: Int64, windowEndMs: Int64, baselineId: Int64?,
                         reports: [FeatureReport], correlations: [CorrelationObservation] = [], stale: Bool = false,
                         tracker: inout FeatureStatusTracker) -> [FeatureWindowVerdict] {
        var findings: [_Finding] = []
        findings += distributionFindings(reports)
        findings += nullRateFindings(reports)
        findings += correlationFindings(correlations)
        // Report order: the drift and null-rate records of each feature together.
        var order: [Int] = []
        let distributionCount = reports.count
        let nullIndexByReport = Dictionary(uniqueKeysWithValues: findings.indices.compactMap { i -> (Int, Int)? in
            findings[i].kind == .nullRate ? (findings[i].reportIndex!, i) : nil
        })
        for r in 0..<distributionCount {
            order.append(r)
            if let n = nullIndexByReport[r] { order.append(n) }
        }
        order += findings.indices.filter { findings[$0].kind == .correlation }

        return order.map { i in
            let f = findings[i]
            let signal = MonitoredSignal(feature: f.feature, partner: f.partner, kind: f.kind)
            let settings = f.kind == .correlation ? policy.defaults : policy.settings(for: f.feature)
            let status = tracker.advance(signal, decision: f.decision, severity: f.severity,
                                         windowStartMs: windowStartMs, persistence: settings.persistence,
                                         recovery: settings.recovery)
            var reasons = f.reasons
            if status.state.isIncident {
                reasons.append("status \(status.state.rawValue) since window \(status.incidentStartMs ?? windowStartMs) (\(status.incidentSeverity.rawValue))")
            } else if status.state == .pending {
                reasons.append("pending: \(status.consecutiveDrifting) of \(Swift.max(1, settings.persistence)) drifting windows")
            }
            if stale { reasons.append("source stale: freshness SLA not met") }
            return FeatureWindowVerdict(
                source: source, feature: f.feature, partnerFeature: f.partner, windowStartMs: windowStartMs,
                windowEndMs: windowEndMs, baselineId: baselineId, kind: f.kind, testName: f.testName,
                testMethod: f.testMethod, statistic: f.statistic, pValue: f.pValue, adjustedPValue: f.adjustedPValue,
                effectName: f.effectName, effectValue: f.effectValue, thresholds: f.thresholds,
                baselineCount: f.baselineCount, currentCount: f.currentCount, decision: f.decision,
                severity: f.severity, status: status, stale: stale, reasons: reasons)
        }
    }

    /// BH over one family (when on): the adjusted p-values, index for index.
    func adjust(_ pValues: [Double?]) -> [Double?] {
        policy.benjaminiHochberg ? BenjaminiHochberg(pValues: pValues).adjusted : pValues.map { _ in nil }
    }

    /// The p-value that is compared with the level (BH-adjusted when BH is on, else raw) and the level (q or α).
    func significance(raw: Double?, adjusted: Double?, alpha: Double) -> (p: Double?, level: Double) {
        policy.benjaminiHochberg ? (adjusted, policy.falseDiscoveryRate) : (raw, alpha)
    }
}

/// One check's window decision before hysteresis.
struct _Finding {
    var feature: String
    var partner: String?
    var reportIndex: Int?
    var kind: SignalKind
    var testName: String
    var testMethod: String?
    var statistic: Double?
    var pValue: Double?
    var adjustedPValue: Double?
    var effectName: String?
    var effectValue: Double?
    var thresholds: VerdictThresholds
    var baselineCount: Int
    var currentCount: Int
    var decision: WindowDecision
    var severity: MonitoringSeverity
    var reasons: [String]
}

/// One effect size with its three thresholds.
struct _Effect {
    var name: String
    var value: Double
    var info: Double
    var warning: Double
    var critical: Double

    var grade: MonitoringSeverity {
        if value >= critical { return .critical }
        if value >= warning { return .warning }
        if value >= info { return .info }
        return .none
    }

    /// The effect that grades highest (ties: the largest value relative to its warning threshold).
    static func strongest(_ effects: [_Effect]) -> _Effect? {
        effects.filter { !$0.value.isNaN }.max { a, b in
            a.grade != b.grade ? a.grade < b.grade : a.value / a.warning < b.value / b.warning
        }
    }
}

/// "p = 0.0123 (BH-adjusted 0.0456)".
func _pText(_ p: Double?, _ adjusted: Double?) -> String {
    guard let p else { return "no p-value" }
    let raw = p == 0 ? "p < 1e-300" : "p = \(short(p))"
    guard let adjusted else { return raw }
    return raw + " (BH-adjusted \(adjusted == 0 ? "< 1e-300" : short(adjusted)))"
}

/// The words for a tested finding's grade.
func _gradeText(severity: MonitoringSeverity, significant: Bool, level: Double, bh: Bool) -> String {
    let against = bh ? "q = \(level)" : "α = \(level)"  // shortest round-trip form: "0.01"
    switch severity {
    case .critical, .warning: return "significant at \(against) and material (\(severity.rawValue))"
    case .info: return "significant at \(against), effect below the warning threshold (info)"
    case .none: return significant ? "significant at \(against) but not material" : "not significant at \(against)"
    }
}
