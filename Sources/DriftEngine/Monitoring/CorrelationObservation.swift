import DriftKernels

/// The co-moments of one declared pair on both sides: two-dimensional ``CoMoments`` with the pair's first
/// feature at index 0.
public struct CorrelationObservation: Sendable, Equatable {
    public var pair: FeaturePair
    public var baseline: CoMoments
    public var current: CoMoments

    /// - Precondition: both co-moments are two-dimensional.
    public init(pair: FeaturePair, baseline: CoMoments, current: CoMoments) {
        precondition(baseline.dimension == 2 && current.dimension == 2, "pair co-moments are two-dimensional")
        self.pair = pair
        self.baseline = baseline
        self.current = current
    }

    /// Observations for `pairs` that both sides cover (pairs either side lacks are left out; the evaluator
    /// reports a declared pair without an observation as insufficient data).
    public static func observations(for pairs: [FeaturePair], baseline: FeatureCorrelations,
                                    window: FeatureCorrelations) -> [CorrelationObservation] {
        pairs.compactMap { pair in
            guard let b = baseline.coMoments(of: pair.first, and: pair.second),
                  let c = window.coMoments(of: pair.first, and: pair.second) else { return nil }
            return CorrelationObservation(pair: pair, baseline: b, current: c)
        }
    }
}
