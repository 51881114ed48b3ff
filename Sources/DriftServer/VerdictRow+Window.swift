import DriftEngine
import DriftStore

extension VerdictRow {
    /// The history row of one window record. Codes: `decision` 0 clean, 1 drifting, 2 insufficient data;
    /// `severity` = `MonitoringSeverity.rank`; `status` = `SignalState.code`; a correlation pair's feature is
    /// "first|second"; missing numbers are NaN (stored as NULL); reasons joined by "; ".
    init(_ r: FeatureWindowVerdict, baselineID: UInt64, createdMs: Int64) {
        let kind: VerdictKind = switch r.kind {
        case .drift: .drift
        case .nullRate: .nullRate
        case .correlation: .correlation
        case .freshness: .freshness
        }
        let decision: UInt8 = switch r.decision {
        case .clean: 0
        case .drifting: 1
        case .insufficientData: 2
        }
        self.init(source: r.source, feature: r.partnerFeature.map { r.feature + "|" + $0 } ?? r.feature,
                  windowStartMilliseconds: r.windowStartMs, windowEndMilliseconds: r.windowEndMs,
                  baselineID: baselineID, kind: kind, test: r.testName, statistic: r.statistic ?? .nan,
                  p: r.pValue ?? .nan, pAdjusted: r.adjustedPValue ?? .nan, effectName: r.effectName ?? "",
                  effect: r.effectValue ?? .nan, warningThreshold: r.thresholds.warning ?? .nan,
                  criticalThreshold: r.thresholds.critical ?? .nan, nBaseline: UInt64(max(0, r.baselineCount)),
                  nCurrent: UInt64(max(0, r.currentCount)), decision: decision, severity: r.severity.rank,
                  status: r.status.state.code, stale: r.stale, reasons: r.reasons.joined(separator: "; "),
                  createdMilliseconds: createdMs)
    }
}
