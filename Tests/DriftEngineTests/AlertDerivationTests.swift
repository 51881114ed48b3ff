import Testing
@testable import DriftEngine

/// A verdict with the given status (the test inputs are irrelevant to the derivation).
func alertTestVerdict(source: String = "payments", feature: String, partner: String? = nil, kind: SignalKind = .drift,
                      windowStartMs: Int64, state: SignalState, incidentSeverity: MonitoringSeverity = .warning,
                      incidentStartMs: Int64? = nil, stale: Bool = false) -> FeatureWindowVerdict {
    var status = FeatureStatus()
    status.state = state
    status.incidentSeverity = state == .ok ? .none : incidentSeverity
    status.incidentStartMs = state == .ok ? nil : (incidentStartMs ?? windowStartMs)
    status.lastWindowStartMs = windowStartMs
    return FeatureWindowVerdict(
        source: source, feature: feature, partnerFeature: partner, windowStartMs: windowStartMs,
        windowEndMs: windowStartMs + 3_600_000, baselineId: 1, kind: kind, testName: "ks", statistic: 0.25,
        pValue: 1e-9, adjustedPValue: 2e-9, effectName: "psi", effectValue: 0.3,
        thresholds: VerdictThresholds(significance: 0.01, benjaminiHochberg: true), baselineCount: 1000,
        currentCount: 1000, decision: state == .ok ? .clean : .drifting, severity: incidentSeverity, status: status,
        stale: stale, reasons: ["r1", "r2"])
}

@Suite struct AlertDerivationTests {
    @Test func fingerprintIsPrometheusLabelSetHashAndFixed() {
        let labels = ["source": "payments", "feature": "amount", "kind": "drift", "severity": "critical"]
        let alert = Alert(labels: labels, startsAtMs: 0)
        // FNV-1a 64 over sorted name 0xFF value 0xFF (computed independently in Python).
        #expect(alert.fingerprint == 0x7350_006c_df45_3116)
        #expect(alert.fingerprintHex == "7350006cdf453116")
        #expect(Alert(labels: [:], startsAtMs: 0).fingerprintHex == "cbf29ce484222325")
        // Annotations, times and empty labels do not change it; insertion order does not either.
        var other = Alert(labels: ["severity": "critical", "kind": "drift", "feature": "amount", "source": "payments",
                                   "partner": ""], annotations: ["x": "y"], startsAtMs: 99, endsAtMs: 100)
        #expect(other.fingerprint == alert.fingerprint)
        other = Alert(labels: labels.merging(["severity": "warning"]) { $1 }, startsAtMs: 0)
        #expect(other.fingerprint != alert.fingerprint)
    }

    @Test func incidentsFireWithTheirSeverityPendingAndOkDoNot() {
        let h: Int64 = 3_600_000
        let verdicts = [
            alertTestVerdict(feature: "a", windowStartMs: 0, state: .pending),
            alertTestVerdict(feature: "a", windowStartMs: h, state: .drifting, incidentSeverity: .critical,
                             incidentStartMs: 0),
            alertTestVerdict(feature: "b", windowStartMs: h, state: .recovering, incidentSeverity: .warning),
            alertTestVerdict(feature: "c", windowStartMs: h, state: .pending),
            alertTestVerdict(feature: "d", windowStartMs: 2 * h, state: .ok),
            alertTestVerdict(feature: "d", windowStartMs: h, state: .drifting),  // older: history only
            alertTestVerdict(feature: "e", kind: .nullRate, windowStartMs: h, state: .drifting),
            alertTestVerdict(feature: "x", partner: "y", kind: .correlation, windowStartMs: h, state: .drifting),
            alertTestVerdict(source: "other", feature: "a", windowStartMs: h, state: .drifting),
        ]
        let alerts = AlertDerivation.alerts(from: verdicts, source: "payments")
        #expect(alerts.map { $0[label: "feature"] } == ["a", "b", "e", "x"])
        #expect(alerts[0].labels == ["source": "payments", "feature": "a", "kind": "drift", "severity": "critical"])
        #expect(alerts[0].startsAtMs == 0)
        #expect(alerts[0].annotations["state"] == "drifting")
        #expect(alerts[0].annotations["summary"] == "payments/a: drift critical (drifting)")
        #expect(alerts[1].labels["severity"] == "warning")
        #expect(alerts[1].annotations["state"] == "recovering")
        #expect(alerts[2].labels["kind"] == "null_rate")
        #expect(alerts[3].labels["partner"] == "y")
        #expect(alerts[3].labels["kind"] == "correlation")
        #expect(AlertDerivation.alerts(from: verdicts).count == 5)
    }

    @Test func staleSourceFiresCriticalWithoutFeatureLabel() {
        var tracker = FeatureStatusTracker()
        let sla = FreshnessSLA(maxEventAgeMs: 1_000, maxArrivalIntervalMs: nil)
        let stale = FreshnessEvaluator(sla: sla).evaluate(newestEventMs: 0, lastArrivalMs: 0, nowMs: 5_000)
        let record = stale.record(source: "payments", tracker: &tracker)
        let alerts = AlertDerivation.alerts(from: [record])
        #expect(alerts.count == 1)
        #expect(alerts[0].labels == ["source": "payments", "kind": "freshness", "severity": "critical"])
        #expect(alerts[0].startsAtMs == 5_000)
        let fresh = FreshnessEvaluator(sla: sla).evaluate(newestEventMs: 5_500, lastArrivalMs: 5_500, nowMs: 6_000)
        let later = fresh.record(source: "payments", tracker: &tracker)
        #expect(AlertDerivation.alerts(from: [record, later]).isEmpty)
    }
}
