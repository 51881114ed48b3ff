/// The stored record of one check of one feature (or feature pair, or source) in one window: the decision, the
/// status after hysteresis, and every input of the decision.
public struct FeatureWindowVerdict: Sendable, Equatable {
    public var source: String
    /// The feature; for a correlation the pair's first feature; empty for a source-level freshness record.
    public var feature: String
    /// A correlation pair's second feature; nil otherwise.
    public var partnerFeature: String?
    public var windowStartMs: Int64
    /// Exclusive end of the window.
    public var windowEndMs: Int64
    /// The stored baseline compared against (nil when none is stored, e.g. an ad-hoc one).
    public var baselineId: Int64?
    public var kind: SignalKind
    /// "ks", "chi-square", "two-proportion-z", "fisher-z", "freshness-sla".
    public var testName: String
    /// Details of the test: the KS p-value method ("exact", "asymptotic", "binned"), nil otherwise.
    public var testMethod: String?
    /// KS D, χ², z of the null-rate or Fisher test.
    public var statistic: Double?
    /// The raw p-value.
    public var pValue: Double?
    /// The Benjamini–Hochberg adjusted p-value within the verdict's family (nil when BH is off or p is missing).
    public var adjustedPValue: Double?
    /// "psi", "normed_wasserstein", "jensen_shannon", "null_rate_change" (absolute), "correlation_change"
    /// (absolute Δr), "event_age_ms"/"arrival_age_ms" (freshness).
    public var effectName: String?
    public var effectValue: Double?
    public var thresholds: VerdictThresholds
    /// Sample sizes: non-null values (distribution), rows (null rate), complete rows (correlation).
    public var baselineCount: Int
    public var currentCount: Int
    public var decision: WindowDecision
    public var severity: MonitoringSeverity
    /// The signal's status after this window.
    public var status: FeatureStatus
    /// The source was stale when this window was decided (``FreshnessVerdict``).
    public var stale: Bool
    public var reasons: [String]

    public init(source: String, feature: String, partnerFeature: String? = nil, windowStartMs: Int64,
                windowEndMs: Int64, baselineId: Int64?, kind: SignalKind, testName: String, testMethod: String? = nil,
                statistic: Double?, pValue: Double?, adjustedPValue: Double?, effectName: String?, effectValue: Double?,
                thresholds: VerdictThresholds, baselineCount: Int, currentCount: Int, decision: WindowDecision,
                severity: MonitoringSeverity, status: FeatureStatus, stale: Bool, reasons: [String]) {
        self.source = source
        self.feature = feature
        self.partnerFeature = partnerFeature
        self.windowStartMs = windowStartMs
        self.windowEndMs = windowEndMs
        self.baselineId = baselineId
        self.kind = kind
        self.testName = testName
        self.testMethod = testMethod
        self.statistic = statistic
        self.pValue = pValue
        self.adjustedPValue = adjustedPValue
        self.effectName = effectName
        self.effectValue = effectValue
        self.thresholds = thresholds
        self.baselineCount = baselineCount
        self.currentCount = currentCount
        self.decision = decision
        self.severity = severity
        self.status = status
        self.stale = stale
        self.reasons = reasons
    }

    /// The hysteresis key of this record.
    public var signal: MonitoredSignal { MonitoredSignal(feature: feature, partner: partnerFeature, kind: kind) }
}
