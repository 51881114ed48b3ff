/// A feature's strongest association with performance drops (``PerformanceCorrelation/ranking(driftScores:metric:)``).
public struct FeaturePerformanceRank: Sendable, Equatable {
    /// The lag with the largest ρ(drift, degradation).
    public var best: LaggedAssociation
    /// The best lag's p-value times the number of lags tried (L + 1), capped at 1 (Bonferroni over lags: picking
    /// the best of L + 1 lags would otherwise overstate the evidence).
    public var lagAdjustedPValue: Double

    public init(best: LaggedAssociation, lagAdjustedPValue: Double) {
        self.best = best
        self.lagAdjustedPValue = lagAdjustedPValue
    }
}
