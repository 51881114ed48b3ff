import DriftKernels

extension SortedSample where T == Double {
    /// The same sample in float32 when every finite value is a float32 (converting back gives the same double), so
    /// comparisons against a float32 baseline can run in float32 with identical counts and values; nil otherwise.
    /// O(m).
    var exactlyNarrowed: SortedSample<Float>? {
        withFiniteValues { values -> SortedSample<Float>? in
            var narrow = [Float]()
            narrow.reserveCapacity(values.count)
            for x in values {
                let f = Float(x)
                guard Double(f) == x else { return nil }
                narrow.append(f)
            }
            return SortedSample<Float>(sortedFinite: narrow, negativeInfinityCount: negativeInfinityCount,
                                       positiveInfinityCount: positiveInfinityCount, nullCount: nullCount)
        }
    }
}
