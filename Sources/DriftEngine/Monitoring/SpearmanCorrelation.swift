#if canImport(Glibc)
import Glibc
#endif

/// Spearman's rank correlation of paired samples with its two-sided p-value, as `scipy.stats.spearmanr`:
/// average ranks for ties (`rankdata`), Pearson's r of the ranks, and the p-value of
/// t = r·√((n − 2) / ((1 + r)(1 − r))) under Student's t with n − 2 degrees of freedom (|r| = 1 gives p = 0).
public struct SpearmanCorrelation: Sendable, Equatable {
    /// ρ in [−1, 1].
    public var rho: Double
    /// Two-sided p-value (t approximation).
    public var pValue: Double
    /// Number of pairs.
    public var count: Int

    /// The rank correlation of `x` and `y`; nil when it is undefined: lengths differ, fewer than 3 pairs (scipy
    /// returns a p-value of NaN for 2), a non-finite value in either sample (callers drop incomplete pairs
    /// first), or a constant sample (scipy warns and returns NaN).
    public init?(_ x: [Double], _ y: [Double]) {
        guard x.count == y.count, x.count >= 3, x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else { return nil }
        let rx = Self.averageRanks(x), ry = Self.averageRanks(y)
        let n = Double(x.count)
        let mean = (n + 1) / 2  // mean of any average-rank vector
        var sxx = 0.0, syy = 0.0, sxy = 0.0
        for i in rx.indices {
            let dx = rx[i] - mean, dy = ry[i] - mean
            sxx += dx * dx
            syy += dy * dy
            sxy += dx * dy
        }
        guard sxx > 0, syy > 0 else { return nil }
        let r = Swift.min(1, Swift.max(-1, sxy / (sxx * syy).squareRoot()))
        rho = r
        count = x.count
        pValue = Self.twoSidedPValue(rho: r, count: x.count)
    }

    /// Ranks 1 … n, tied values sharing the average of their ranks (scipy `rankdata(method='average')`).
    public static func averageRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
            let average = Double(start + 1 + end) / 2  // mean of ranks start+1 … end
            for k in start..<end { ranks[order[k]] = average }
            start = end
        }
        return ranks
    }

    /// Two-sided p of ρ on n pairs: 2·P(T > |t|) with T ~ t(n − 2), computed as the regularized incomplete beta
    /// I_x(ν/2, 1/2) with x = ν/(ν + t²), ν = n − 2.
    static func twoSidedPValue(rho r: Double, count n: Int) -> Double {
        let dof = Double(n - 2)
        let denominator = (r + 1) * (1 - r)
        guard denominator > 0 else { return 0 }
        let t2 = r * r * (dof / denominator)
        guard t2.isFinite else { return 0 }
        return RegularizedBeta.value(a: dof / 2, b: 0.5, x: dof / (dof + t2), oneMinusX: t2 / (dof + t2))
    }
}
