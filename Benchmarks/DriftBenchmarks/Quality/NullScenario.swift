#if canImport(Glibc)
import Glibc
#endif

/// A stream without change: every window is drawn from the baseline's distribution. The same definitions as
/// `tools/quality_evidently.py` (the reference point), drawn from ``SplitMix64`` instead of numpy's PCG64.
enum NullScenario: String, CaseIterable {
    /// N(0, 1).
    case normal
    /// exp(N(0, 1)): skewed, long right tail.
    case lognormal
    /// Student t(3): heavy tails (infinite fourth moment), σ = √3.
    case heavyTailed = "heavy_tailed"
    /// Poisson(3): a handful of distinct values, so most values are ties.
    case discreteTies = "discrete_ties"
    /// N(0, 1) + 0.05 · sin(2π · hour / 24): a daily cycle in the mean of 0.05σ. The baseline is drawn across the
    /// whole day (a uniform hour per row), each window at its own hour — so every window differs a little from the
    /// baseline, by design. The amplitude is kept at 0.05σ, below the normed-Wasserstein gate of 0.1: from 10k
    /// rows on KS calls many such windows significant, the effect gate then grades them info (clean). A seasonality of
    /// 0.1σ or more is a real, material difference between an hour and the day's average; the policy would
    /// (rightly, by its definitions) call it drift, and monitoring it without alerts needs a seasonal baseline
    /// (per hour of day, or a rolling baseline of the same hour), which the engine does not offer yet.
    case seasonalMean = "seasonal_mean"
    /// N(0, 1) with 5 % nulls (NaN) in the baseline and in every window.
    case steadyNulls = "steady_nulls"
    /// 8 categories with p(k) ∝ 1 / (k + 1).
    case categorical

    /// The categories' probabilities, p(k) ∝ 1 / (k + 1), k = 0 … 7.
    static let categoryProbabilities: [Double] = {
        let weights = (0..<8).map { 1.0 / Double($0 + 1) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }()

    /// Running sums of `probabilities` (the last entry forced to 1).
    static func cumulative(_ probabilities: [Double]) -> [Double] {
        var sum = 0.0
        var out = probabilities.map { sum += $0; return sum }
        out[out.count - 1] = 1
        return out
    }

    /// The dictionary of a categorical baseline ("c0" … "c7").
    static let dictionary = (0..<8).map { "c\($0)" }

    /// `rows` values of the baseline (`hour` nil: drawn across the day) or of the window at `hour`.
    func column(rows: Int, hour: Int?, rng: inout SplitMix64) -> SimulatedColumn {
        switch self {
        case .normal: return .numeric((0..<rows).map { _ in rng.normal() })
        case .lognormal: return .numeric((0..<rows).map { _ in exp(rng.normal()) })
        case .heavyTailed: return .numeric((0..<rows).map { _ in rng.studentT(degreesOfFreedom: 3) })
        case .discreteTies: return .numeric((0..<rows).map { _ in rng.poisson(mean: 3) })
        case .seasonalMean:
            return .numeric((0..<rows).map { _ in
                let h = hour ?? Int(rng.next() % 24)
                return rng.normal() + 0.05 * sin(2 * Double.pi * Double(h) / 24)
            })
        case .steadyNulls:
            return .numeric((0..<rows).map { _ in
                let x = rng.normal()
                return rng.uniform() < 0.05 ? .nan : x
            })
        case .categorical:
            let cdf = Self.cumulative(Self.categoryProbabilities)
            return .categorical((0..<rows).map { _ in rng.category(cumulative: cdf) }, dictionarySize: 8)
        }
    }
}
