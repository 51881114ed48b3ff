/// The verdict policy for one comparison of a feature against its baseline.
///
/// A feature drifts only when a test is **significant** (p < `significanceLevel`) **and** the effect is
/// **material** (an effect size at or above a threshold). Large samples make every p-value tiny, so significance
/// alone flags harmless shifts (a 0.02σ shift on 10⁶ rows has p ≈ 1e-31); effect sizes alone ignore noise on
/// small samples. Requiring both keeps the false alarms of either away. Defaults and why:
///
/// | check | test | effect (warning / critical) | why these numbers |
/// |---|---|---|---|
/// | numeric distribution | KS two-sample, α = 0.01 | PSI ≥ 0.1 / 0.25, or normed Wasserstein ≥ 0.1 / 0.5 | PSI 0.1 / 0.25 is the credit-risk convention ("some" / "major" shift); W/σ = 0.1 is Evidently's default drift threshold, i.e. a tenth of a baseline σ, and catches location and scale shifts PSI's decile bins blur (a 0.2σ shift has PSI ≈ 0.04 but W/σ ≈ 0.2) |
/// | categorical distribution | chi-square homogeneity, α = 0.01 | PSI ≥ 0.1 / 0.25, or Jensen–Shannon ≥ 0.1 / 0.2 | same PSI convention over categories; JS distance 0.1 is Evidently's categorical default |
/// | null rate | two-proportion z-test, α = 0.01 | abs change of the null rate ≥ 0.05 / 0.20 | five points of missing data is what a broken join or a dropped upstream field looks like; 20 points is an outage |
///
/// α = 0.01 rather than 0.05 because a source has many features and is checked again and again (the monitoring
/// issue adds Benjamini–Hochberg across features). Below `minimumSampleSize` non-null values on either side no
/// verdict is claimed (`insufficientData`). Every threshold is configurable.
public struct DriftPolicy: Sendable, Equatable {
    public var significanceLevel = 0.01
    public var psiWarning = 0.1
    public var psiCritical = 0.25
    public var wassersteinWarning = 0.1
    public var wassersteinCritical = 0.5
    public var jensenShannonWarning = 0.1
    public var jensenShannonCritical = 0.2
    public var nullRateWarning = 0.05
    public var nullRateCritical = 0.20
    public var minimumSampleSize = 30

    public init() {}
}

/// What the policy concluded for one feature.
public enum Decision: String, Sendable, Equatable, Codable {
    case stable
    case drift
    case insufficientData = "insufficient_data"
}

public enum Severity: String, Sendable, Equatable, Comparable, Codable {
    case none, warning, critical

    private var rank: Int { self == .none ? 0 : self == .warning ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A decision with its severity and the reasons behind it, in words a user can act on.
public struct Verdict: Sendable, Equatable {
    public var decision: Decision
    public var severity: Severity
    public var reasons: [String]

    public init(decision: Decision, severity: Severity, reasons: [String]) {
        self.decision = decision
        self.severity = severity
        self.reasons = reasons
    }
}
