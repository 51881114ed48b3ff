import DriftKernels
import DriftTestSupport
import Testing

@testable import DriftEngine

@Suite("Baseline state: sampling, comparison equivalence, binary format")
struct BaselineStateTests {
    // MARK: - Data

    /// Seeded values with ties, nulls (NaN), ±inf and subnormals sprinkled in.
    static func messy(seed: UInt64, count: Int, shift: Double = 0) -> [Double] {
        var rng = SplitMix64(seed: seed &+ 1000)
        return TestData.irwinHall(seed: seed, count: count, shift: shift, ties: seed % 2 == 0).map { x in
            switch rng.below(50) {
            case 0: return .nan
            case 1: return .infinity
            case 2: return -.infinity
            case 3: return .leastNonzeroMagnitude * Double(rng.below(5) + 1)
            default: return x
            }
        }
    }

    static func smallState() -> BaselineState {
        BaselineState(features: [
            ("x", FeatureBaseline.numeric(values: [3, -.infinity, 1, .nan, 2, 2, .infinity, .leastNonzeroMagnitude, -Double.leastNonzeroMagnitude] as [Double],
                                          bins: 3, seed: 1)),
            ("c", try! FeatureBaseline.categorical(codes: [0, 1, 1, CategoryCounts.nullCode, 2], dictionary: ["a", "é", ""])),
            ("y", FeatureBaseline.numeric(values: [0.5, .infinity, .nan, -1, Float.leastNonzeroMagnitude] as [Float],
                                          bins: 2, seed: 1)),
        ])
    }

    // MARK: - Round trip

    @Test("encode → decode is bit-exact (±inf counts, subnormals, nulls, sampled, all-null, unicode)")
    func roundTrip() throws {
        let state = BaselineState(features: [
            ("messy", .numeric(values: Self.messy(seed: 1, count: 3_000), bins: 10, seed: 7)),
            ("sampled", .numeric(values: Self.messy(seed: 2, count: 2_000), bins: 20, cap: 500, seed: 9)),
            ("all null", .numeric(values: [.nan, .nan] as [Double], bins: 10, seed: 1)),
            ("empty", .numeric(values: [Double](), bins: 10, seed: 1)),
            ("only inf", .numeric(values: [.infinity, -.infinity, .infinity] as [Double], bins: 10, seed: 1)),
            ("bad bins", .numeric(values: [1, 2, 3] as [Double], bins: 0, seed: 1)),
            ("f32", .numeric(values: Self.messy(seed: 3, count: 1_500).map(Float.init), bins: 10, seed: 3)),
            ("f32 sampled", .numeric(values: Self.messy(seed: 4, count: 1_500).map(Float.init), bins: 10, cap: 300, seed: 3)),
            ("f32 subnormal", .numeric(values: [Float.leastNonzeroMagnitude, -.infinity, 1, .nan] as [Float], bins: 2, seed: 1)),
            ("subnormal", .numeric(values: [Double.leastNonzeroMagnitude, 0x1p-1060, -0x1p-1070, 0] as [Double], bins: 4, seed: 1)),
            ("grüße ✓", try FeatureBaseline.categorical(codes: [0, 2, 2, 5, CategoryCounts.nullCode],
                                                        dictionary: ["a", "b", "ç", "", "日本", "z"])),
        ])
        let bytes = state.encode()
        #expect(Array(bytes.prefix(4)) == Array("DBS2".utf8))
        let decoded = try BaselineState.decode(bytes)
        #expect(decoded == state)
        #expect(decoded.encode() == bytes)
        guard case .numeric(let n)? = decoded["messy"] else { Issue.record("missing"); return }
        #expect(n.sortedValues.negativeInfinityCount > 0 && n.sortedValues.positiveInfinityCount > 0)
        #expect(n.sortedValues.float64.withFiniteValues { $0.contains { $0 != 0 && !$0.isNormal } })
        guard case .numeric(let s)? = decoded["sampled"] else { Issue.record("missing"); return }
        #expect(s.sampled && s.sortedValues.count == 500)
        guard case .numeric(let f)? = decoded["f32 sampled"] else { Issue.record("missing"); return }
        #expect(f.sortedValues.isFloat32 && f.sampled && f.sortedValues.count == 300)
    }

    // MARK: - Equivalence with the one-shot comparison

    @Test("numeric reports via a FeatureBaseline equal the existing path (nulls, ties, ±inf, round-tripped)",
          arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func numericEquivalence(seed: UInt64) throws {
        let baseline = Self.messy(seed: seed, count: 500 + Int(seed) * 300)
        let current = Self.messy(seed: seed + 100, count: 400 + Int(seed) * 250, shift: Double(seed % 3) * 0.1)
        for bins in [1, 10, 37] {
            let old = FeatureComparison.numeric(name: "f", baseline: baseline, current: current, bins: bins)
            let fb = FeatureBaseline.numeric(values: baseline, bins: bins, seed: seed)
            let new = FeatureComparison.numeric(name: "f", baseline: fb, current: current)
            #expect(new == old)
            let stored = try BaselineState.decode(BaselineState(features: [("f", fb)]).encode())
            #expect(FeatureComparison.numeric(name: "f", baseline: stored["f"]!, current: current) == old)
        }
    }

    @Test("float32 baselines and columns: the same statistics as the float64 path on the widened values",
          arguments: [UInt64(31), 32, 33])
    func float32Equivalence(seed: UInt64) throws {
        let b = Self.messy(seed: seed, count: 1_200).map(Float.init)
        let c = Self.messy(seed: seed + 7, count: 900, shift: 0.1).map(Float.init)
        let old = FeatureComparison.numeric(name: "f", baseline: b.map(Double.init), current: c.map(Double.init), bins: 12)
        let fb = try BaselineState.decode(BaselineState(features: [("f", .numeric(values: b, bins: 12, seed: 1))]).encode())["f"]!
        let f64 = FeatureBaseline.numeric(values: b.map(Double.init), bins: 12, seed: 1)
        for new in [FeatureComparison.numeric(name: "f", baseline: fb, current: c),
                    FeatureComparison.numeric(name: "f", baseline: fb, current: c.map(Double.init)),
                    FeatureComparison.numeric(name: "f", baseline: f64, current: c)] {
            let n = new.statistics, o = old.statistics
            #expect(n.bins == o.bins && n.psi == o.psi && n.jensenShannon == o.jensenShannon)
            #expect(n.ksStatistic == o.ksStatistic && n.pValue == o.pValue && n.pValueMethod == o.pValueMethod)
            #expect(n.baselineCount == o.baselineCount && n.currentCount == o.currentCount)
            #expect(n.baselineNullRate == o.baselineNullRate && n.currentNullRate == o.currentNullRate)
            #expect(close(n.wasserstein!, o.wasserstein!, rel: 1e-9))
            #expect(close(n.baselineProfile!.mean, o.baselineProfile!.mean, abs: 1e-12, rel: 1e-9))
            #expect(new.verdict.decision == old.verdict.decision)
        }
    }

    @Test("numeric edge cases: all-null / empty baseline, invalid bin count, constant baseline, empty current")
    func numericEdgeEquivalence() throws {
        let cases: [([Double], [Double], Int)] = [
            ([.nan, .nan], [1, 2], 10), ([], [1, 2], 10), ([1, 2, 3, 4], [2, 3], 0), ([1, 2], [2, 3], -3), ([1, 2, 3], [2, 3], 5000),
            ([5, 5, 5, 5], [5, 6], 10), ([1, 2, 3], [], 10), ([.infinity, -.infinity], [1], 10),
        ]
        for (b, c, bins) in cases {
            let old = FeatureComparison.numeric(name: "e", baseline: b, current: c, bins: bins)
            let fb = FeatureBaseline.numeric(values: b, bins: bins, seed: 0)
            let new = FeatureComparison.numeric(name: "e", baseline: fb, current: c)
            #expect(new == old, "baseline \(b), bins \(bins)")
            let stored = try BaselineState.decode(BaselineState(features: [("e", fb)]).encode())["e"]!
            #expect(FeatureComparison.numeric(name: "e", baseline: stored, current: c) == old, "stored, bins \(bins)")
        }
    }

    @Test("categorical reports via a FeatureBaseline equal the existing path (nulls, new categories)",
          arguments: [UInt64(11), 12, 13, 14])
    func categoricalEquivalence(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let d0 = 3 + rng.below(6), d1 = d0 + rng.below(3)
        let codes = { (n: Int, d: Int, rng: inout SplitMix64) -> [UInt32] in
            (0..<n).map { _ in rng.below(10) == 0 ? CategoryCounts.nullCode : UInt32(rng.below(d)) }
        }
        let b = codes(300 + rng.below(500), d0, &rng), c = codes(200 + rng.below(500), d1, &rng)
        let dictionary = (0..<d0).map { "cat\($0)" }
        let old = FeatureComparison.categorical(name: "k", baseline: b, current: c, dictionarySize: d1)
        let fb = try FeatureBaseline.categorical(codes: b, dictionary: dictionary)
        #expect(FeatureComparison.categorical(name: "k", baseline: fb, current: c, dictionarySize: d1) == old)
        let stored = try BaselineState.decode(BaselineState(features: [("k", fb)]).encode())
        #expect(FeatureComparison.categorical(name: "k", baseline: stored["k"]!, current: c, dictionarySize: d1) == old)
    }

    @Test("a kind mismatch or a dictionary smaller than the baseline's is a note, not a crash")
    func mismatches() throws {
        let cat = try FeatureBaseline.categorical(codes: [0, 1, 2], dictionary: ["a", "b", "c"])
        let num = FeatureBaseline.numeric(values: [1, 2, 3] as [Double], seed: 0)
        #expect(!FeatureComparison.numeric(name: "x", baseline: cat, current: [1] as [Double]).statistics.notes.isEmpty)
        #expect(!FeatureComparison.categorical(name: "x", baseline: num, current: [0], dictionarySize: 1).statistics.notes.isEmpty)
        #expect(!FeatureComparison.categorical(name: "x", baseline: cat, current: [0], dictionarySize: 2).statistics.notes.isEmpty)
    }

    // MARK: - Sampling

    @Test("beyond the cap: exactly cap values, a sorted subset of the input, deterministic per seed; bins/profile from all")
    func sampling() {
        let values = Self.messy(seed: 21, count: 5_000)
        let cap = 1_000
        let a = FeatureBaseline.numeric(values: values, bins: 10, cap: cap, seed: 42)
        let b = FeatureBaseline.numeric(values: values, bins: 10, cap: cap, seed: 42)
        let other = FeatureBaseline.numeric(values: values, bins: 10, cap: cap, seed: 43)
        let full = FeatureBaseline.numeric(values: values, bins: 10, seed: 42)
        #expect(a == b)
        #expect(a != other)
        guard case .numeric(let s) = a, case .numeric(let f) = full else { Issue.record("kind"); return }
        #expect(s.sampled && !f.sampled)
        #expect(s.sortedValues.count == cap)
        #expect(s.totalCount == f.sortedValues.count && s.totalCount > cap)
        #expect(s.bins == f.bins && s.binCounts == f.binCounts && s.profile == f.profile)
        // a sub-multiset of the non-null input, ascending
        var available: [UInt64: Int] = [:]
        for x in values where !x.isNaN { available[(x + 0).bitPattern, default: 0] += 1 }
        let kept = s.sortedValues.float64.withFiniteValues { Array($0) }
        #expect(zip(kept, kept.dropFirst()).allSatisfy { $0 <= $1 })
        for x in kept + Array(repeating: -.infinity, count: s.sortedValues.negativeInfinityCount)
            + Array(repeating: .infinity, count: s.sortedValues.positiveInfinityCount) {
            available[x.bitPattern, default: 0] -= 1
            #expect(available[x.bitPattern]! >= 0, "\(x) kept more often than it occurs")
        }
        // at exactly the cap nothing is sampled
        guard case .numeric(let atCap) = FeatureBaseline.numeric(values: values, cap: f.totalCount, seed: 1) else { return }
        #expect(!atCap.sampled && atCap.sortedValues.count == f.totalCount)
        // the verdict says so
        let r = FeatureComparison.numeric(name: "s", baseline: a, current: Self.messy(seed: 22, count: 800))
        #expect(r.statistics.notes.contains("KS on a seeded uniform sample of 1000 of \(s.totalCount) baseline values"))
        #expect(r.statistics.baselineCount == s.totalCount)
        let unsampled = FeatureComparison.numeric(name: "s", baseline: full, current: Self.messy(seed: 22, count: 800))
        #expect(!unsampled.statistics.notes.contains { $0.hasPrefix("KS on a seeded") })
    }

    @Test("the sample is roughly uniform over sorted positions")
    func samplingUniform() {
        let values = (0..<20_000).map(Double.init)
        guard case .numeric(let s) = FeatureBaseline.numeric(values: values, cap: 2_000, seed: 5) else { return }
        let kept = s.sortedValues.float64.withFiniteValues { Array($0) }
        var deciles = [Int](repeating: 0, count: 10)
        for x in kept { deciles[Int(x) / 2_000] += 1 }
        #expect(deciles.allSatisfy { (140...260).contains($0) }, "\(deciles)")
    }

    // MARK: - Hostile input

    @Test("every truncation of a small state throws")
    func truncations() throws {
        let bytes = Self.smallState().encode()
        #expect(try BaselineState.decode(bytes) == Self.smallState())
        for n in 0..<bytes.count {
            #expect(throws: BaselineStateError.self) { try BaselineState.decode(Array(bytes.prefix(n))) }
        }
        #expect(throws: BaselineStateError.self) { try BaselineState.decode(bytes + [0]) }
    }

    @Test("5 000 seeded random mutations decode or throw; what decodes re-encodes and decodes again")
    func mutations() throws {
        let bytes = Self.smallState().encode()
        var rng = SplitMix64(seed: 99)
        var accepted = 0
        for _ in 0..<5_000 {
            var m = bytes
            for _ in 0...rng.below(4) {
                let i = rng.below(m.count)
                switch rng.below(4) {
                case 0: m[i] = UInt8(truncatingIfNeeded: rng.next())
                case 1: m[i] ^= 1 << UInt8(rng.below(8))
                case 2: m[i] = [0, 0xFF, 0x7F, 0x80][rng.below(4)]
                default: if m.count > 1 { m.remove(at: i) }
                }
            }
            do {
                let state = try BaselineState.decode(m)
                accepted += 1
                #expect(try BaselineState.decode(state.encode()) == state)
            } catch {
                // rejected: fine
            }
        }
        #expect(accepted < 5_000)
        #expect(accepted > 0, "some mutations (in values) should still decode")
    }

    @Test("wrong magic, version, reserved field, tag, flags; unsorted values; counts that do not add up")
    func rejections() throws {
        let good = Self.smallState().encode()
        var m = good; m[0] = UInt8(ascii: "X")
        #expect(throws: BaselineStateError.badMagic) { try BaselineState.decode(m) }
        m = good; m[4] = 3
        #expect(throws: BaselineStateError.unsupportedVersion(3)) { try BaselineState.decode(m) }
        m = good; m[3] = UInt8(ascii: "1")  // "DBS1" with version 2
        #expect(throws: BaselineStateError.unsupportedVersion(2)) { try BaselineState.decode(m) }
        m = good; m[6] = 1
        #expect(throws: BaselineStateError.self) { try BaselineState.decode(m) }
        // first record: name "x" (4 + 1 bytes) at 12, tag at 17
        m = good; m[17] = 9
        #expect(throws: BaselineStateError.unknownTag(9, offset: 17)) { try BaselineState.decode(m) }
        m = good; m[26] = 2  // flags: an unknown bit
        #expect(throws: BaselineStateError.self) { try BaselineState.decode(m) }

        // hand-built numeric states: unsorted values, bad edges, counts that do not add up
        func numericState(_ edit: (inout NumericBaseline) -> Void) -> [UInt8] {
            guard case .numeric(var n) = FeatureBaseline.numeric(values: [1, 2, 3, 4] as [Double], bins: 2, seed: 0) else { return [] }
            edit(&n)
            return BaselineState(features: [("n", .numeric(n))]).encode()
        }
        #expect(throws: Never.self) { try BaselineState.decode(numericState { _ in }) }
        let edits: [(inout NumericBaseline) -> Void] = [
            { $0.sortedValues = .float64(SortedSample(sortedFinite: [1, 3, 2, 4])) },
            { $0.sortedValues = .float64(SortedSample(sortedFinite: [1, 2, 3])) },
            { $0.sortedValues = .float64(SortedSample(sortedFinite: [1, 2, 3, .nan])) },
            { $0.totalCount = 5 },
            { $0.binCounts!.counts[1] += 1 },
            { $0.binCounts!.counts.append(0) },
            { $0.profile.nullCount = 7 },
            { $0.sampled = true },
            { $0.bins = try! QuantileBins(edges: [1, 2]); $0.binCounts = BinCounts(counts: [0, 3, 0], nullCount: 0) },
        ]
        for edit in edits {
            #expect(throws: BaselineStateError.self) { try BaselineState.decode(numericState(edit)) }
        }
        // non-increasing edges written by hand over a valid state's edge bytes
        var e = numericState { _ in }
        // from the end: correlation section (p u32 = 0), grid (g u32, 4 counts, 4 × 3 words), then the bins
        let gridBytes = 4 + 4 * 8 + 4 * 3 * 8
        let edgesAt = e.count - 4 - gridBytes - (4 + 3 * 8) - (4 + 4 * 8 + 8)  // k u32, 3 edges, c u32, 4 counts, null count
        #expect(e[edgesAt] == 3)
        for i in 0..<8 { e[edgesAt + 4 + 8 + i] = e[edgesAt + 4 + i] }  // edge 1 := edge 0
        #expect(throws: BaselineStateError.self) { try BaselineState.decode(e) }
        // a huge declared length fails before allocating
        var huge = good
        for i in 8..<12 { huge[i] = 0xFF }
        #expect(throws: BaselineStateError.truncated(offset: 12)) { try BaselineState.decode(huge) }
    }
}
