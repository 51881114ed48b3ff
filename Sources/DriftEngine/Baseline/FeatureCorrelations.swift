import DriftKernels

/// The co-moments a baseline keeps for every pair of its numeric features, each pair over the rows where both
/// values are non-null and finite (``PairwiseCoMoments``): enough to recover each pair's Pearson correlation and
/// its sample size, so a later check can test a change of correlation (``FisherZTest``) without the baseline rows.
///
/// Kept when a baseline has 2 … ``BaselineState/maxCorrelatedFeatures`` numeric features (at 32: 496 pairs,
/// 24 KB); wider sources need declared feature groups, which a later format adds.
public struct FeatureCorrelations: Sendable {
    /// The numeric features covered, in the order of the baseline's features.
    public let features: [String]
    /// Co-moments of every pair, indexed like `features`.
    public let moments: PairwiseCoMoments

    /// - Precondition: one name per dimension of `moments`, names unique.
    public init(features: [String], moments: PairwiseCoMoments) {
        precondition(features.count == moments.dimension, "one feature name per co-moment dimension")
        precondition(Set(features).count == features.count, "feature names must be unique")
        self.features = features
        self.moments = moments
    }

    /// Co-moments of features `a` and `b` in that order (`means[0]` is a's); nil when either is not covered or
    /// a == b.
    public func coMoments(of a: String, and b: String) -> CoMoments? {
        guard a != b, let i = features.firstIndex(of: a), let j = features.firstIndex(of: b) else { return nil }
        return moments.pair(i, j)
    }
}

extension FeatureCorrelations: Equatable {
    /// Same names, same counts and bit-identical floats.
    public static func == (a: FeatureCorrelations, b: FeatureCorrelations) -> Bool {
        func bits(_ m: CoMoments) -> [UInt64] { (m.means + m.comoments).map(\.bitPattern) }
        return a.features == b.features && a.moments.pairs.count == b.moments.pairs.count
            && zip(a.moments.pairs, b.moments.pairs).allSatisfy { $0.count == $1.count && bits($0) == bits($1) }
    }
}
