extension KSGrid {
    /// The CDF of a float32 column at the grid's edges, in one pass without sorting or branching on the data: a
    /// two-level compare-and-count over the search table (≤ 1026 entries, L1-resident). Level 1 counts, for 256
    /// values at a time, the block splitters (every 32nd table entry, ≤ 33) at or below each value with the SIMD
    /// kernel of the PSI bins; level 2 counts the 32 entries of the value's block (two SIMD compares); then two
    /// counter increments. NaN or a cleared validity bit is null. Against a float64 baseline whose edges are not
    /// all floats the values are widened (exact).
    /// - Complexity: O(m log G).
    public func counts(_ values: UnsafeBufferPointer<Float>, validity: ValidityBitmap? = nil) -> KSGridCounts {
        if let edges32 = searchEdges32 {
            return edges32.withUnsafeBufferPointer { _gridCounts(values, $0, searchEntries, validity, convert: { $0 }) }
        }
        return searchEdges.withUnsafeBufferPointer { _gridCounts(values, $0, searchEntries, validity, convert: { Double($0) }) }
    }

    /// The CDF of a float64 column at the grid's edges. See the float32 overload.
    public func counts(_ values: UnsafeBufferPointer<Double>, validity: ValidityBitmap? = nil) -> KSGridCounts {
        searchEdges.withUnsafeBufferPointer { _gridCounts(values, $0, searchEntries, validity, convert: { $0 }) }
    }

    public func counts(_ values: [Float], validity: ValidityBitmap? = nil) -> KSGridCounts {
        values.withUnsafeBufferPointer { counts($0, validity: validity) }
    }

    public func counts(_ values: [Double], validity: ValidityBitmap? = nil) -> KSGridCounts {
        values.withUnsafeBufferPointer { counts($0, validity: validity) }
    }

    /// The plain scalar twin of ``counts(_:validity:)-([Float],_)``: every value classified with explicit
    /// branches and two textbook binary searches in float64; tests compare the two.
    public func scalarCounts<T: DriftFloat>(_ values: UnsafeBufferPointer<T>, validity: ValidityBitmap? = nil)
        -> KSGridCounts
    {
        let g = edges.count
        var below = [Int](repeating: 0, count: g + 1)  // below[k]: values with exactly k edges below them
        var equal = [Int](repeating: 0, count: g)
        var nulls = 0, negInf = 0, posInf = 0
        var lowest: Double? = nil, highest: Double? = nil
        for i in 0..<values.count {
            if let v = validity, !v.isValid(i) { nulls += 1; continue }
            let x = Double(values[i])
            if x.isNaN { nulls += 1; continue }
            if x == -.infinity { negInf += 1; continue }
            if x == .infinity { posInf += 1; continue }
            var lo = 0, hi = g  // first edge >= x
            while lo < hi {
                let mid = (lo + hi) / 2
                if edges[mid] < x { lo = mid + 1 } else { hi = mid }
            }
            below[lo] += 1
            if lo < g && edges[lo] == x { equal[lo] += 1 }
            if g == 0 || x < edges[0] || (x > edges[g - 1]) {
                if g == 0 || x < edges[0] { lowest = Swift.min(lowest ?? x, x) }
                if g == 0 || x > edges[g - 1] { highest = Swift.max(highest ?? x, x) }
            }
        }
        var countBelow = [Int](repeating: 0, count: g), countAtOrBelow = [Int](repeating: 0, count: g)
        var running = negInf
        for k in 0..<g {
            running += below[k]  // values with at most k edges below them are at or below edge k
            countBelow[k] = running - equal[k]
            countAtOrBelow[k] = running
        }
        let nonNull = values.count - nulls
        return KSGridCounts(countBelow: countBelow, countAtOrBelow: countAtOrBelow, count: nonNull,
                            negativeInfinityCount: negInf, positiveInfinityCount: posInf, nullCount: nulls,
                            finiteMinimum: lowest, finiteMaximum: highest)
    }
}

/// Table entries per level-2 block of the counting kernel.
let _gridBlock = 32

/// The counting kernel. `table` is the padded search table (−inf, edges…, +inf, NaN…; `entries` before the
/// padding, a multiple of ``_gridBlock`` in all): a value's slot is the number of table entries ≤ it (0 only for
/// NaN), and `equal[slot − 1]` counts it again when it equals that entry, so slot 1 holds −inf and the values
/// below the first edge, `equal[0]` the −inf values, `equal[G + 1]` the +inf values. Values outside the edges
/// (slot 1 and slot G + 1) also update the outer finite extremes (a rarely taken branch).
///
/// Slot of x: level 1 counts c₁ = #{splitters ≤ x}, splitter j being table entry 32j; the entries ≤ x are a
/// prefix of s entries, so c₁ = ⌊(s − 1)/32⌋ + 1 for s ≥ 1, the block b = max(c₁ − 1, 0) holds entry s − 1, and
/// level 2 gives s = 32b + #{entries of block b ≤ x} (NaN: c₁ = 0, s = 0). Values are widened (and invalid rows
/// replaced by NaN) into a 256-value scratch block first, so level 1 always runs on whole blocks.
@inline(__always)
func _gridCounts<T: DriftFloat, E: DriftFloat>(_ values: UnsafeBufferPointer<T>, _ table: UnsafeBufferPointer<E>,
                                               _ entries: Int, _ validity: ValidityBitmap?, convert: (T) -> E)
    -> KSGridCounts
{
    let g = entries - 2
    let n = values.count
    var lowest = E.infinity, highest = -E.infinity
    let counters = UnsafeMutablePointer<Int>.allocate(capacity: 2 * entries + 1)
    defer { counters.deallocate() }
    counters.initialize(repeating: 0, count: 2 * entries + 1)
    let slot = counters, equal = counters + entries + 1
    let t = table.baseAddress!
    let splitters = [E](unsafeUninitializedCapacity: table.count / _gridBlock) { buffer, initialized in
        for j in 0..<(table.count / _gridBlock) { buffer[j] = t[j * _gridBlock] }
        initialized = table.count / _gridBlock
    }
    let outerLow = 1, outerHigh = g + 1
    splitters.withUnsafeBufferPointer { split in
        withUnsafeTemporaryAllocation(of: E.self, capacity: _binBlock) { scratch in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: _binBlock) { level1 in
                let x = scratch.baseAddress!, c1 = level1.baseAddress!
                var start = 0
                while start < n {
                    let count = Swift.min(_binBlock, n - start)
                    if let validity {
                        for r in 0..<count { x[r] = validity.isValid(start + r) ? convert(values[start + r]) : .nan }
                    } else {
                        for r in 0..<count { x[r] = convert(values[start + r]) }
                    }
                    for r in count..<_binBlock { x[r] = .nan }
                    _ = E._blockBinIndices(UnsafeRawPointer(x), edges: split, into: c1)
                    for r in 0..<count {
                        let v = x[r]
                        let base = Swift.max(Int(c1[r]) &- 1, 0) &* _gridBlock
                        let s = base &+ E._countAtOrBelow32(UnsafeRawPointer(t + base), v)
                        slot[s] &+= 1
                        let e = Swift.max(s, 1) &- 1
                        equal[e] &+= t[e] == v ? 1 : 0
                        if s == outerLow || s == outerHigh, v.isFinite {
                            lowest = Swift.min(lowest, v)
                            highest = Swift.max(highest, v)
                        }
                    }
                    start += count
                }
            }
        }
    }
    var countBelow = [Int](repeating: 0, count: g), countAtOrBelow = [Int](repeating: 0, count: g)
    var running = 0
    for k in 0..<g {
        running &+= slot[k + 1]  // slots 1 … k + 1 are the values below edge k (table entry k + 1)
        countBelow[k] = running
        countAtOrBelow[k] = running &+ equal[k + 1]
    }
    let nulls = slot[0]
    // Outer extremes: below the first edge (slot 1) and above the last (slot G + 1); with no edges both are slot 1.
    var minimum: Double? = nil, maximum: Double? = nil
    if lowest.isFinite {
        if g == 0 || Double(lowest) < Double(t[1]) { minimum = Double(lowest) }
        if g == 0 || Double(highest) > Double(t[g]) { maximum = Double(highest) }
    }
    return KSGridCounts(countBelow: countBelow, countAtOrBelow: countAtOrBelow, count: n - nulls,
                        negativeInfinityCount: equal[0], positiveInfinityCount: equal[g + 1], nullCount: nulls,
                        finiteMinimum: minimum, finiteMaximum: maximum)
}
