extension KSStatistic {
    /// D of `current` against an indexed baseline (``IndexedSortedSample``), both float32: the same value as
    /// ``init(baseline:current:)-(SortedSample<Float>,_)`` bit for bit.
    ///
    /// When the baseline is at least ``IndexedSortedSample/indexedRatio`` times larger than the current sample, each
    /// distinct current value is located with the fence cursor and one 16-value SIMD count: one cache line of the
    /// baseline per distinct current value, O(m) work plus the fence steps (16 fences or 16 super-fences at a time);
    /// otherwise the merge of the plain overload runs.
    /// - Throws: `insufficientData` when either side has no non-null value.
    public init(baseline: IndexedSortedSample<Float>, current: SortedSample<Float>) throws(KernelError) {
        self = try _ksStatistic(baseline, current)
    }

    /// D for float64 samples. See the float32 overload.
    public init(baseline: IndexedSortedSample<Double>, current: SortedSample<Double>) throws(KernelError) {
        self = try _ksStatistic(baseline, current)
    }
}

@inline(__always)
func _ksStatistic<T: DriftFloat>(_ index: IndexedSortedSample<T>, _ current: SortedSample<T>) throws(KernelError) -> KSStatistic {
    let baseline = index.sample
    guard IndexedSortedSample<T>.prefersIndex(baselineFiniteCount: baseline.finiteCount, currentFiniteCount: current.finiteCount)
    else { return try _ksStatistic(baseline, current) }
    let n = baseline.count, m = current.count
    guard n > 0 else { throw KernelError(.insufficientData, "KS: baseline has no non-null values") }
    guard m > 0 else { throw KernelError(.insufficientData, "KS: current sample has no non-null values") }
    var ext = _KSExtremes(n: n, m: m)
    let i0 = baseline.negativeInfinityCount, j0 = current.negativeInfinityCount
    if i0 + j0 > 0 {
        ext.upper(i0, j0)
        ext.lower(i0, j0)
    }
    _ = _indexedWalk(index, current, ks: true, wasserstein: false, i0: i0, j0: j0, &ext)
    // Baseline values above the last finite current value (before any current +inf).
    ext.upper(i0 + baseline.finiteCount, j0 + current.finiteCount)
    ext.lower(n, m)
    ext.upper(n, m)
    return ext.statistic
}
