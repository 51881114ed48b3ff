/// The approximate two-sample Kolmogorov–Smirnov test from a baseline's frozen ``KSGrid``: no sort of the current
/// sample, one pass of binary searches over ≤ 1024 edges, then O(G) work. For latency budgets too small for the
/// exact test (``KolmogorovSmirnovTest``).
///
/// ## The statistic and its error bound
///
/// Write F (baseline, n values) and G (current, m values) for the two empirical CDFs and d(x) = F(x) − G(x); the
/// exact statistic is D = sup over x of |d(x)| (as ``KSStatistic`` and scipy compute it). Both CDFs are known
/// exactly, in integer counts, at these points: −inf, every edge e[k] and just below it (e[k]⁻, the count of
/// values < e[k]), and just below +inf (the count of values < +inf, i.e. at the largest finite value).
///
/// - **Lower bound.** `statistic` = max of |d| over those points. Each is a value d takes (d(e[k]⁻) is d at the
///   last data point below e[k], or 0 or d(−inf) when there is none; d just below +inf is d at the largest finite
///   value of the union), computed with the same float64 formula `i/n − j/m` as the exact kernel evaluates at those
///   very points, so `statistic ≤ D` holds bit for bit. Where ``KolmogorovSmirnovTest`` reports D snapped to
///   its lattice h/lcm(n, m) (mode auto, max(n, m) ≤ 10 000), both ends of the bound are snapped the same way
///   (snapping is monotone), so the bounds hold for the D the exact test reports.
/// - **Upper bound.** Every real x is −inf, +inf (where d = 0), an edge, or inside one open cell between
///   neighbouring points: (−inf, e[0]), (e[k], e[k+1]) or (e[G−1], +inf). Within a cell (l, r) both CDFs are
///   monotone, so F(l) ≤ F(x) ≤ F(r⁻) and G(l) ≤ G(x) ≤ G(r⁻), hence
///   F(l) − G(r⁻) ≤ d(x) ≤ F(r⁻) − G(l). These cross terms are again of the form i/n − j/m (with i and j
///   moved the right way, and float rounding is monotone in them), so D ≤ `statistic` + `errorBound` where
///   `errorBound` = max(0, max over cells of max(F(r⁻) − G(l), G(r⁻) − F(l)) − `statistic`), rounded up so that
///   the float sum is not below the bound.
/// - **Size of the bound.** With mb and mc the baseline and current mass strictly inside a cell,
///   F(r⁻) − G(l) = d(l) + mb = d(r⁻) + mc, and both d(l) and d(r⁻) are grid points; so a cell adds to the
///   bound only when it holds mass of *both* samples, and `errorBound` ≤ max over cells of min(mb, mc) — at
///   most the brief's max over cells of max(mb, mc). The grid puts fewer than ⌈N/(G−1)⌉ baseline values strictly
///   inside a cell, so ε < ⌈N/(G−1)⌉/N ≈ 1/1023 of the baseline whatever the current sample; values equal to an
///   edge are counted exactly, so for data with at most 1024 distinct baseline values (every value an edge,
///   no baseline mass inside any cell) ε = 0 and the statistic is the exact D.
///
/// The p-value is the asymptotic one (``TwoSampleKSPValue/Mode/asymptotic``, `kstwo` at the effective size
/// round(nm/(n+m))) at `statistic`: the exact recursion is what the budget could not afford.
public struct BinnedKS: Sendable, Equatable {
    /// The `p_value_method` of a binned answer.
    public static let methodName = "binned"

    /// max |F − G| over the grid points: a lower bound of the exact D.
    public var statistic: Double
    /// ε with statistic ≤ D ≤ statistic + ε (both as float64 values).
    public var errorBound: Double
    /// Asymptotic two-sided p-value at `statistic`.
    public var pValue: Double
    /// Non-null sizes: baseline (all values the grid describes) and current.
    public var n: Int
    public var m: Int

    /// The test from the grid's baseline counts and a current sample's counts at the same edges.
    /// - Throws: `insufficientData` when either side has no non-null value; `invalidArgument` when the counts
    ///   are not over the grid's edges.
    public init(grid: KSGrid, current: KSGridCounts) throws(KernelError) {
        let b = grid.baseline, c = current
        guard b.count > 0 else { throw KernelError(.insufficientData, "KS: baseline has no non-null values") }
        guard c.count > 0 else { throw KernelError(.insufficientData, "KS: current sample has no non-null values") }
        let g = grid.edges.count
        guard c.countBelow.count == g, c.countAtOrBelow.count == g else {
            throw KernelError(.invalidArgument, "KS: current counts are not over the grid's \(g) edges")
        }
        let dn = Double(b.count), dm = Double(c.count)
        @inline(__always) func d(_ i: Int, _ j: Int) -> Double { Double(i) / dn - Double(j) / dm }
        // Points (extremes of d at the grid) and cell bounds (extremes d could reach inside a cell).
        var maxS = -Double.infinity, minS = Double.infinity
        var maxCell = -Double.infinity, minCell = Double.infinity
        @inline(__always) func point(_ i: Int, _ j: Int) {
            let v = d(i, j)
            maxS = Swift.max(maxS, v)
            minS = Swift.min(minS, v)
        }
        @inline(__always) func cell(leftB: Int, leftC: Int, rightB: Int, rightC: Int) {
            maxCell = Swift.max(maxCell, d(rightB, leftC))
            minCell = Swift.min(minCell, d(leftB, rightC))
        }
        point(b.negativeInfinityCount, c.negativeInfinityCount)
        var leftB = b.negativeInfinityCount, leftC = c.negativeInfinityCount
        for k in 0..<g {
            let belowB = b.countBelow[k], belowC = c.countBelow[k]
            point(belowB, belowC)
            cell(leftB: leftB, leftC: leftC, rightB: belowB, rightC: belowC)
            leftB = b.countAtOrBelow[k]
            leftC = c.countAtOrBelow[k]
            point(leftB, leftC)
        }
        let topB = b.countBelowPositiveInfinity, topC = c.countBelowPositiveInfinity
        point(topB, topC)
        cell(leftB: leftB, leftC: leftC, rightB: topB, rightC: topC)

        var statistic = Swift.max(Swift.min(Swift.max(-minS, 0), 1), maxS)
        var upper = Swift.max(statistic, Swift.max(Swift.min(Swift.max(-minCell, 0), 1), maxCell))
        if Swift.max(b.count, c.count) <= TwoSampleKSPValue.maxAutoExactSize {
            // Where the exact test reports D snapped to its lattice h/lcm(n, m) (KolmogorovSmirnovTest, mode auto),
            // snap both ends the same way: snapping is monotone, so the bounds hold for the reported values.
            let lcm = Double(b.count / _gcd(b.count, c.count)) * Double(c.count)
            statistic = (statistic * lcm).rounded(.toNearestOrEven) / lcm
            upper = (upper * lcm).rounded(.toNearestOrEven) / lcm
        }
        var bound = upper - statistic
        while statistic + bound < upper { bound = bound.nextUp }
        self.statistic = statistic
        errorBound = bound
        n = b.count
        m = c.count
        pValue = TwoSampleKSPValue.pValue(d: statistic, n1: n, n2: m, mode: .asymptotic).p
    }

    /// Counts a float32 current column over the grid (``KSGrid/counts(_:validity:)-([Float],_)``) and tests it.
    public init(grid: KSGrid, current: UnsafeBufferPointer<Float>, validity: ValidityBitmap? = nil) throws(KernelError) {
        try self.init(grid: grid, current: grid.counts(current, validity: validity))
    }

    /// Counts a float64 current column over the grid and tests it.
    public init(grid: KSGrid, current: UnsafeBufferPointer<Double>, validity: ValidityBitmap? = nil) throws(KernelError) {
        try self.init(grid: grid, current: grid.counts(current, validity: validity))
    }
}
