extension WassersteinDistance {
    /// W₁ of `current` against an indexed baseline (``IndexedSortedSample``), float32.
    ///
    /// When the baseline is at least ``IndexedSortedSample/indexedRatio`` times larger than the current sample, W is
    /// integrated between consecutive distinct current values in closed form from the baseline ranks of the indexed
    /// walk, reading the index's prefix sums only where F − G changes sign (O(m) work, never all n values); it
    /// matches the merge of ``compute(baseline:current:)-(SortedSample<Float>,_)`` to ~1e-15 relative (rounding
    /// only), and the tests hold it to 1e-12. Otherwise, or when values beyond 2^940 or n·m ≥ 2^52 could overflow
    /// or round the sums, the merge runs. The decision and the arithmetic depend on the sizes and values only, so
    /// every caller with the same samples gets the same bits.
    /// - Throws: `insufficientData` when either side has no finite value.
    public static func compute(baseline: IndexedSortedSample<Float>, current: SortedSample<Float>) throws(KernelError) -> Double {
        try _wasserstein(baseline, current)
    }

    /// W₁ for float64 samples. See the float32 overload.
    public static func compute(baseline: IndexedSortedSample<Double>, current: SortedSample<Double>) throws(KernelError) -> Double {
        try _wasserstein(baseline, current)
    }
}

@inline(__always)
func _wasserstein<T: DriftFloat>(_ index: IndexedSortedSample<T>, _ current: SortedSample<T>) throws(KernelError) -> Double {
    let nf = index.sample.finiteCount, mf = current.finiteCount
    guard _indexedWassersteinApplies(index, current) else { return try _wasserstein(index.sample, current) }
    guard nf > 0 else { throw KernelError(.insufficientData, "Wasserstein: baseline has no finite values") }
    guard mf > 0 else { throw KernelError(.insufficientData, "Wasserstein: current sample has no finite values") }
    var unused = _KSExtremes(n: 1, m: 1)
    return _indexedWalk(index, current, ks: false, wasserstein: true, i0: 0, j0: 0, &unused)
}

/// The indexed Wasserstein runs when the sizes favour it and every intermediate (counts up to n·m in float64, sums of
/// n values, products of the two) stays exact in integers and far from float64 overflow.
@inline(__always)
func _indexedWassersteinApplies<T: DriftFloat>(_ index: IndexedSortedSample<T>, _ current: SortedSample<T>) -> Bool {
    let nf = index.sample.finiteCount, mf = current.finiteCount
    guard IndexedSortedSample<T>.prefersIndex(baselineFiniteCount: nf, currentFiniteCount: mf) else { return false }
    let (nm, overflow) = nf.multipliedReportingOverflow(by: mf)
    guard !overflow, nm < 1 << 52 else { return false }
    let magnitude = current.withFiniteValues { c in
        c.isEmpty ? 0 : Swift.max(Swift.abs(Double(c[0])), Swift.abs(Double(c[c.count - 1])))
    }
    // |x − y| ≤ 2 max|x|; sums of n such terms times counts ≤ n·m stay below 2^1000
    return Swift.max(magnitude, index.magnitude) < 0x1p940
}
