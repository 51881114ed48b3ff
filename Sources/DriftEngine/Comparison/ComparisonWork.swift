/// How much work comparing a current column with a stored baseline takes, in counts of the dominant operations
/// (no timing): the input of the server's latency estimator, which multiplies each count by a per-operation cost
/// it measures on its own machine. From ``FeatureBaseline/comparisonWork(currentCount:)``.
///
/// Both numeric paths also profile the current column and count it into the frozen PSI bins (`currentValues`
/// values, one pass each); categorical comparisons are that counting pass only.
public struct ComparisonWork: Sendable, Equatable {
    /// m: values of the current column (each path reads them for the profile and the PSI bins).
    public var currentValues: Int

    // MARK: Exact path (FeatureComparison.numeric)

    /// Values the exact path sorts (LSD radix: a few linear passes each).
    public var sortValues: Int
    /// Baseline-cursor steps of the exact KS walk: against a baseline at least
    /// ``IndexedSortedSample/indexedRatio`` times larger than the column the indexed walk, m·(2 + ⌈log₂⌈n/(256 m)⌉⌉)
    /// (a fence step and a rank block per value, plus a fence gallop for very large ratios); otherwise n + m when the
    /// sizes are alike, ≈ 2·m·(log₂(n/m) + 1) when the baseline is more than 16 times larger (galloping).
    public var ksMergeSteps: Int
    /// Steps of the exact Wasserstein: m on the indexed walk (it shares the KS walk's ranks), else the merge over
    /// both sorted samples (n + m).
    public var wassersteinSteps: Int
    /// Whether the exact p-value recursion runs under `ks_2samp` 'auto' semantics: max(n, m) ≤
    /// `TwoSampleKSPValue.maxAutoExactSize` and n ≠ m (equal sizes have a closed form).
    public var exactPValueRecursion: Bool
    /// Upper bound on the cell updates of that recursion: max(n, m)·(min(n, m) + 1) (the band and its pruning
    /// usually cut this by a large factor); 0 when it does not run.
    public var exactPValueCells: Int

    // MARK: Binned path (FeatureComparison.numericApproximate)

    /// Edges of the baseline's KS grid (the O(G) part after the counting pass).
    public var gridEdges: Int
    /// Steps of the binned path's branchless binary searches: m·⌈log₂(G + 2)⌉.
    public var gridSearchSteps: Int

    public init(currentValues: Int, sortValues: Int, ksMergeSteps: Int, wassersteinSteps: Int,
                exactPValueRecursion: Bool, exactPValueCells: Int, gridEdges: Int, gridSearchSteps: Int) {
        self.currentValues = currentValues
        self.sortValues = sortValues
        self.ksMergeSteps = ksMergeSteps
        self.wassersteinSteps = wassersteinSteps
        self.exactPValueRecursion = exactPValueRecursion
        self.exactPValueCells = exactPValueCells
        self.gridEdges = gridEdges
        self.gridSearchSteps = gridSearchSteps
    }
}
