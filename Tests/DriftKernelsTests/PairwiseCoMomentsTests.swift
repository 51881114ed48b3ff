import DriftTestSupport
import Testing

@testable import DriftKernels

/// Pairwise co-moments (each pair over its own complete rows) against the Welford twin and the textbook formula.
@Suite("Pairwise co-moments")
struct PairwiseCoMomentsTests {
    /// k correlated columns: column c = z₀ + (c + 1)/4 · z_c (seeded normals), with NaN / ±inf sprinkled into
    /// odd columns when `specials`.
    static func columns(k: Int, rows: Int, seed: UInt64, specials: Bool) -> [[Double]] {
        let base = TestData.normal(seed: seed, count: rows)
        var rng = SplitMix64(seed: seed &+ 17)
        return (0..<k).map { c in
            let own = TestData.normal(seed: seed &+ UInt64(c + 1) &* 1_000, count: rows, mean: Double(c), sd: 2)
            return (0..<rows).map { r in
                if specials && c % 2 == 1 && rng.below(20) == 0 { return [.nan, .infinity, -.infinity][rng.below(3)] }
                return base[r] * Double(c + 1) + own[r] * 0.25 * Double(c + 1)
            }
        }
    }

    static func same(_ a: CoMoments, _ b: CoMoments, _ label: String) {
        #expect(a.count == b.count, "\(label): count")
        for i in 0..<2 { #expect(close(a.means[i], b.means[i], abs: 1e-12, rel: 1e-10), "\(label): mean \(i)") }
        let scale = Swift.max(1, b.comoments[0], b.comoments[3])
        for i in 0..<4 { #expect(close(a.comoments[i], b.comoments[i], abs: 1e-10 * scale, rel: 1e-9), "\(label): co-moment \(i)") }
    }

    @Test("the chunked kernel equals the Welford twin (chunk boundaries, specials, float32, validity)",
          arguments: [0, 1, 2, 511, 512, 513, 1_025, 3_000])
    func twin(_ rows: Int) throws {
        for specials in [false, true] {
            let cols = Self.columns(k: 5, rows: rows, seed: UInt64(rows) &+ 1, specials: specials)
            let f32 = cols[2].map(Float.init)
            let bitmap = KernelTwinTests.bitmap(rows, seed: 4)
            // the twin sees float32 widened and invalid rows as NaN
            var reference = cols
            reference[2] = f32.map(Double.init)
            reference[3] = (0..<rows).map { bitmap.isValid($0) ? cols[3][$0] : .nan }
            let fast = try cols[0].withUnsafeBufferPointer { c0 in
                try cols[1].withUnsafeBufferPointer { c1 in
                    try f32.withUnsafeBufferPointer { c2 in
                        try cols[3].withUnsafeBufferPointer { c3 in
                            try cols[4].withUnsafeBufferPointer { c4 in
                                try PairwiseCoMoments(columns: [
                                    .float64(c0, validity: nil), .float64(c1, validity: nil), .float32(c2, validity: nil),
                                    .float64(c3, validity: bitmap), .float64(c4, validity: nil),
                                ])
                            }
                        }
                    }
                }
            }
            let slow = try PairwiseCoMoments.scalarReference(columns: reference)
            #expect(fast.dimension == 5 && fast.pairs.count == 10)
            for i in 0..<5 {
                for j in 0..<5 where i != j {
                    Self.same(fast.pair(i, j), slow.pair(i, j), "rows \(rows) specials \(specials) pair \(i),\(j)")
                }
            }
        }
    }

    @Test("r matches the textbook formula in float64 over the rows where both values are finite")
    func correlationFormula() throws {
        let cols = Self.columns(k: 4, rows: 20_000, seed: 8, specials: true)
        let moments = try Self.kernel(cols)
        for i in 0..<4 {
            for j in (i + 1)..<4 {
                let rows = (0..<cols[i].count).filter { cols[i][$0].isFinite && cols[j][$0].isFinite }
                let x = rows.map { cols[i][$0] }, y = rows.map { cols[j][$0] }
                let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
                var sxy = 0.0, sxx = 0.0, syy = 0.0
                for r in x.indices {
                    sxy += (x[r] - mx) * (y[r] - my)
                    sxx += (x[r] - mx) * (x[r] - mx)
                    syy += (y[r] - my) * (y[r] - my)
                }
                let r = sxy / (sxx * syy).squareRoot()
                let p = moments.pair(i, j)
                #expect(p.count == rows.count)
                #expect(close(try p.correlation(0, 1), r, abs: 1e-13, rel: 1e-12), "pair \(i),\(j)")
                #expect(try p.correlation(0, 1) > 0.5, "the generator correlates every pair")
                #expect(close(try moments.pair(j, i).correlation(0, 1), r, abs: 1e-13, rel: 1e-12))
                #expect(moments.pair(j, i).means == [p.means[1], p.means[0]])
            }
        }
    }

    @Test("co-moments of blocks merged with Chan's update equal the one-shot co-moments")
    func mergedBlocks() throws {
        let cols = Self.columns(k: 3, rows: 7_000, seed: 12, specials: true)
        let whole = try Self.kernel(cols)
        for cuts in [[0, 7_000], [0, 1, 7_000], [0, 2_500, 2_501, 6_999, 7_000], [0, 700, 1_400, 3_333, 5_000, 7_000]] {
            var merged = [CoMoments](repeating: CoMoments(dimension: 2), count: 3)
            for b in 0..<(cuts.count - 1) {
                let block = try Self.kernel(cols.map { Array($0[cuts[b]..<cuts[b + 1]]) })
                for p in 0..<3 { merged[p] = merged[p].merged(with: block.pairs[p]) }
            }
            for p in 0..<3 { Self.same(merged[p], whole.pairs[p], "cuts \(cuts) pair \(p)") }
        }
    }

    @Test("columns of different lengths are refused; stored parts are checked")
    func rejections() {
        let a = [1.0, 2, 3], b = [1.0, 2]
        #expect(throws: KernelError.self) {
            try a.withUnsafeBufferPointer { pa in
                try b.withUnsafeBufferPointer { pb in
                    try PairwiseCoMoments(columns: [.float64(pa, validity: nil), .float64(pb, validity: nil)])
                }
            }
        }
        #expect(throws: KernelError.self) {
            try a.withUnsafeBufferPointer { pa in
                try PairwiseCoMoments(columns: [.float64(pa, validity: ValidityBitmap(valid: [true])), .float64(pa, validity: nil)])
            }
        }
        #expect(throws: KernelError.self) { try PairwiseCoMoments(dimension: 3, pairs: [CoMoments(dimension: 2)]) }
        #expect(throws: KernelError.self) { try PairwiseCoMoments(dimension: 2, pairs: [CoMoments(dimension: 3)]) }
        #expect(throws: KernelError.self) { try CoMoments(count: -1, means: [0, 0], comoments: [0, 0, 0, 0]) }
        #expect(throws: KernelError.self) { try CoMoments(count: 1, means: [0, 0], comoments: [0, 0, 0]) }
        #expect(PairwiseCoMoments.pairIndex(0, 1, dimension: 32) == 0)
        #expect(PairwiseCoMoments.pairIndex(30, 31, dimension: 32) == 495)
        #expect(PairwiseCoMoments.pairIndex(1, 2, dimension: 4) == 3)
    }

    static func kernel(_ cols: [[Double]]) throws -> PairwiseCoMoments {
        func go(_ rest: ArraySlice<[Double]>, _ acc: [PairwiseCoMoments.Column]) throws -> PairwiseCoMoments {
            guard let first = rest.first else { return try PairwiseCoMoments(columns: acc) }
            return try first.withUnsafeBufferPointer { try go(rest.dropFirst(), acc + [.float64($0, validity: nil)]) }
        }
        return try go(cols[...], [])
    }
}
