import DriftTestSupport
import Testing

@testable import DriftKernels

/// Every SIMD or fast kernel against its plain scalar twin, on seeded data, at the lengths where blocking and
/// tails change (0, 1, block − 1, block, block + 1, …), with NaN, ±inf, −0 and validity bitmaps.
@Suite("SIMD kernels agree with their scalar twins")
struct KernelTwinTests {
    static let lengths = [0, 1, 2, 15, 16, 17, 255, 256, 257, 383, 384, 385, 1023, 1024, 1025, 4099]

    static func column(_ n: Int, seed: UInt64, specials: Bool) -> [Double] {
        var rng = SplitMix64(seed: seed)
        var v = TestData.normal(seed: seed, count: n)
        if specials {
            for i in 0..<n where rng.next() % 50 == 0 {
                v[i] = [.nan, .infinity, -.infinity, -0.0, 0.0, 0x1p-1030 /* subnormal */][Int(rng.next() % 6)]
            }
        }
        return v
    }

    static func bitmap(_ n: Int, seed: UInt64) -> ValidityBitmap {
        var rng = SplitMix64(seed: seed)
        return ValidityBitmap(valid: (0..<n).map { _ in rng.next() % 13 != 0 })
    }

    @Test("profile", arguments: lengths)
    func profile(_ n: Int) {
        for specials in [false, true] {
            for bitmap in [nil, Self.bitmap(n, seed: 9)] {
                let d = Self.column(n, seed: UInt64(n), specials: specials)
                let f = d.map(Float.init)
                let pairs: [(ColumnProfile, ColumnProfile, Double)] = [
                    (ColumnProfile(d, validity: bitmap), d.withUnsafeBufferPointer { ColumnProfile.scalarReference($0, validity: bitmap) }, 1e-12),
                    (ColumnProfile(f, validity: bitmap), f.withUnsafeBufferPointer { ColumnProfile.scalarReference($0, validity: bitmap) }, 1e-6),
                ]
                for (fast, slow, tol) in pairs {
                    #expect(fast.count == slow.count && fast.nullCount == slow.nullCount && fast.nanCount == slow.nanCount)
                    #expect(fast.positiveInfinityCount == slow.positiveInfinityCount)
                    #expect(fast.negativeInfinityCount == slow.negativeInfinityCount)
                    #expect(fast.minimum == slow.minimum && fast.maximum == slow.maximum)
                    #expect(close(fast.mean, slow.mean, abs: tol, rel: tol))
                    #expect(close(fast.sumOfSquaredDeviations, slow.sumOfSquaredDeviations, abs: tol, rel: tol * 10))
                }
            }
        }
    }

    @Test("profiles merge to the profile of the union")
    func merge() {
        let d = Self.column(5000, seed: 3, specials: true)
        let whole = ColumnProfile(d)
        for cut in [0, 1, 1000, 2500, 4999, 5000] {
            let merged = ColumnProfile(Array(d[..<cut])).merged(with: ColumnProfile(Array(d[cut...])))
            #expect(merged.count == whole.count && merged.nullCount == whole.nullCount)
            #expect(merged.minimum == whole.minimum && merged.maximum == whole.maximum)
            #expect(close(merged.mean, whole.mean, abs: 1e-13, rel: 1e-12))
            #expect(close(merged.sumOfSquaredDeviations, whole.sumOfSquaredDeviations, rel: 1e-11))
        }
    }

    @Test("binning", arguments: lengths)
    func binning(_ n: Int) throws {
        let base = Self.column(3000, seed: 77, specials: false)
        for bins in [1, 10, 63, 64, 200] {
            let frozen = try SortedSample(base).withFiniteValues { try QuantileBins(sortedBaseline: $0, bins: bins) }
            for bitmap in [nil, Self.bitmap(n, seed: 5)] {
                let d = Self.column(n, seed: UInt64(n) &+ 11, specials: true)
                let f = d.map(Float.init)
                #expect(frozen.histogram(d, validity: bitmap) ==
                        d.withUnsafeBufferPointer { frozen.scalarHistogram($0, validity: bitmap) })
                #expect(frozen.histogram(f, validity: bitmap) ==
                        f.withUnsafeBufferPointer { frozen.scalarHistogram($0, validity: bitmap) })
                let counts = frozen.histogram(d, validity: bitmap)
                #expect(counts.nonNullCount + counts.nullCount == n)
            }
        }
    }

    @Test("float32 edges bin exactly like the float64 edges")
    func float32Edges() throws {
        let base = Self.column(2000, seed: 1, specials: false)
        let frozen = try SortedSample(base).withFiniteValues { try QuantileBins(sortedBaseline: $0, bins: 20) }
        var rng = SplitMix64(seed: 4)
        // Values right at and around every edge.
        var probes: [Float] = []
        for e in frozen.edges {
            let f = Float(e)
            probes += [f.nextDown, f, f.nextUp, f.nextUp.nextUp]
        }
        probes += (0..<1000).map { _ in Float(rng.uniform() * 8 - 4) }
        let fast = frozen.histogram(probes)
        var expected = [Int](repeating: 0, count: frozen.binCount)
        for p in probes { expected[frozen.bin(of: Double(p))!] += 1 }
        #expect(fast.counts == expected)
    }

    @Test("radix sort equals the standard library's sort", arguments: lengths + [70_000])
    func radix(_ n: Int) {
        let d = Self.column(n, seed: UInt64(n) &* 3, specials: true).filter { !$0.isNaN }
        var dd = d
        RadixSort.sort(&dd)
        #expect(dd == d.sorted())  // numeric equality: −0 and +0 are ties in either order
        var ff = d.map(Float.init)
        RadixSort.sort(&ff)
        #expect(ff == d.map(Float.init).sorted())
        // Sorted samples drop nulls, separate infinities and fold −0.
        let s = SortedSample(d.map(Float.init))
        #expect(s.count == d.count)
        s.withFiniteValues { v in
            #expect(Array(v) == d.filter(\.isFinite).map { Float($0) + 0 }.sorted())
            #expect(!v.contains { $0 == 0 && $0.sign == .minus })
        }
    }

    @Test("radix sort skips constant digits (small-range and constant data)")
    func radixConstantDigits() {
        var same = [Double](repeating: 3.25, count: 5000)
        RadixSort.sort(&same)
        #expect(same.allSatisfy { $0 == 3.25 })
        var narrow = (0..<5000).map { 1.0 + Double($0 % 97) * 0x1p-40 }
        let expected = narrow.sorted()
        RadixSort.sort(&narrow)
        #expect(narrow == expected)
    }

    @Test("KS D: interleaved, galloping and scalar paths agree", arguments: [
        (1000, 1000), (5000, 4000), (20_000, 300), (300, 20_000), (64, 64), (33, 10_000), (10_000, 33), (7, 3),
    ])
    func ksPaths(_ sizes: (Int, Int)) throws {
        for ties in [false, true] {
            for shift in [0.0, 0.1, 2.0] {
                var b = TestData.normal(seed: UInt64(sizes.0), count: sizes.0)
                var c = TestData.normal(seed: UInt64(sizes.1) &+ 99, count: sizes.1, mean: shift)
                if ties {
                    b = b.map { ($0 * 4).rounded() / 4 }
                    c = c.map { ($0 * 4).rounded() / 4 }
                }
                let fast = try KSStatistic(baseline: SortedSample(b), current: SortedSample(c))
                #expect(fast.d == KSStatistic.scalarReference(baseline: b, current: c))
                let fast32 = try KSStatistic(baseline: SortedSample(b.map(Float.init)), current: SortedSample(c.map(Float.init)))
                #expect(fast32.d == KSStatistic.scalarReference(baseline: b.map(Float.init), current: c.map(Float.init)))
                #expect(fast.n == sizes.0 && fast.m == sizes.1)
                #expect(Swift.max(fast.dPlus, fast.dMinus) == fast.d)
            }
        }
    }

    @Test("KS D is symmetric in direction and 0 for identical samples")
    func ksSymmetry() throws {
        let b = TestData.normal(seed: 1, count: 3000), c = TestData.normal(seed: 2, count: 2000, mean: 0.3)
        let ab = try KSStatistic(baseline: SortedSample(b), current: SortedSample(c))
        let ba = try KSStatistic(baseline: SortedSample(c), current: SortedSample(b))
        #expect(ab.d == ba.d || close(ab.d, ba.d, rel: 1e-15))
        #expect(ab.dPlus > ab.dMinus)  // current shifted up: baseline CDF above
        #expect(try KSStatistic(baseline: SortedSample(b), current: SortedSample(b)).d == 0)
    }

    @Test("Wasserstein equals the mean shift for a pure location shift")
    func wassersteinShift() throws {
        let b = TestData.normal(seed: 8, count: 4000)
        let w = try WassersteinDistance.compute(baseline: SortedSample(b), current: SortedSample(b.map { $0 + 0.5 }))
        #expect(close(w, 0.5, rel: 1e-12))
    }
}

@Suite("Profile at the edges of the float range")
struct ProfileOverflowTests {
    @Test("huge values: finite mean, infinite variance, never NaN (SIMD and scalar paths)")
    func huge() {
        for n in [3, 64, 2048] {
            let d = (0..<n).map { $0 % 2 == 0 ? 1.7e308 : -1.7e308 }
            for p in [ColumnProfile(d), d.withUnsafeBufferPointer { ColumnProfile.scalarReference($0) }] {
                #expect(p.mean.isFinite)
                #expect(p.populationVariance == .infinity)
            }
            let f = (0..<n).map { $0 % 2 == 0 ? Float(3e38) : Float(-3e38) }
            let pf = ColumnProfile(f)
            #expect(pf.mean.isFinite && pf.populationVariance!.isFinite && !pf.populationVariance!.isNaN)
            #expect(pf.minimum == Double(Float(-3e38)) && pf.maximum == Double(Float(3e38)))
        }
    }
}
