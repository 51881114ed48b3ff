extension QuantileBins {
    /// Counts a float32 column into these bins (SIMD compare-and-count; binary search beyond 64 edges).
    /// - Complexity: O(n · edges) up to 64 edges, O(n log edges) beyond.
    public func histogram(_ values: UnsafeBufferPointer<Float>, validity: ValidityBitmap? = nil) -> BinCounts {
        float32Edges.withUnsafeBufferPointer { _histogram(values, $0, validity) }
    }

    /// Counts a float64 column into these bins.
    public func histogram(_ values: UnsafeBufferPointer<Double>, validity: ValidityBitmap? = nil) -> BinCounts {
        edges.withUnsafeBufferPointer { _histogram(values, $0, validity) }
    }

    public func histogram(_ values: [Double], validity: ValidityBitmap? = nil) -> BinCounts {
        values.withUnsafeBufferPointer { histogram($0, validity: validity) }
    }

    public func histogram(_ values: [Float], validity: ValidityBitmap? = nil) -> BinCounts {
        values.withUnsafeBufferPointer { histogram($0, validity: validity) }
    }

    /// The scalar twin: one ``bin(of:)`` per value.
    public func scalarHistogram<T: DriftFloat>(_ values: UnsafeBufferPointer<T>, validity: ValidityBitmap? = nil)
        -> BinCounts
    {
        var counts = [Int](repeating: 0, count: binCount)
        var nulls = 0
        for i in 0..<values.count {
            if let v = validity, !v.isValid(i) { nulls += 1; continue }
            if let b = bin(of: Double(values[i])) { counts[b] += 1 } else { nulls += 1 }
        }
        return BinCounts(counts: counts, nullCount: nulls)
    }
}

@inline(__always)
func _histogram<T: DriftFloat>(_ values: UnsafeBufferPointer<T>, _ edges: UnsafeBufferPointer<T>,
                               _ validity: ValidityBitmap?) -> BinCounts {
    let binCount = edges.count + 1
    // Four interleaved sub-histograms break the store-to-load dependency of repeated increments.
    var sub = [UInt32](repeating: 0, count: 4 * binCount)
    var nanCount = 0
    let n = values.count
    sub.withUnsafeMutableBufferPointer { h in
        guard let base = values.baseAddress else { return }
        let raw = UnsafeRawPointer(base)
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: _binBlock) { idx in
            var start = 0
            if edges.count <= 64 {
                while start + _binBlock <= n {
                    nanCount += T._blockBinIndices(raw + start * MemoryLayout<T>.stride, edges: edges,
                                                   into: idx.baseAddress!)
                    var j = 0
                    while j < _binBlock {
                        h[Int(idx[j])] &+= 1
                        h[binCount + Int(idx[j + 1])] &+= 1
                        h[2 * binCount + Int(idx[j + 2])] &+= 1
                        h[3 * binCount + Int(idx[j + 3])] &+= 1
                        j += 4
                    }
                    start += _binBlock
                }
            }
            // The tail, and every value when there are many edges: branchless binary search.
            while start < n {
                let x = values[start]
                if x.isNaN { nanCount += 1; h[0] &+= 1 } else { h[_upperBound(edges, x)] &+= 1 }
                start += 1
            }
        }
    }
    var counts = [Int](repeating: 0, count: binCount)
    for b in 0..<binCount {
        counts[b] = Int(sub[b]) + Int(sub[binCount + b]) + Int(sub[2 * binCount + b]) + Int(sub[3 * binCount + b])
    }
    // NaN compares false with every edge, so it was counted in bin 0: move it to nulls.
    counts[0] -= nanCount
    var nulls = nanCount
    if let validity {
        // Invalid rows were binned by whatever value they hold: take them back out.
        for i in 0..<n where !validity.isValid(i) {
            let x = values[i]
            if x.isNaN { continue }  // already a null
            counts[_upperBound(edges, x)] -= 1
            nulls += 1
        }
    }
    return BinCounts(counts: counts, nullCount: nulls)
}

/// Number of elements of the sorted `edges` that are `<= x` (branchless binary search).
@inline(__always)
func _upperBound<T: Comparable>(_ edges: UnsafeBufferPointer<T>, _ x: T) -> Int {
    var n = edges.count
    if n == 0 { return 0 }
    var base = 0
    while n > 1 {
        let half = n >> 1
        base = edges[base + half] <= x ? base + half : base
        n -= half
    }
    return base + (edges[base] <= x ? 1 : 0)
}
