/// The first Wasserstein distance estimated from the CDFs at a ``KSGrid``'s edges, with a guaranteed error bound:
/// the cheap companion of ``BinnedKS`` (no sort, no merge).
///
/// W = ∫ |F(x) − G(x)| dx over the finite values (±inf left out, each CDF normalised by its finite count, as
/// ``WassersteinDistance``). The finite line from min(first edge, smallest current value) to max(last edge,
/// largest current value) splits into open cells between neighbouring edges, plus the outer cells where only
/// current values lie. Within a cell (l, r) both CDFs are monotone, so d = F − G lies in
/// [F(l) − G(r⁻), F(r⁻) − G(l)] and |d| between the smallest and the largest absolute value of that interval;
/// integrating those bounds over the cell widths gives W_lo ≤ W ≤ W_hi. The estimate is, per cell, the mean of
/// |d| at the cell's two ends clamped into that cell's interval (a trapezoid: exact when both CDFs are linear in
/// the cell), and `errorBound` = max(estimate − W_lo, W_hi − estimate). With the grid's ≈ 1/1023 baseline mass
/// per cell the bound is about (baseline range)/1023 plus the current mass times the width of the cells it
/// falls in — a few hundredths of a baseline σ for bell-shaped data, where the policy's materiality threshold
/// is 0.1σ.
public struct BinnedWasserstein: Sendable, Equatable {
    /// The estimate of W (units of the data).
    public var estimate: Double
    /// |W − estimate| ≤ errorBound (up to float rounding of the exact W).
    public var errorBound: Double

    /// - Throws: `insufficientData` when either side has no finite value; `invalidArgument` when the counts are
    ///   not over the grid's edges.
    public init(grid: KSGrid, current: KSGridCounts) throws(KernelError) {
        let b = grid.baseline, c = current
        let g = grid.edges.count
        guard b.finiteCount > 0, g > 0 else {
            throw KernelError(.insufficientData, "Wasserstein: baseline has no finite values")
        }
        guard c.finiteCount > 0 else { throw KernelError(.insufficientData, "Wasserstein: current sample has no finite values") }
        guard c.countBelow.count == g, c.countAtOrBelow.count == g else {
            throw KernelError(.invalidArgument, "Wasserstein: current counts are not over the grid's \(g) edges")
        }
        let nb = Double(b.finiteCount), nc = Double(c.finiteCount)
        let b0 = b.negativeInfinityCount, c0 = c.negativeInfinityCount
        @inline(__always) func f(_ i: Int) -> Double { Double(i - b0) / nb }
        @inline(__always) func h(_ j: Int) -> Double { Double(j - c0) / nc }
        var low = 0.0, high = 0.0, estimate = 0.0
        /// One open cell of `width` between a left point (counts at or below it) and a right one (counts below it).
        @inline(__always) func cell(_ width: Double, leftB: Int, leftC: Int, rightB: Int, rightC: Int) {
            guard width > 0 else { return }
            let lo = f(leftB) - h(rightC), hi = f(rightB) - h(leftC)
            let smallest = lo > 0 ? lo : hi < 0 ? -hi : 0
            let largest = Swift.max(Swift.abs(lo), Swift.abs(hi))
            let ends = (Swift.abs(f(leftB) - h(leftC)) + Swift.abs(f(rightB) - h(rightC))) / 2
            low += width * smallest
            high += width * largest
            estimate += width * Swift.min(Swift.max(ends, smallest), largest)
        }
        let edges = grid.edges
        if let minimum = c.finiteMinimum, minimum < edges[0] {
            cell(edges[0] - minimum, leftB: b0, leftC: c0, rightB: b.countBelow[0], rightC: c.countBelow[0])
        }
        for k in 0..<(g - 1) {
            cell(edges[k + 1] - edges[k], leftB: b.countAtOrBelow[k], leftC: c.countAtOrBelow[k],
                 rightB: b.countBelow[k + 1], rightC: c.countBelow[k + 1])
        }
        if let maximum = c.finiteMaximum, maximum > edges[g - 1] {
            cell(maximum - edges[g - 1], leftB: b.countAtOrBelow[g - 1], leftC: c.countAtOrBelow[g - 1],
                 rightB: b.countBelowPositiveInfinity, rightC: c.countBelowPositiveInfinity)
        }
        self.estimate = estimate
        errorBound = Swift.max(estimate - low, high - estimate)
    }
}
