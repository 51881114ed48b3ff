/// The monitoring policy of one source: how each window's per-feature statistics become window decisions, and
/// how consecutive window decisions become a feature's status. Pure configuration, no state.
///
/// | setting | default | why |
/// |---|---|---|
/// | distribution, null-rate, effect thresholds | ``DriftPolicy`` defaults (α 0.01; PSI 0.1 / 0.25; W/σ 0.1 / 0.5; JS 0.1 / 0.2; null rate 5 / 20 points; 30 values) | one definition of "material" for one-shot checks and monitoring; reasons in `DriftPolicy`'s table |
/// | `benjaminiHochberg` | on | a source with 100 features checked hourly makes 2 400 tests a day; BH keeps the expected share of false findings among the findings at q, where Bonferroni would cost most of the power |
/// | `falseDiscoveryRate` (q) | 0.01 | the policy's α, so a source with one feature behaves exactly like the one-shot check (BH with m = 1 is the raw p) |
/// | BH families | three per source-window: distribution tests, null-rate tests, correlation pairs | different questions with different nulls: a source with no nulls at all has p = 1 for every null-rate test, which would only dilute the distribution family if pooled; per-family FDR is the usual choice for separate hypotheses families |
/// | persistence k | 2 windows | a single window's finding that is not repeated is most often noise or a one-off batch; two in a row cut false alarms by roughly the per-window rate again at the price of one window of delay (the target is detection within 2 windows) |
/// | recovery j | 2 windows | symmetric with k: a drifting feature whose statistic hovers near a threshold would otherwise close and reopen its incident (one alert each time); closing one window later is cheap |
/// | `info` thresholds | half of each warning threshold | ``InfoThresholds``: significant but below warning, shown in history, never drifting |
/// | correlation | Fisher z at q, \|Δr\| 0.05 / 0.1 / 0.2 | ``CorrelationThresholds`` |
///
/// With BH on, significance means an adjusted p-value below `falseDiscoveryRate` (strictly, like the policy's
/// p < α); the per-feature `drift.significanceLevel` applies only when BH is off. Every other setting can be
/// overridden per feature (``overrides``); the BH level and the correlation settings are per source because they
/// concern the whole window.
public struct MonitoringPolicy: Sendable, Equatable {
    /// Settings for every feature without an override.
    public var defaults = FeatureMonitoringSettings()
    /// Per-feature settings, by feature name; they replace `defaults` wholesale for that feature.
    public var overrides: [String: FeatureMonitoringSettings] = [:]
    /// Benjamini–Hochberg across the features of a source-window (per family, see the table).
    public var benjaminiHochberg = true
    /// q, the BH false-discovery level.
    public var falseDiscoveryRate = 0.01
    /// Declared feature groups: every pair of distinct features within a group gets a correlation check.
    public var correlationGroups: [[String]] = []
    public var correlation = CorrelationThresholds()

    public init() {}

    /// The settings of `feature`: its override, else the defaults.
    public func settings(for feature: String) -> FeatureMonitoringSettings { overrides[feature] ?? defaults }

    /// Every pair (a, b) of distinct features within a declared group, a before b in group order, each pair once
    /// even when groups overlap, in first-declared order.
    public var correlationPairs: [FeaturePair] {
        var seen = Set<FeaturePair>(), pairs: [FeaturePair] = []
        for group in correlationGroups {
            for i in group.indices {
                for j in group.indices where j > i && group[i] != group[j] {
                    let pair = FeaturePair(group[i], group[j])
                    if seen.insert(pair).inserted && !seen.contains(FeaturePair(group[j], group[i])) { pairs.append(pair) }
                }
            }
        }
        return pairs
    }
}
