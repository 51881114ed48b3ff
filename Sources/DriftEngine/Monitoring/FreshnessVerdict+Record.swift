extension FreshnessVerdict {
    /// The stored record of this check: kind `freshness`, feature "" (source-level), the window
    /// [`nowMs`, `nowMs`] (a check at one moment), decision drifting when stale, severity critical when stale
    /// (a stale source makes every other verdict of it doubtful), effect the age of the first broken rule (else
    /// the event age, else the arrival age) with that rule's limit as the warning threshold. The status follows
    /// the tracker with k = j = 1: stale and fresh take effect at once, since the SLA already contains the
    /// tolerance.
    public func record(source: String, baselineId: Int64? = nil,
                       tracker: inout FeatureStatusTracker) -> FeatureWindowVerdict {
        let rule = brokenRules.first ?? (eventAgeMs != nil && sla.maxEventAgeMs != nil ? .eventAge : .arrivalInterval)
        let age = rule == .eventAge ? eventAgeMs : arrivalAgeMs
        let limit = rule == .eventAge ? sla.maxEventAgeMs : sla.maxArrivalIntervalMs
        let decision: WindowDecision = isStale ? .drifting : (sla.maxEventAgeMs == nil && sla.maxArrivalIntervalMs == nil
            ? .insufficientData : .clean)
        let severity: MonitoringSeverity = isStale ? .critical : .none
        let signal = MonitoredSignal(feature: "", kind: .freshness)
        let status = tracker.advance(signal, decision: decision, severity: severity, windowStartMs: nowMs,
                                     persistence: 1, recovery: 1)
        return FeatureWindowVerdict(
            source: source, feature: "", windowStartMs: nowMs, windowEndMs: nowMs, baselineId: baselineId,
            kind: .freshness, testName: "freshness-sla", testMethod: rule.rawValue, statistic: nil, pValue: nil,
            adjustedPValue: nil, effectName: rule == .eventAge ? "event_age_ms" : "arrival_age_ms",
            effectValue: age.map(Double.init),
            thresholds: VerdictThresholds(significance: 0, benjaminiHochberg: false, warning: limit.map(Double.init)),
            baselineCount: 0, currentCount: 0, decision: decision, severity: severity, status: status,
            stale: isStale, reasons: reasons.isEmpty ? [decision == .insufficientData ? "no freshness SLA" : "fresh"] : reasons)
    }
}
