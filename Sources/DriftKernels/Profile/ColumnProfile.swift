/// One-pass profile of a numeric column: counts, extremes and the first two moments.
///
/// - `nullCount` counts rows marked null in the validity bitmap plus NaN values (NaN *is* null);
///   `nanCount` is the NaN part of it.
/// - `minimum`/`maximum` range over all non-null values, so they are ±infinity when such values occur;
///   `nil` when the column has no non-null value.
/// - `mean` and `sumOfSquaredDeviations` range over the finite values only (`finiteCount` of them); infinities
///   are counted, not averaged.
///
/// Profiles are mergeable (Chan et al. 1979): `a.merged(with: b)` is the profile of the concatenation, up to
/// floating-point rounding, so partial profiles of blocks or nodes combine in any order.
///
/// Values so large that their spread overflows (|x| near 1.8e308) give a finite mean and an infinite variance,
/// never NaN.
public struct ColumnProfile: Sendable, Equatable {
    public var count: Int = 0
    public var nullCount: Int = 0
    public var nanCount: Int = 0
    public var positiveInfinityCount: Int = 0
    public var negativeInfinityCount: Int = 0
    public var minimum: Double? = nil
    public var maximum: Double? = nil
    public var mean: Double = 0
    /// Σ (x − mean)² over finite values (Welford's M2).
    public var sumOfSquaredDeviations: Double = 0

    public init() {}

    /// Number of finite, non-null values.
    public var finiteCount: Int { count - nullCount - positiveInfinityCount - negativeInfinityCount }
    /// Fraction of rows that are null; 0 for an empty column.
    public var nullRate: Double { count == 0 ? 0 : Double(nullCount) / Double(count) }
    /// Population variance (ddof = 0) of the finite values; `nil` when there are none.
    public var populationVariance: Double? { finiteCount == 0 ? nil : sumOfSquaredDeviations / Double(finiteCount) }
    /// Sample variance (ddof = 1) of the finite values; `nil` with fewer than two.
    public var sampleVariance: Double? { finiteCount < 2 ? nil : sumOfSquaredDeviations / Double(finiteCount - 1) }
    /// Population standard deviation (ddof = 0), as `numpy.std`; `nil` when there are no finite values.
    public var standardDeviation: Double? { populationVariance.map { $0.squareRoot() } }

    /// The profile of the union of the rows profiled by `self` and `other`.
    /// - Complexity: O(1).
    public func merged(with other: ColumnProfile) -> ColumnProfile {
        var r = ColumnProfile()
        r.count = count + other.count
        r.nullCount = nullCount + other.nullCount
        r.nanCount = nanCount + other.nanCount
        r.positiveInfinityCount = positiveInfinityCount + other.positiveInfinityCount
        r.negativeInfinityCount = negativeInfinityCount + other.negativeInfinityCount
        r.minimum = Self.combine(minimum, other.minimum, Swift.min)
        r.maximum = Self.combine(maximum, other.maximum, Swift.max)
        (r.mean, r.sumOfSquaredDeviations) = Self.chan(
            finiteCount, mean, sumOfSquaredDeviations, other.finiteCount, other.mean, other.sumOfSquaredDeviations)
        return r
    }

    /// Chan's parallel update of (mean, M2) for two disjoint samples.
    @inline(__always)
    static func chan(_ na: Int, _ ma: Double, _ sa: Double, _ nb: Int, _ mb: Double, _ sb: Double) -> (Double, Double) {
        if nb == 0 { return (ma, sa) }
        if na == 0 { return (mb, sb) }
        let n = Double(na + nb)
        let delta = mb - ma
        guard delta.isFinite else {  // the two means are more than ~1.8e308 apart
            return (ma * (Double(na) / n) + mb * (Double(nb) / n), .infinity)
        }
        let mean = ma + delta * (Double(nb) / n)
        let m2 = sa + sb + delta * delta * (Double(na) * Double(nb) / n)
        return (mean, m2.isFinite ? m2 : .infinity)
    }

    private static func combine(_ a: Double?, _ b: Double?, _ f: (Double, Double) -> Double) -> Double? {
        switch (a, b) {
        case let (x?, y?): return f(x, y)
        case let (x?, nil): return x
        case let (nil, y?): return y
        case (nil, nil): return nil
        }
    }
}
