import DriftKernels

// MARK: - Reader

struct _Reader {
    let bytes: [UInt8]
    var offset = 0
    /// The format version being read (1 has no grids and no correlation section).
    var version = 2

    var remaining: Int { bytes.count - offset }

    /// Throws unless `count × size` bytes remain (overflow-safe).
    func need(_ count: Int, times size: Int) throws(BaselineStateError) {
        guard count >= 0, count <= remaining / size else { throw .truncated(offset: offset) }
    }

    mutating func u8() throws(BaselineStateError) -> UInt8 {
        try need(1, times: 1)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) throws(BaselineStateError) -> T {
        let size = MemoryLayout<T>.size
        try need(size, times: 1)
        var v: T = 0
        for i in 0..<size { v |= T(bytes[offset + i]) << (8 * i) }
        offset += size
        return v
    }

    mutating func u16() throws(BaselineStateError) -> UInt16 { try uint(UInt16.self) }
    mutating func u32() throws(BaselineStateError) -> UInt32 { try uint(UInt32.self) }
    mutating func f64() throws(BaselineStateError) -> Double { Double(bitPattern: try uint(UInt64.self)) }

    /// A u64 count that must fit an `Int`.
    mutating func int64() throws(BaselineStateError) -> Int {
        let at = offset
        let v = try uint(UInt64.self)
        guard v <= UInt64(Int.max) else { throw .invalid("count \(v) at offset \(at) exceeds Int.max") }
        return Int(v)
    }

    mutating func string() throws(BaselineStateError) -> String {
        let length = Int(try u32())
        try need(length, times: 1)
        let slice = bytes[offset..<(offset + length)]
        guard let s = String(validating: slice, as: UTF8.self) else { throw .invalid("invalid UTF-8 at offset \(offset)") }
        offset += length
        return s
    }

    mutating func numeric(end: Int, float32: Bool) throws(BaselineStateError) -> NumericBaseline {
        let flags = try u8()
        guard flags & ~1 == 0 else { throw .invalid("unknown numeric flags \(flags)") }
        let sampled = flags & 1 != 0
        let requestedBins = Int(Int32(bitPattern: try u32()))
        let total = try int64()
        var p = ColumnProfile()
        p.count = try int64(); p.nullCount = try int64(); p.nanCount = try int64()
        p.positiveInfinityCount = try int64(); p.negativeInfinityCount = try int64()
        let hasMin = try u8(); let minimum = try f64()
        let hasMax = try u8(); let maximum = try f64()
        guard hasMin <= 1, hasMax <= 1 else { throw .invalid("bad min/max presence flag") }
        p.minimum = hasMin == 1 ? minimum : nil
        p.maximum = hasMax == 1 ? maximum : nil
        p.mean = try f64(); p.sumOfSquaredDeviations = try f64()
        let (nonNullInf, o1) = p.positiveInfinityCount.addingReportingOverflow(p.negativeInfinityCount)
        let (special, o2) = nonNullInf.addingReportingOverflow(p.nullCount)
        guard !o1, !o2, special <= p.count, p.nanCount <= p.nullCount else { throw .invalid("profile counts do not add up") }
        guard total == p.count - p.nullCount else { throw .invalid("total count \(total) disagrees with the profile") }

        let sortedNulls = try int64(), negInf = try int64(), posInf = try int64()
        let n = try int64()
        let sorted: SortedValues
        if float32 {
            let finite: [Float] = try values(n)
            sorted = .float32(SortedSample(sortedFinite: finite, negativeInfinityCount: negInf, positiveInfinityCount: posInf,
                                           nullCount: sortedNulls))
        } else {
            let finite: [Double] = try values(n)
            sorted = .float64(SortedSample(sortedFinite: finite, negativeInfinityCount: negInf, positiveInfinityCount: posInf,
                                           nullCount: sortedNulls))
        }
        let (a, o3) = negInf.addingReportingOverflow(posInf)
        let (kept, o4) = a.addingReportingOverflow(n)
        guard !o3, !o4, sortedNulls == p.nullCount else { throw .invalid("sorted sample counts do not add up") }
        if sampled {
            guard kept >= 1, kept < total, negInf <= p.negativeInfinityCount, posInf <= p.positiveInfinityCount else {
                throw .invalid("a sample must keep between 1 and total − 1 values")
            }
        } else {
            guard kept == total, negInf == p.negativeInfinityCount, posInf == p.positiveInfinityCount else {
                throw .invalid("sorted values disagree with the profile")
            }
        }

        let k = Int(try u32())
        var bins: QuantileBins? = nil
        var binCounts: BinCounts? = nil
        if k > 0 {
            try need(k, times: 8)
            var edges = [Double]()
            edges.reserveCapacity(k)
            for _ in 0..<k { edges.append(try f64()) }
            do { bins = try QuantileBins(edges: edges) } catch { throw .invalid("bins: \(error.message)") }
            let c = Int(try u32())
            guard c == k + 1 else { throw .invalid("\(c) bin counts for \(k) edges") }
            let (counts, sum) = try counts(c, of: "bin")
            let nulls = try int64()
            guard sum == total, nulls == p.nullCount else { throw .invalid("bin counts do not add up to the profile") }
            binCounts = BinCounts(counts: counts, nullCount: nulls)
        }
        let grid: KSGrid
        if version >= 2 {
            grid = try self.grid()
            let g = grid.baseline
            let describesAll = g.count == total && g.nullCount == p.nullCount
                && g.negativeInfinityCount == p.negativeInfinityCount && g.positiveInfinityCount == p.positiveInfinityCount
            let describesSample = g.count == kept && g.nullCount == sortedNulls && g.negativeInfinityCount == negInf
                && g.positiveInfinityCount == posInf
            guard describesAll || describesSample else { throw .invalid("the KS grid describes other values") }
            if !sampled && grid != sorted.grid { throw .invalid("the KS grid disagrees with the sorted values") }
        } else {
            grid = sorted.grid
        }
        guard offset <= end else { throw .invalid("numeric body overruns its length") }
        return NumericBaseline(sortedValues: sorted, requestedBins: requestedBins, bins: bins, binCounts: binCounts,
                               profile: p, sampled: sampled, totalCount: total, grid: grid)
    }

    /// The fine KS grid of a numeric body (format 2).
    mutating func grid() throws(BaselineStateError) -> KSGrid {
        let g = Int(try u32())
        guard g <= KSGrid.maximumEdgeCount else { throw .invalid("a KS grid of \(g) edges") }
        let count = try int64(), nulls = try int64(), negInf = try int64(), posInf = try int64()
        try need(g, times: 24)
        var edges = [Double]()
        edges.reserveCapacity(g)
        for _ in 0..<g { edges.append(try f64()) }
        var below = [Int](), atOrBelow = [Int]()
        below.reserveCapacity(g)
        atOrBelow.reserveCapacity(g)
        for _ in 0..<g { below.append(try int64()) }
        for _ in 0..<g { atOrBelow.append(try int64()) }
        do {
            return try KSGrid(edges: edges, countBelow: below, countAtOrBelow: atOrBelow, count: count,
                              negativeInfinityCount: negInf, positiveInfinityCount: posInf, nullCount: nulls)
        } catch {
            throw .invalid("KS grid: \(error.message)")
        }
    }

    /// The correlation section (format 2) over the decoded features.
    mutating func correlations(_ features: [(name: String, baseline: FeatureBaseline)])
        throws(BaselineStateError) -> FeatureCorrelations?
    {
        let k = Int(try u32())
        if k == 0 { return nil }
        guard k >= 2, k <= BaselineState.maxCorrelatedFeatures else {
            throw .invalid("a correlation section over \(k) features (2 … \(BaselineState.maxCorrelatedFeatures))")
        }
        var names: [String] = []
        var previous = -1
        for _ in 0..<k {
            let i = Int(try u32())
            guard i > previous, i < features.count, case .numeric = features[i].baseline else {
                throw .invalid("correlated feature index \(i) is not an ascending numeric feature")
            }
            names.append(features[i].name)
            previous = i
        }
        let pairCount = k * (k - 1) / 2
        try need(pairCount, times: 48)
        var pairs: [CoMoments] = []
        pairs.reserveCapacity(pairCount)
        for _ in 0..<pairCount {
            let count = try int64()
            let m1 = try f64(), m2 = try f64(), c11 = try f64(), c22 = try f64(), c12 = try f64()
            pairs.append(try! CoMoments(count: count, means: [m1, m2], comoments: [c11, c12, c12, c22]))
        }
        do {
            return FeatureCorrelations(features: names, moments: try PairwiseCoMoments(dimension: k, pairs: pairs))
        } catch {
            throw .invalid("correlations: \(error.message)")
        }
    }

    /// `n` little-endian float64 values (length checked before allocating), then one linear pass: finite, ascending.
    /// `n` counts (int64 each) and their sum, refusing overflow.
    mutating func counts(_ n: Int, of what: String) throws(BaselineStateError) -> ([Int], Int) {
        try need(n, times: 8)
        var counts = [Int]()
        counts.reserveCapacity(n)
        var sum = 0
        for _ in 0..<n {
            let x = try int64()
            let (s, o) = sum.addingReportingOverflow(x)
            guard !o else { throw .invalid("\(what) counts overflow") }
            sum = s
            counts.append(x)
        }
        return (counts, sum)
    }

    mutating func values(_ n: Int) throws(BaselineStateError) -> [Double] {
        let words: [UInt64] = try rawWords(n)
        let out = words.map { Double(bitPattern: UInt64(littleEndian: $0)) }
        try checkAscending(out)
        return out
    }

    /// `n` little-endian float32 values, checked as ``values(_:)-([Double])``.
    mutating func values(_ n: Int) throws(BaselineStateError) -> [Float] {
        let words: [UInt32] = try rawWords(n)
        let out = words.map { Float(bitPattern: UInt32(littleEndian: $0)) }
        try checkAscending(out)
        return out
    }

    private mutating func rawWords<W: FixedWidthInteger>(_ n: Int) throws(BaselineStateError) -> [W] {
        let size = MemoryLayout<W>.size
        try need(n, times: size)
        let start = offset
        let words = [W](unsafeUninitializedCapacity: n) { buffer, initialized in
            bytes.withUnsafeBytes { src in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: src[start..<(start + size * n)]))
            }
            initialized = n
        }
        offset += size * n
        return words
    }

    private func checkAscending<T: BinaryFloatingPoint>(_ values: [T]) throws(BaselineStateError) {
        var previous = -T.infinity
        for x in values {
            guard x.isFinite, previous <= x else { throw .invalid("sorted values are not finite and ascending") }
            previous = x
        }
    }

    mutating func categorical(end: Int) throws(BaselineStateError) -> CategoricalBaseline {
        let d = Int(try u32())
        try need(d, times: 4)
        var dictionary = [String]()
        dictionary.reserveCapacity(d)
        for _ in 0..<d { dictionary.append(try string()) }
        let c = Int(try u32())
        guard c == d else { throw .invalid("\(c) category counts for \(d) categories") }
        let (counts, sum) = try counts(c, of: "category")
        let nulls = try int64()
        guard !sum.addingReportingOverflow(nulls).overflow else { throw .invalid("category counts overflow") }
        guard offset <= end else { throw .invalid("categorical body overruns its length") }
        return CategoricalBaseline(dictionary: dictionary, counts: CategoryCounts(counts: counts, nullCount: nulls))
    }
}
