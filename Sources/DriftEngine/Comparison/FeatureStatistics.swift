import DriftKernels

public enum FeatureKind: String, Sendable, Equatable, Codable {
    case numeric, categorical
}

/// Everything computed when one feature is compared with its baseline: the inputs of the verdict, kept so a
/// user can see why it fired. Statistics that are undefined for the data are `nil`, with the reason in `notes`.
public struct FeatureStatistics: Sendable, Equatable {
    public var kind: FeatureKind
    /// Rows on each side, nulls included.
    public var baselineRows = 0
    public var currentRows = 0
    /// Non-null values on each side (the sample sizes of the distribution tests).
    public var baselineCount = 0
    public var currentCount = 0
    public var baselineNullRate = 0.0
    public var currentNullRate = 0.0
    /// KS D (numeric).
    public var ksStatistic: Double?
    /// p-value of the distribution test: KS (numeric) or chi-square (categorical).
    public var pValue: Double?
    /// "exact" or "asymptotic" for KS, "binned" for the approximate KS (``BinnedKS``); "chi-square" for
    /// categoricals.
    public var pValueMethod: String?
    /// The answer is approximate (``FeatureComparison/numericApproximate(name:baseline:current:policy:)-([Double])``):
    /// KS from the baseline's frozen grid, Wasserstein estimated from the same grid.
    public var approximate = false
    /// Approximate answers: the exact KS D lies in [`ksStatistic`, `ksStatistic` + `ksErrorBound`].
    public var ksErrorBound: Double?
    /// Approximate answers: |exact W − `wasserstein`| ≤ `wassersteinErrorBound` (data units).
    public var wassersteinErrorBound: Double?
    public var psi: Double?
    public var jensenShannon: Double?
    public var wasserstein: Double?
    /// Wasserstein distance in baseline standard deviations.
    public var normedWasserstein: Double?
    public var chiSquare: Double?
    public var chiSquareDegreesOfFreedom: Int?
    /// Categories seen in the current sample but never in the baseline.
    public var unseenCategories: Int?
    /// Distinct non-null categories on each side (categorical).
    public var baselineDistinct: Int?
    public var currentDistinct: Int?
    public var nullRateTest: TwoProportionZTest?
    public var baselineProfile: ColumnProfile?
    public var currentProfile: ColumnProfile?
    /// Number of interior bins actually used (quantile ties can merge bins).
    public var bins: Int?
    public var notes: [String] = []

    public init(kind: FeatureKind) { self.kind = kind }
}

/// A feature's statistics and the policy's verdict on them.
public struct FeatureReport: Sendable, Equatable {
    public var name: String
    public var statistics: FeatureStatistics
    public var verdict: Verdict

    public init(name: String, statistics: FeatureStatistics, verdict: Verdict) {
        self.name = name
        self.statistics = statistics
        self.verdict = verdict
    }
}
