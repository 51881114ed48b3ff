/// The settings that apply to one feature of a source: the source's defaults or a per-feature override
/// (``MonitoringPolicy/overrides``).
public struct FeatureMonitoringSettings: Sendable, Equatable {
    /// Significance level (used when Benjamini–Hochberg is off), effect thresholds for warning / critical, the
    /// null-rate gate and the minimum sample: ``DriftPolicy``'s table of defaults.
    public var drift = DriftPolicy()
    /// The effects that make a significant finding ``MonitoringSeverity/info``.
    public var info = InfoThresholds()
    /// k: consecutive drifting windows before the feature is *drifting* (≥ 1).
    public var persistence = 2
    /// j: consecutive clean windows before a drifting feature is *ok* again (≥ 1).
    public var recovery = 2
    /// Whether the null-rate test is graded at all (off for features where nulls are expected to swing, such as
    /// optional fields).
    public var checksNullRate = true

    public init() {}
}
