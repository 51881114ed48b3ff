import DriftKernels

extension FeatureBaseline {
    /// The work of comparing a current column of `currentCount` values with this baseline, on the exact and on the
    /// binned path (``ComparisonWork``). `currentCount` is the column's length; nulls only make the real work
    /// smaller, so the counts are upper bounds where nulls matter.
    public func comparisonWork(currentCount m: Int) -> ComparisonWork {
        let m = Swift.max(0, m)
        guard case .numeric(let nb) = self else {
            return ComparisonWork(currentValues: m, sortValues: 0, ksMergeSteps: 0, wassersteinSteps: 0,
                                  exactPValueRecursion: false, exactPValueCells: 0, gridEdges: 0, gridSearchSteps: 0)
        }
        let n = nb.sortedValues.count
        let nf = nb.sortedValues.finiteCount
        let ksSteps: Int, wassersteinSteps: Int
        if IndexedSortedSample<Double>.prefersIndex(baselineFiniteCount: nf, currentFiniteCount: m) {
            // the indexed walk: per distinct value a fence step and a rank block, plus a gallop over the fences when
            // a step passes more than 16 blocks (256 values); Wasserstein shares the walk and adds one step a value
            ksSteps = m * (2 + _log2Ceiling(Swift.max(1, (nf + 256 * m - 1) / (256 * m))))
            wassersteinSteps = m
        } else if n > 16 * m || m < 16 {
            // galloping per run: two searches of ≈ log₂(n/m) + 1 steps each
            ksSteps = m == 0 ? 0 : 2 * m * (_log2Ceiling(Swift.max(1, n / m)) + 1)
            wassersteinSteps = nf + m
        } else {
            ksSteps = n + m
            wassersteinSteps = nf + m
        }
        let recursion = n > 0 && m > 0 && n != m && Swift.max(n, m) <= TwoSampleKSPValue.maxAutoExactSize
        let g = nb.grid.edges.count
        return ComparisonWork(
            currentValues: m, sortValues: m, ksMergeSteps: ksSteps, wassersteinSteps: wassersteinSteps,
            exactPValueRecursion: recursion,
            exactPValueCells: recursion ? Swift.max(n, m) * (Swift.min(n, m) + 1) : 0,
            gridEdges: g, gridSearchSteps: m * _log2Ceiling(g + 2))
    }
}

/// ⌈log₂ x⌉ for x ≥ 1.
func _log2Ceiling(_ x: Int) -> Int {
    x <= 1 ? 0 : Int.bitWidth - (x - 1).leadingZeroBitCount
}
