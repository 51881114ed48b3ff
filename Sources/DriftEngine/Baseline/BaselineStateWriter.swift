import DriftKernels

// MARK: - Writer

struct _Writer {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { for i in 0..<2 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        u32(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    mutating func numeric(_ n: NumericBaseline) {
        u8(n.sampled ? 1 : 0)
        u32(UInt32(bitPattern: Int32(clamping: n.requestedBins)))
        u64(UInt64(n.totalCount))
        let p = n.profile
        for c in [p.count, p.nullCount, p.nanCount, p.positiveInfinityCount, p.negativeInfinityCount] { u64(UInt64(c)) }
        u8(p.minimum == nil ? 0 : 1); f64(p.minimum ?? 0)
        u8(p.maximum == nil ? 0 : 1); f64(p.maximum ?? 0)
        f64(p.mean); f64(p.sumOfSquaredDeviations)
        let s = n.sortedValues
        u64(UInt64(s.nullCount)); u64(UInt64(s.negativeInfinityCount)); u64(UInt64(s.positiveInfinityCount))
        u64(UInt64(s.finiteCount))
        bytes.reserveCapacity(bytes.count + (s.isFloat32 ? 4 : 8) * s.finiteCount + 64)
        switch s {
        case .float64(let v):
            v.withFiniteValues { f in f.map { $0.bitPattern.littleEndian }.withUnsafeBytes { bytes.append(contentsOf: $0) } }
        case .float32(let v):
            v.withFiniteValues { f in f.map { $0.bitPattern.littleEndian }.withUnsafeBytes { bytes.append(contentsOf: $0) } }
        }
        if let bins = n.bins, let counts = n.binCounts {
            u32(UInt32(bins.edges.count))
            for e in bins.edges { f64(e) }
            u32(UInt32(counts.counts.count))
            for c in counts.counts { u64(UInt64(c)) }
            u64(UInt64(counts.nullCount))
        } else {
            u32(0)
        }
        let grid = n.grid, g = grid.baseline
        u32(UInt32(grid.edges.count))
        for c in [g.count, g.nullCount, g.negativeInfinityCount, g.positiveInfinityCount] { u64(UInt64(c)) }
        for e in grid.edges { f64(e) }
        for c in g.countBelow { u64(UInt64(c)) }
        for c in g.countAtOrBelow { u64(UInt64(c)) }
    }

    /// The correlation section: the covered features' positions, then every pair's co-moments.
    mutating func correlations(_ c: FeatureCorrelations?, indices: [Int]) {
        guard let c else { u32(0); return }
        u32(UInt32(indices.count))
        for i in indices { u32(UInt32(i)) }
        for p in c.moments.pairs {
            u64(UInt64(p.count))
            f64(p.means[0]); f64(p.means[1])
            f64(p.comoments[0]); f64(p.comoments[3]); f64(p.comoments[1])
        }
    }
}
