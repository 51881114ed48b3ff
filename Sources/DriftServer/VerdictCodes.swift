import DriftEngine
import DriftStore
import DriftWire

/// The one table between the engine's window verdicts, the stored `VerdictRow` and the wire's `HistoryRow`
/// (PROTOCOL §13 "QueryHistory").
///
/// Stored codes (`VerdictRow`):
///
/// | field | codes |
/// |---|---|
/// | `decision` | 0 clean, 1 drifting, 2 insufficient_data (`WindowDecision`) |
/// | `severity` | 0 none, 1 info, 2 warning, 3 critical (`MonitoringSeverity.rank`) |
/// | `status` | 0 ok, 1 pending, 2 drifting, 3 recovering (`SignalState.code`) |
/// | `kind` | drift, null_rate, correlation, freshness (`SignalKind` → `VerdictKind`, same numbers) |
/// | `feature` | the feature; "first\|second" for a correlation pair; "" for freshness (source-level) |
/// | `reasons` | the engine's reasons joined by "; " |
/// | `test`, `effectName` | the wire's vocabulary (`testName(_:)`, `effectName(_:)`) |
///
/// On the wire (`HistoryRow`): decision 0/1/2 → STABLE/DRIFT/INSUFFICIENT_DATA; severity none/info → NONE
/// (an info row gets the first reason "severity info": the wire has no info level), warning → WARNING, critical →
/// CRITICAL; status ok/pending → OK (pending is not an incident yet), drifting → DRIFTING, recovering →
/// RECOVERING; kinds drift/null_rate/correlation → DRIFT_VERDICT, freshness → FRESHNESS_VERDICT; NaN doubles
/// (stored NULL) → absent; reasons split at "; ".
enum VerdictCodes {
    // MARK: Engine → stored codes (the lead's window closing and freshness timer call these)

    static func decision(_ d: WindowDecision) -> UInt8 {
        switch d {
        case .clean: 0
        case .drifting: 1
        case .insufficientData: 2
        }
    }

    static func severity(_ s: MonitoringSeverity) -> UInt8 { s.rank }

    static func status(_ s: SignalState) -> UInt8 { s.code }

    static func kind(_ k: SignalKind) -> VerdictKind {
        switch k {
        case .drift: .drift
        case .nullRate: .nullRate
        case .correlation: .correlation
        case .freshness: .freshness
        }
    }

    /// The stored (and wire) feature label of a correlation pair: "first|second".
    static func feature(_ pair: FeaturePair) -> String { pair.first + "|" + pair.second }

    static func reasons(_ reasons: [String]) -> String { reasons.joined(separator: reasonSeparator) }

    static let reasonSeparator = "; "

    /// Engine test names → the wire's ("ks", "chi-square", "null-rate", "fisher-z", "freshness"); others unchanged.
    static func testName(_ engine: String) -> String {
        switch engine {
        case "two-proportion-z": "null-rate"
        case "freshness-sla": "freshness"
        default: engine
        }
    }

    /// Engine effect names → the wire's ("psi", "wasserstein_normed", "jensen_shannon", "null_rate_delta",
    /// "delta_r"; freshness keeps "event_age_ms" / "arrival_age_ms"); others unchanged.
    static func effectName(_ engine: String) -> String {
        switch engine {
        case "normed_wasserstein": "wasserstein_normed"
        case "null_rate_change": "null_rate_delta"
        case "correlation_change": "delta_r"
        default: engine
        }
    }

    /// The row to store for one engine verdict (`DriftStore.recordVerdicts`). The status is the signal's
    /// `SignalState` after this window; absent doubles are stored as NaN (NULL).
    static func row(_ v: FeatureWindowVerdict, createdMilliseconds: Int64) -> VerdictRow {
        let label = v.partnerFeature.map { Self.feature(FeaturePair(v.feature, $0)) } ?? v.feature
        return VerdictRow(
            source: v.source, feature: label, windowStartMilliseconds: v.windowStartMs,
            windowEndMilliseconds: v.windowEndMs, baselineID: v.baselineId.map { UInt64(max(0, $0)) } ?? 0,
            kind: kind(v.kind), test: testName(v.testName), statistic: v.statistic ?? .nan, p: v.pValue ?? .nan,
            pAdjusted: v.adjustedPValue ?? .nan, effectName: v.effectName.map(Self.effectName) ?? "",
            effect: v.effectValue ?? .nan, warningThreshold: v.thresholds.warning ?? .nan,
            criticalThreshold: v.thresholds.critical ?? .nan, nBaseline: UInt64(max(0, v.baselineCount)),
            nCurrent: UInt64(max(0, v.currentCount)), decision: decision(v.decision), severity: severity(v.severity),
            status: status(v.status.state), stale: v.stale, reasons: reasons(v.reasons),
            createdMilliseconds: createdMilliseconds)
    }

    // MARK: Stored codes → wire

    static func wireDecision(_ code: UInt8) -> FeatureVerdict.Decision {
        switch code {
        case 0: .stable
        case 1: .drift
        case 2: .insufficientData
        default: .unspecified
        }
    }

    static func wireSeverity(_ code: UInt8) -> FeatureVerdict.Severity {
        switch code {
        case 2: .warning
        case 3: .critical
        default: .none  // 0 none, 1 info (no info level on the wire)
        }
    }

    static func wireStatus(_ code: UInt8) -> DriftWire.FeatureStatus {
        switch code {
        case 0, 1: .ok  // pending: drifting windows seen, fewer than k in a row — not an incident yet
        case 2: .drifting
        case 3: .recovering
        default: .unspecified
        }
    }

    static func historyKind(_ k: VerdictKind) -> HistoryKind {
        k == .freshness ? .freshness : .drift
    }

    /// The stored kinds a wire kind selects: DRIFT_VERDICT → drift, null_rate, correlation; FRESHNESS_VERDICT →
    /// freshness; nil for MODEL_METRIC (another table) and unknown kinds.
    static func verdictKinds(_ k: HistoryKind) -> Set<VerdictKind>? {
        switch k {
        case .drift: [.drift, .nullRate, .correlation]
        case .freshness: [.freshness]
        default: nil
        }
    }

    /// The stored severity a wire `min_severity` means: NONE → nil (any), WARNING → 2, CRITICAL → 3; nil for
    /// unknown values too (the caller refuses them).
    static func minimumSeverity(_ s: FeatureVerdict.Severity) -> UInt8? {
        switch s {
        case .warning: 2
        case .critical: 3
        default: nil
        }
    }

    static func optional(_ x: Double) -> Double? { x.isNaN ? nil : x }

    static func historyRow(_ r: VerdictRow) -> HistoryRow {
        var reasons = r.reasons.isEmpty ? [] : r.reasons.split(separator: reasonSeparator, omittingEmptySubsequences: true).map(String.init)
        if r.severity == MonitoringSeverity.info.rank { reasons.insert("severity info", at: 0) }
        return HistoryRow(
            source: r.source, feature: r.feature,
            window: WindowRange(startMs: r.windowStartMilliseconds, endMs: r.windowEndMilliseconds),
            baselineID: r.baselineID, kind: historyKind(r.kind), test: r.test, statistic: optional(r.statistic),
            pValue: optional(r.p), pAdjusted: optional(r.pAdjusted), effectName: r.effectName,
            effectValue: optional(r.effect), thresholdWarning: optional(r.warningThreshold),
            thresholdCritical: optional(r.criticalThreshold), baselineN: r.nBaseline, currentN: r.nCurrent,
            decision: wireDecision(r.decision), severity: wireSeverity(r.severity), status: wireStatus(r.status),
            stale: r.stale, reasons: reasons)
    }

    /// A model metric as a history row: source-level (feature ""), kind MODEL_METRIC, `test` = "model/metric"
    /// (the stored key), `statistic` = the value, the window it was joined to.
    static func historyRow(_ m: ModelMetricRecord, windowEndMs: Int64) -> HistoryRow {
        HistoryRow(source: m.source, feature: "", window: WindowRange(startMs: m.windowStartMilliseconds, endMs: windowEndMs),
                   kind: .modelMetric, test: m.metric, statistic: optional(m.value))
    }

    /// The stored key of a model's metric: "model/metric" (metric names have no "/", so the split is at the
    /// last one).
    static func metricKey(model: String, metric: String) -> String { model + "/" + metric }
}
