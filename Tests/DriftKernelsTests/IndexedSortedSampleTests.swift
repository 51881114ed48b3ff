import DriftTestSupport
import Testing

@testable import DriftKernels

/// The indexed baseline (fences + blocked double-double prefix sums) against the plain merges it replaces for
/// n ≫ m: KS D bit for bit, Wasserstein to 1e-12 relative, on seeded data with ties, ±inf, nulls, shifts, a far-off
/// mean, and at the block boundaries of the index.
@Suite("Indexed baseline: exact KS and Wasserstein against fences and prefix sums")
struct IndexedSortedSampleTests {
    /// (n, m): ratios on both sides of `indexedRatio`, block boundaries (15, 16, 17, 31, 32, 33), m = 1, n ≤ m.
    static let sizes: [(Int, Int)] = [
        (1, 1), (15, 1), (16, 1), (17, 1), (16, 2), (31, 3), (32, 4), (33, 4), (100, 1), (1000, 1), (1000, 2),
        (1000, 100), (1000, 250), (1000, 251), (5000, 625), (20_000, 300), (70_000, 50), (300_000, 3), (100_000, 1000),
        (200_000, 10_000), (100, 100), (300, 1000), (1, 50), (1000, 999),
    ]

    enum Shape: CaseIterable, Sendable {
        case same, shifted, wider, ties, coarseTies, specials, farMean, above, below, constantBaseline, subsample
    }

    static func data(_ n: Int, _ m: Int, _ shape: Shape, seed: UInt64) -> (base: [Double], cur: [Double]) {
        var b = TestData.normal(seed: seed, count: n)
        var c = TestData.normal(seed: seed &+ 7, count: m)
        switch shape {
        case .same: break
        case .shifted: c = c.map { $0 + 0.3 }
        case .wider: c = c.map { $0 * 2.5 - 0.1 }
        case .ties:
            b = b.map { ($0 * 4).rounded() / 4 }
            c = c.map { ($0 * 4).rounded() / 4 + 0.25 }
        case .coarseTies:  // long tie runs across many blocks
            b = b.map { $0.rounded() }
            c = c.map { $0.rounded() }
        case .specials:
            var rng = SplitMix64(seed: seed &+ 3)
            let pick: [Double] = [.nan, .infinity, -.infinity, -0.0, 0.0]
            for i in b.indices where rng.below(20) == 0 { b[i] = pick[rng.below(pick.count)] }
            for i in c.indices where rng.below(20) == 0 { c[i] = pick[rng.below(pick.count)] }
        case .farMean:  // |mean| ≫ σ: the prefix sums are centred on the median, not on 0
            b = b.map { 1e6 + $0 }
            c = c.map { 1e6 + $0 * 1.01 + 0.001 }
        case .above: c = c.map { $0 + 50 }
        case .below: c = c.map { $0 - 50 }
        case .constantBaseline: b = [Double](repeating: 1.5, count: n)
        case .subsample:  // the current values are baseline values far from 0, nudged: W ≪ σ, F − G changes sign often
            var rng = SplitMix64(seed: seed &+ 5)
            b = b.map { 1e7 + $0 }
            c = (0..<m).map { _ in b[rng.below(n)] + (rng.uniform() - 0.5) * 1e-6 }
        }
        return (b, c)
    }

    @Test("KS D through the index is bit-identical to the merge and to the scalar reference",
          arguments: Shape.allCases)
    func ksMatches(_ shape: Shape) throws {
        for (i, (n, m)) in Self.sizes.enumerated() {
            let (b, c) = Self.data(n, m, shape, seed: UInt64(i) &* 31 &+ 5)
            try checkKS(b, c, "\(shape) n=\(n) m=\(m) f64")
            try checkKS(b.map(Float.init), c.map(Float.init), "\(shape) n=\(n) m=\(m) f32")
        }
    }

    private func checkKS<T: DriftFloat>(_ b: [T], _ c: [T], _ label: String) throws {
        let sb = SortedSample<T>._make(b), sc = SortedSample<T>._make(c)
        let index = IndexedSortedSample(sb)
        guard sb.count > 0, sc.count > 0 else {
            #expect(throws: KernelError.self) { try index._statistic(sc) }
            return
        }
        let plain = try sb._statistic(sc), indexed = try index._statistic(sc)
        #expect(indexed == plain, "\(label)")
        if b.count + c.count <= 20_000 {
            #expect(indexed.d == KSStatistic.scalarReference(baseline: b, current: c), "\(label) vs scalar reference")
        }
        // the indexed walk itself, whatever the size ratio
        var ext = _KSExtremes(n: sb.count, m: sc.count)
        let i0 = sb.negativeInfinityCount, j0 = sc.negativeInfinityCount
        if i0 + j0 > 0 { ext.upper(i0, j0); ext.lower(i0, j0) }
        _ = _indexedWalk(index, sc, ks: true, wasserstein: false, i0: i0, j0: j0, &ext)
        ext.upper(i0 + sb.finiteCount, j0 + sc.finiteCount)
        ext.lower(sb.count, sc.count)
        ext.upper(sb.count, sc.count)
        #expect(ext.statistic == plain, "\(label): forced indexed walk")
    }

    @Test("Wasserstein through the index matches the merge to 1e-12 relative", arguments: Shape.allCases)
    func wassersteinMatches(_ shape: Shape) throws {
        for (i, (n, m)) in Self.sizes.enumerated() {
            let (b, c) = Self.data(n, m, shape, seed: UInt64(i) &* 17 &+ 2)
            try checkW(b, c, "\(shape) n=\(n) m=\(m) f64")
            try checkW(b.map(Float.init), c.map(Float.init), "\(shape) n=\(n) m=\(m) f32")
        }
    }

    private func checkW<T: DriftFloat>(_ b: [T], _ c: [T], _ label: String) throws {
        let sb = SortedSample<T>._make(b), sc = SortedSample<T>._make(c)
        let index = IndexedSortedSample(sb)
        guard sb.finiteCount > 0, sc.finiteCount > 0 else {
            #expect(throws: KernelError.self) { try index._wasserstein(sc) }
            return
        }
        let walk = try sb._wasserstein(sc)
        let indexed = try index._wasserstein(sc)
        #expect(close(indexed, walk, rel: 1e-12), "\(label): \(indexed) vs walk \(walk)")
        // and against the walk summed without rounding error: the indexed integral is accurate to a few ulps
        let exact = Self.compensatedWasserstein(sb, sc)
        #expect(close(indexed, exact, rel: 1e-14), "\(label): \(indexed) vs compensated \(exact)")
        if !IndexedSortedSample<T>.prefersIndex(baselineFiniteCount: sb.finiteCount, currentFiniteCount: sc.finiteCount) {
            #expect(indexed == walk, "\(label): the merge runs below the ratio")
        }
        // the indexed integral itself, whatever the size ratio (n ≤ m included)
        var unused = _KSExtremes(n: 1, m: 1)
        let forced = _indexedWalk(index, sc, ks: false, wasserstein: true, i0: 0, j0: 0, &unused)
        #expect(close(forced, walk, rel: 1e-12), "\(label): forced indexed \(forced) vs walk \(walk)")
    }

    @Test("ExactComparison gives the separate kernels' bits, fused or not, indexed or one-shot", arguments: Shape.allCases)
    func exactComparison(_ shape: Shape) throws {
        for (i, (n, m)) in Self.sizes.enumerated() {
            let (b, c) = Self.data(n, m, shape, seed: UInt64(i) &* 7 &+ 1)
            for (sb, sc) in [(SortedSample(b), SortedSample(c))] {
                let index = IndexedSortedSample(sb)
                for both in [ExactComparison(baseline: index, current: sc), ExactComparison(baseline: sb, current: sc)] {
                    #expect((try? both.ks.get()) == (try? KSStatistic(baseline: index, current: sc)), "\(shape) n=\(n) m=\(m)")
                    #expect((try? both.wasserstein.get()) == (try? WassersteinDistance.compute(baseline: index, current: sc)),
                            "\(shape) n=\(n) m=\(m)")
                    if case .failure(let e) = both.ks { #expect(e.code == .insufficientData) }
                    if case .failure(let e) = both.wasserstein { #expect(e.code == .insufficientData) }
                }
            }
            let sb = SortedSample(b.map(Float.init)), sc = SortedSample(c.map(Float.init))
            let index = IndexedSortedSample(sb)
            for both in [ExactComparison(baseline: index, current: sc), ExactComparison(baseline: sb, current: sc)] {
                #expect((try? both.ks.get()) == (try? KSStatistic(baseline: index, current: sc)))
                #expect((try? both.wasserstein.get()) == (try? WassersteinDistance.compute(baseline: index, current: sc)))
            }
        }
    }

    /// The merge of `_wasserstein` with every term and sum kept exactly (TwoSum, FMA two-product): W to ~1 ulp, where
    /// the plain merge drifts by up to n·ε (a constant baseline of 300 000 values: 9e-13).
    static func compensatedWasserstein<T: DriftFloat>(_ baseline: SortedSample<T>, _ current: SortedSample<T>) -> Double {
        let a = baseline.withFiniteValues { Array($0) }, b = current.withFiniteValues { Array($0) }
        let n = a.count, m = b.count
        var high = 0.0, low = 0.0
        func add(_ x: Double) { let (s, e) = _twoSum(high, x); high = s; low += e }
        var i = 0, j = 0, u = 0
        while i < n && j < m {
            let ua = (i + 1) * m, ub = (j + 1) * n, next = Swift.min(ua, ub)
            var (d, de) = _twoSum(Double(a[i]), -Double(b[j]))  // a − b = d + de exactly
            if d < 0 || (d == 0 && de < 0) { (d, de) = (-d, -de) }
            let len = Double(next - u)  // an exact integer
            let p = d * len
            add(p)
            add((-p).addingProduct(d, len))  // the product's rounding error, exactly (FMA)
            add(de * len)
            u = next
            if ua <= ub { i += 1 }
            if ub <= ua { j += 1 }
        }
        return (high + low) / (Double(n) * Double(m))
    }

    @Test("identical distributions give W = 0 exactly (baseline = each current value repeated)")
    func zeroDistance() throws {
        let c = TestData.normal(seed: 4, count: 300)
        let b = c.flatMap { [$0, $0, $0, $0, $0, $0, $0, $0, $0, $0] }
        for (bb, cc) in [(b, c)] {
            let index = IndexedSortedSample(SortedSample(bb))
            #expect(try WassersteinDistance.compute(baseline: index, current: SortedSample(cc)) == 0)
            #expect(try KSStatistic(baseline: index, current: SortedSample(cc)).d == 0)
            let index32 = IndexedSortedSample(SortedSample(bb.map(Float.init)))
            #expect(try WassersteinDistance.compute(baseline: index32, current: SortedSample(cc.map(Float.init))) == 0)
        }
    }

    @Test("values near the float64 limit take the merge (the same result as the plain kernel)")
    func hugeValues() throws {
        let b = (0..<2000).map { Double($0 % 7) * 1e300 - 3e300 }
        let c = [1e300, -2e300, 5e299]
        let index = IndexedSortedSample(SortedSample(b))
        let plain = try WassersteinDistance.compute(baseline: SortedSample(b), current: SortedSample(c))
        #expect(try WassersteinDistance.compute(baseline: index, current: SortedSample(c)) == plain)
        #expect(try KSStatistic(baseline: index, current: SortedSample(c)) ==
                KSStatistic(baseline: SortedSample(b), current: SortedSample(c)))
    }

    @Test("fences, super-fences and prefix sums at every block start; memory is as documented",
          arguments: [0, 1, 15, 16, 17, 100, 4099])
    func structure(_ n: Int) {
        let values = TestData.normal(seed: UInt64(n) &+ 1, count: n).map { 1000 + $0 }
        let sample = SortedSample(values)
        let index = IndexedSortedSample(sample)
        let sorted = sample.withFiniteValues { Array($0) }
        let blocks = (n + 15) / 16
        #expect(index.fences.count == blocks + 16)
        #expect(index.prefix.count == 2 * blocks + 2)
        #expect(index.pivot == (n == 0 ? 0 : sorted[n / 2]))
        for b in 0..<blocks { #expect(index.fences[b] == sorted[16 * b]) }
        for b in 0...blocks {
            // reference: float64 differences of doubles near 1000 summed with compensation
            var high = 0.0, low = 0.0
            for x in sorted[0..<Swift.min(16 * b, n)] { let (s, e) = _twoSum(high, x - index.pivot); high = s; low += e }
            #expect(close(index.prefix[2 * b] + index.prefix[2 * b + 1], high + low, abs: 1e-9, rel: 1e-15), "block \(b)")
        }
        #expect(index.fences.suffix(16).allSatisfy { $0 == .infinity })
        let supers = (blocks + 15) / 16
        #expect(index.superFences.count == supers + 16)
        for t in 0..<supers { #expect(index.superFences[t] == index.fences[16 * t]) }
        #expect(index.superFences.suffix(16).allSatisfy { $0 == .infinity })
        #expect(index.memoryOverheadBytes == (blocks + supers + 32) * 8 + (2 * blocks + 2) * 8)
        let f32 = IndexedSortedSample(SortedSample(values.map(Float.init)))
        #expect(f32.memoryOverheadBytes == (blocks + supers + 32) * 4 + (2 * blocks + 2) * 8)
    }

    @Test("the size ratio decides the path")
    func ratio() {
        #expect(IndexedSortedSample<Float>.prefersIndex(baselineFiniteCount: 1_000_000, currentFiniteCount: 10_000))
        #expect(IndexedSortedSample<Float>.prefersIndex(baselineFiniteCount: 4, currentFiniteCount: 1))
        #expect(!IndexedSortedSample<Float>.prefersIndex(baselineFiniteCount: 3, currentFiniteCount: 1))
        #expect(IndexedSortedSample<Float>.prefersIndex(baselineFiniteCount: 1000, currentFiniteCount: 250))
        #expect(!IndexedSortedSample<Float>.prefersIndex(baselineFiniteCount: 1000, currentFiniteCount: 251))
        #expect(!IndexedSortedSample<Float>.prefersIndex(baselineFiniteCount: 1_000_000, currentFiniteCount: 1_000_000))
        #expect(!IndexedSortedSample<Double>.prefersIndex(baselineFiniteCount: 1_000, currentFiniteCount: 0))
    }
}

/// The four rank-block kernels against plain loops, at every count and offset, with ties and the +inf padding.
@Suite("Rank-block SIMD kernels agree with their scalar twins")
struct RankBlockKernelTests {
    @Test("float32 and float64 rank blocks")
    func twins() {
        let values = TestData.normal(seed: 12, count: 40).map { ($0 * 4).rounded() / 4 }.sorted()
        check(values + [Double](repeating: .infinity, count: 16))
        check(values.map(Float.init) + [Float](repeating: .infinity, count: 16))
    }

    private func check<T: DriftFloat>(_ padded: [T]) {
        padded.withUnsafeBufferPointer { buf in
            let p = buf.baseAddress!
            for offset in 0...(padded.count - 16) {
                let block = Array(buf[offset..<(offset + 16)])
                let probes = block.filter(\.isFinite).flatMap { [$0, $0.nextUp, $0.nextDown] } + [T(-100), T(100)]
                for x in probes {
                    #expect(T._rankBlockCount(p + offset, below: x) == block.filter { $0 < x }.count)
                    #expect(T._rankBlockCount(p + offset, atOrBelow: x) == block.filter { $0 <= x }.count)
                    let (below, atOrBelow) = T._rankBlockCounts(p + offset, x)
                    #expect(below == block.filter { $0 < x }.count && atOrBelow == block.filter { $0 <= x }.count)
                }
                for count in 0...16 where block[..<count].allSatisfy(\.isFinite) {
                    let expected = block[..<count].reduce(0.0) { $0 + (Double($1) - 0.25) }
                    #expect(close(T._rankBlockPrefixSum(p + offset, count: count, pivot: 0.25), expected, abs: 1e-13, rel: 1e-14))
                }
            }
        }
    }
}

// Generic bridges (the public API is concrete per type).
extension IndexedSortedSample {
    func _statistic(_ other: SortedSample<T>) throws -> KSStatistic {
        if let a = self as? IndexedSortedSample<Float> { return try KSStatistic(baseline: a, current: other as! SortedSample<Float>) }
        return try KSStatistic(baseline: self as! IndexedSortedSample<Double>, current: other as! SortedSample<Double>)
    }

    func _wasserstein(_ other: SortedSample<T>) throws -> Double {
        if let a = self as? IndexedSortedSample<Float> {
            return try WassersteinDistance.compute(baseline: a, current: other as! SortedSample<Float>)
        }
        return try WassersteinDistance.compute(baseline: self as! IndexedSortedSample<Double>, current: other as! SortedSample<Double>)
    }
}
