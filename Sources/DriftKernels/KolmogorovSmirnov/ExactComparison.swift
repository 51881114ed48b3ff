/// The exact KS statistic and the Wasserstein distance of a current sample against an indexed baseline, from one
/// walk: what a numeric comparison needs from the sorted samples.
///
/// Each result is bit-identical to its separate kernel (``KSStatistic/init(baseline:current:)-(IndexedSortedSample<Float>,_)``,
/// ``WassersteinDistance/compute(baseline:current:)-(IndexedSortedSample<Float>,_)``): when the indexed path applies to
/// both, the two share the locate and rank passes of the walk (half the work of two calls); otherwise each runs
/// its own kernel.
public struct ExactComparison: Sendable {
    /// D, or why it is undefined (`insufficientData` when a side has no non-null value).
    public var ks: Result<KSStatistic, KernelError>
    /// W₁, or why it is undefined (`insufficientData` when a side has no finite value).
    public var wasserstein: Result<Double, KernelError>

    public init(ks: Result<KSStatistic, KernelError>, wasserstein: Result<Double, KernelError>) {
        self.ks = ks
        self.wasserstein = wasserstein
    }

    /// Both statistics of float32 samples.
    public init(baseline: IndexedSortedSample<Float>, current: SortedSample<Float>) {
        self = _exactComparison(baseline, current)
    }

    /// Both statistics of float64 samples.
    public init(baseline: IndexedSortedSample<Double>, current: SortedSample<Double>) {
        self = _exactComparison(baseline, current)
    }

    /// Both statistics against a baseline without an index (a one-shot comparison): the baseline is indexed for
    /// this call when the sizes favour the indexed path (O(n), less than the sort that produced it), so the results
    /// are bit-identical to those against a stored index of the same values.
    public init(baseline: SortedSample<Float>, current: SortedSample<Float>) {
        self = _exactComparison(baseline, current)
    }

    /// Both statistics against a float64 baseline without an index. See the float32 overload.
    public init(baseline: SortedSample<Double>, current: SortedSample<Double>) {
        self = _exactComparison(baseline, current)
    }
}

@inline(__always)
func _exactComparison<T: DriftFloat>(_ baseline: SortedSample<T>, _ current: SortedSample<T>) -> ExactComparison {
    if IndexedSortedSample<T>.prefersIndex(baselineFiniteCount: baseline.finiteCount, currentFiniteCount: current.finiteCount) {
        return _exactComparison(IndexedSortedSample(baseline), current)
    }
    return ExactComparison(ks: Result { () throws(KernelError) in try _ksStatistic(baseline, current) },
                           wasserstein: Result { () throws(KernelError) in try _wasserstein(baseline, current) })
}

@inline(__always)
func _exactComparison<T: DriftFloat>(_ index: IndexedSortedSample<T>, _ current: SortedSample<T>) -> ExactComparison {
    let baseline = index.sample
    let n = baseline.count, m = current.count
    let ksIndexed = IndexedSortedSample<T>.prefersIndex(baselineFiniteCount: baseline.finiteCount,
                                                       currentFiniteCount: current.finiteCount)
    guard ksIndexed, n > 0, m > 0, baseline.finiteCount > 0, _indexedWassersteinApplies(index, current) else {
        return ExactComparison(ks: Result { () throws(KernelError) in try _ksStatistic(index, current) },
                               wasserstein: Result { () throws(KernelError) in try _wasserstein(index, current) })
    }
    var ext = _KSExtremes(n: n, m: m)
    let i0 = baseline.negativeInfinityCount, j0 = current.negativeInfinityCount
    if i0 + j0 > 0 {
        ext.upper(i0, j0)
        ext.lower(i0, j0)
    }
    let w = _indexedWalk(index, current, ks: true, wasserstein: true, i0: i0, j0: j0, &ext)
    ext.upper(i0 + baseline.finiteCount, j0 + current.finiteCount)
    ext.lower(n, m)
    ext.upper(n, m)
    return ExactComparison(ks: .success(ext.statistic), wasserstein: .success(w))
}
