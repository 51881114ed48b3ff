import DriftKernels
import DriftTestSupport
import Testing

@testable import DriftEngine

/// Multi-block baselines: the builder's state equals the one built from the concatenated columns, bit for bit.
@Suite("BaselineBuilder: blocks give the one-shot state")
struct BaselineBuilderTests {
    /// The concatenated truth of a four-feature source: float64 `a` (nulls, ±inf, subnormals, ties; some rows
    /// invalid by bitmap, holding a decoy value), float32 `b` correlated with `a`, float64 `c` with integer ties
    /// (an int64 column widened), categorical `k` (nil = null).
    struct Table {
        var a: [Double], aValid: [Bool], b: [Float], c: [Double], k: [String?]

        init(rows: Int, seed: UInt64) {
            let base = BaselineStateTests.messy(seed: seed, count: rows)
            var rng = SplitMix64(seed: seed &+ 9)
            let valid = (0..<rows).map { _ in rng.below(17) != 0 }
            aValid = valid
            a = (0..<rows).map { valid[$0] ? base[$0] : 12_345.0 }
            let noise = TestData.normal(seed: seed &+ 3, count: rows)
            b = (0..<rows).map { r in
                rng.below(30) == 0 ? .nan : Float((base[r].isFinite ? base[r] : 0) * 2 + noise[r])
            }
            c = (0..<rows).map { _ in Double(rng.below(12)) - 3 }
            let names = ["red", "green", "blue", "ünï", "", "violet"]
            k = (0..<rows).map { _ in rng.below(9) == 0 ? nil : names[rng.below(names.count)] }
        }

        func slice(_ r: Range<Int>) -> (a: [Double], aValid: [Bool], b: [Float], c: [Double], k: [String?]) {
            (Array(a[r]), Array(aValid[r]), Array(b[r]), Array(c[r]), Array(k[r]))
        }
    }

    static func features(cap: Int) -> [BaselineBuilder.Feature] {
        [.init(name: "a", kind: .float64, bins: 10, seed: 11, cap: cap),
         .init(name: "b", kind: .float32, bins: 7, seed: 12, cap: cap),
         .init(name: "k", kind: .categorical, seed: 13),
         .init(name: "c", kind: .float64, bins: 20, seed: 14, cap: cap)]
    }

    /// Blocks cut at `sizes`: `a` carries a bitmap in odd blocks only; `k` has each block's own dictionary (the
    /// block's categories shuffled, one unused entry, and a duplicate entry in block 2); invalid `k` rows in odd
    /// blocks hold an out-of-range code (a null by the bitmap). Returns the blocks and the running dictionary.
    static func blocks(_ t: Table, sizes: [Int], seed: UInt64) -> ([[BaselineBuilder.Column]], [String]) {
        var rng = SplitMix64(seed: seed)
        var blocks: [[BaselineBuilder.Column]] = []
        var union: [String] = []
        var start = 0
        for (i, size) in sizes.enumerated() {
            let s = t.slice(start..<(start + size))
            start += size
            var dictionary = Array(Set(s.k.compactMap { $0 })).sorted()
            for j in stride(from: dictionary.count - 1, to: 0, by: -1) { dictionary.swapAt(j, rng.below(j + 1)) }
            dictionary.insert("unused-\(i)", at: rng.below(dictionary.count + 1))
            if i == 2, let first = dictionary.first { dictionary.append(first) }
            for entry in dictionary where !union.contains(entry) { union.append(entry) }
            let odd = i % 2 == 1
            var kValid = [Bool](repeating: true, count: size)
            let codes: [UInt32] = s.k.enumerated().map { r, v in
                if odd && rng.below(11) == 0 { kValid[r] = false; return 999 }
                guard let v else { return CategoryCounts.nullCode }
                return UInt32(dictionary.firstIndex(of: v)!)
            }
            blocks.append([
                .float64(s.a, validity: odd ? ValidityBitmap(valid: s.aValid) : nil),
                .float32(s.b),
                .categorical(codes: codes, dictionary: dictionary, validity: odd ? ValidityBitmap(valid: kValid) : nil),
                .float64(s.c),
            ])
        }
        return (blocks, union)
    }

    /// The state built from the concatenated columns, feature by feature, with the co-moments of a, b, c.
    static func oneShot(_ blocks: [[BaselineBuilder.Column]], union: [String], cap: Int) throws -> BaselineState {
        var a: [Double] = [], aValid: [Bool] = [], anyBitmap = false, b: [Float] = [], c: [Double] = [], k: [UInt32] = []
        for block in blocks {
            guard case .float64(let av, let avalid) = block[0], case .float32(let bv, _) = block[1],
                  case .categorical(let codes, let dictionary, let kvalid) = block[2], case .float64(let cv, _) = block[3]
            else { preconditionFailure() }
            a += av
            aValid += (0..<av.count).map { avalid?.isValid($0) ?? true }
            anyBitmap = anyBitmap || avalid != nil
            b += bv
            c += cv
            k += codes.enumerated().map { r, code in
                if code == CategoryCounts.nullCode || !(kvalid?.isValid(r) ?? true) { return CategoryCounts.nullCode }
                return UInt32(union.firstIndex(of: dictionary[Int(code)])!)
            }
        }
        let validity = anyBitmap ? ValidityBitmap(valid: aValid) : nil
        let f = features(cap: cap)
        let moments = try a.withUnsafeBufferPointer { pa in
            try b.withUnsafeBufferPointer { pb in
                try c.withUnsafeBufferPointer { pc in
                    try PairwiseCoMoments(columns: [.float64(pa, validity: validity), .float32(pb, validity: nil),
                                                    .float64(pc, validity: nil)])
                }
            }
        }
        return BaselineState(features: [
            ("a", .numeric(values: a, validity: validity, bins: f[0].bins, cap: cap, seed: f[0].seed)),
            ("b", .numeric(values: b, bins: f[1].bins, cap: cap, seed: f[1].seed)),
            ("k", try .categorical(codes: k, dictionary: union)),
            ("c", .numeric(values: c, bins: f[3].bins, cap: cap, seed: f[3].seed)),
        ], correlations: FeatureCorrelations(features: ["a", "b", "c"], moments: moments))
    }

    static let cuts: [[Int]] = [[3_000], [1, 2_999], [1_500, 1_500], [7, 1, 0, 992, 1_000, 333, 667], [2_999, 1],
                                [0, 3_000, 0]]

    @Test("1, 2 and many uneven blocks (empty ones too) give the one-shot state: == and the same bytes",
          arguments: cuts, [FeatureBaseline.defaultSampleCap, 700])
    func blocksEqualOneShot(sizes: [Int], cap: Int) throws {
        let table = Table(rows: 3_000, seed: 5)
        let (blocks, union) = Self.blocks(table, sizes: sizes, seed: UInt64(sizes.count))
        var builder = try BaselineBuilder(features: Self.features(cap: cap))
        for block in blocks { try builder.append(block) }
        #expect(builder.stagedRows == 3_000 && builder.blockCount == sizes.count)
        let built = builder.finish()
        let expected = try Self.oneShot(blocks, union: union, cap: cap)
        #expect(built == expected)
        #expect(built.encode() == expected.encode())
        #expect(try BaselineState.decode(built.encode()) == expected)
        // the running dictionary is the union in order of first appearance, duplicates merged
        guard case .categorical(let k)? = built["k"] else { Issue.record("k"); return }
        #expect(k.dictionary == union && Set(k.dictionary).count == k.dictionary.count)
        if cap == 700 {
            guard case .numeric(let a)? = built["a"] else { Issue.record("a"); return }
            #expect(a.sampled && a.sortedValues.count == 700)
        }
        // and the same as one block holding everything
        let whole = try Self.oneBlock(blocks, union: union, cap: cap)
        #expect(built == whole && built.encode() == whole.encode())
    }

    /// The concatenation appended as one block (coded against the running dictionary).
    static func oneBlock(_ blocks: [[BaselineBuilder.Column]], union: [String], cap: Int) throws -> BaselineState {
        var a: [Double] = [], valid: [Bool] = [], any = false, b: [Float] = [], c: [Double] = [], k: [UInt32] = []
        for block in blocks {
            guard case .float64(let av, let avalid) = block[0], case .float32(let bv, _) = block[1],
                  case .categorical(let codes, let dictionary, let kvalid) = block[2], case .float64(let cv, _) = block[3]
            else { preconditionFailure() }
            a += av; b += bv; c += cv
            valid += (0..<av.count).map { avalid?.isValid($0) ?? true }
            any = any || avalid != nil
            k += codes.enumerated().map { r, code in
                code == CategoryCounts.nullCode || !(kvalid?.isValid(r) ?? true)
                    ? CategoryCounts.nullCode : UInt32(union.firstIndex(of: dictionary[Int(code)])!)
            }
        }
        var builder = try BaselineBuilder(features: features(cap: cap))
        try builder.append([.float64(a, validity: any ? ValidityBitmap(valid: valid) : nil), .float32(b),
                            .categorical(codes: k, dictionary: union), .float64(c)])
        return builder.finish()
    }

    @Test("one block is staged without a copy: the builder keeps the caller's array")
    func oneBlockNoCopy() throws {
        let values = (0..<10_000).map { Double($0 % 97) }
        let floats = values.map(Float.init)
        var builder = try BaselineBuilder(features: [.init(name: "x", kind: .float64, seed: 1), .init(name: "y", kind: .float32, seed: 2)])
        try builder.append([.float64(values), .float32(floats)])
        guard case .float64(let sx) = builder.stages[0], case .float32(let sy) = builder.stages[1] else { Issue.record("kinds"); return }
        #expect(sx.values.withUnsafeBufferPointer { $0.baseAddress } == values.withUnsafeBufferPointer { $0.baseAddress })
        #expect(sy.values.withUnsafeBufferPointer { $0.baseAddress } == floats.withUnsafeBufferPointer { $0.baseAddress })
        #expect(builder.stagedBytes == 10_000 * (8 + 4))
        let state = builder.finish()
        #expect(state["x"] == .numeric(values: values, seed: 1))
    }

    @Test("stagedRows, blockCount and stagedBytes follow the blocks (bitmaps and dictionaries included)")
    func staging() throws {
        var builder = try BaselineBuilder(features: [.init(name: "x", kind: .float64, seed: 1),
                                                     .init(name: "k", kind: .categorical, seed: 2)])
        #expect(builder.stagedRows == 0 && builder.blockCount == 0 && builder.stagedBytes == 0)
        try builder.append([.float64([1, 2, 3]), .categorical(codes: [0, 1, 0], dictionary: ["ab", "c"])])
        #expect(builder.stagedRows == 3 && builder.blockCount == 1)
        #expect(builder.stagedBytes == 3 * 8 + (2 + 48) + (1 + 48) + 2 * 8)
        try builder.append([.float64([4, 5], validity: ValidityBitmap(valid: [true, false])),
                            .categorical(codes: [1, 0], dictionary: ["c", "dé"])])
        #expect(builder.stagedRows == 5 && builder.blockCount == 2)
        #expect(builder.stagedBytes == 5 * 8 + 1 + (2 + 48) + (1 + 48) + (3 + 48) + 3 * 8)
        let state = builder.finish()
        #expect(state["x"] == .numeric(values: [1, 2, 3, 4, 5] as [Double], validity: ValidityBitmap(valid: [true, true, true, true, false]), seed: 1))
        #expect(state["k"] == (try FeatureBaseline.categorical(codes: [0, 1, 0, 1, 2], dictionary: ["ab", "c", "dé"])))
        #expect(state.correlations == nil, "one numeric feature has no pairs")
    }

    @Test("validity bitmaps concatenate at every bit offset")
    func bitmapOffsets() throws {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<40 {
            var all: [Bool] = [], values: [Double] = []
            var builder = try BaselineBuilder(features: [.init(name: "x", kind: .float64, seed: 1)])
            for _ in 0..<(1 + rng.below(6)) {
                let n = rng.below(20)
                let bits = (0..<n).map { _ in rng.below(3) != 0 }
                let v = (0..<n).map { _ in Double(rng.below(1000)) }
                let withBitmap = rng.below(2) == 0
                try builder.append([.float64(v, validity: withBitmap ? ValidityBitmap(valid: bits) : nil)])
                all += withBitmap ? bits : [Bool](repeating: true, count: n)
                values += v
            }
            guard case .float64(let s) = builder.stages[0] else { Issue.record("kind"); return }
            if let staged = s.validity {
                #expect((0..<all.count).map { staged.bitmap.isValid($0) } == all)
                #expect(staged.bytes.count == (all.count + 7) / 8)
            } else {
                #expect(all.allSatisfy { $0 })
            }
            #expect(s.values == values)
        }
    }

    @Test("refused blocks change nothing: column count, kind, lengths, bitmap length, codes; bad features")
    func refusals() throws {
        let features: [BaselineBuilder.Feature] = [.init(name: "x", kind: .float64, seed: 1),
                                                   .init(name: "k", kind: .categorical, seed: 2)]
        var builder = try BaselineBuilder(features: features)
        try builder.append([.float64([1, 2]), .categorical(codes: [0, 1], dictionary: ["a", "b"])])
        let before = builder
        let bad: [([BaselineBuilder.Column], BaselineBuilderError)] = [
            ([.float64([1])], .columnCount(expected: 2, got: 1)),
            ([.float32([1]), .categorical(codes: [0], dictionary: ["a"])], .kindMismatch(feature: "x", expected: "float64", got: "float32")),
            ([.float64([1, 2]), .categorical(codes: [0], dictionary: ["a"])], .rowCountMismatch(feature: "k", expected: 2, got: 1)),
            ([.float64([1], validity: ValidityBitmap(valid: [true, true])), .categorical(codes: [0], dictionary: ["a"])],
             .rowCountMismatch(feature: "x", expected: 1, got: 2)),
        ]
        for (block, error) in bad {
            #expect(throws: error) { try builder.append(block) }
        }
        #expect(throws: BaselineBuilderError.self) {
            try builder.append([.float64([3]), .categorical(codes: [2], dictionary: ["a", "b"])])
        }
        #expect(builder.stagedRows == before.stagedRows && builder.blockCount == before.blockCount)
        #expect(builder.stagedBytes == before.stagedBytes)
        #expect(builder.finish() == before.finish())
        #expect(throws: BaselineBuilderError.duplicateFeature("x")) {
            try BaselineBuilder(features: [.init(name: "x", kind: .float64, seed: 1), .init(name: "x", kind: .float32, seed: 1)])
        }
        #expect(throws: BaselineBuilderError.invalidCap(feature: "x", cap: 0)) {
            try BaselineBuilder(features: [.init(name: "x", kind: .float64, seed: 1, cap: 0)])
        }
        // no block: every feature empty
        let empty = try BaselineBuilder(features: features).finish()
        #expect(empty["x"] == .numeric(values: [Double](), seed: 1))
        #expect(empty["k"] == .categorical(CategoricalBaseline(dictionary: [], counts: CategoryCounts(counts: [], nullCount: 0))))
    }

    @Test("co-moments for 2 … 32 numeric features (496 pairs at 32), none beyond; lookups by name either way round")
    func correlationLimits() throws {
        func state(numeric: Int) throws -> BaselineState {
            var features: [BaselineBuilder.Feature] = [.init(name: "cat", kind: .categorical, seed: 0)]
            features += (0..<numeric).map { .init(name: "f\($0)", kind: $0 % 2 == 0 ? .float64 : .float32, seed: UInt64($0)) }
            var builder = try BaselineBuilder(features: features)
            let rows = 200
            let z = TestData.normal(seed: 1, count: rows)
            var block: [BaselineBuilder.Column] = [.categorical(codes: [UInt32](repeating: 0, count: rows), dictionary: ["a"])]
            for i in 0..<numeric {
                let noise = TestData.normal(seed: UInt64(i) + 10, count: rows)
                let v = (0..<rows).map { z[$0] + noise[$0] * Double(i + 1) / 8 }
                block.append(i % 2 == 0 ? .float64(v) : .float32(v.map(Float.init)))
            }
            try builder.append(block)
            return builder.finish()
        }
        #expect(BaselineState.maxCorrelatedFeatures == 32)
        let s32 = try state(numeric: 32)
        #expect(s32.correlations?.moments.pairs.count == 496)
        #expect(s32.correlations?.features == (0..<32).map { "f\($0)" })
        #expect(try state(numeric: 33).correlations == nil)
        #expect(try state(numeric: 1).correlations == nil)
        let s2 = try state(numeric: 2)
        let ab = try #require(s2.correlation(of: "f0", and: "f1"))
        let ba = try #require(s2.correlation(of: "f1", and: "f0"))
        #expect(ab.count == 200 && ab.means == [ba.means[1], ba.means[0]])
        #expect(try ab.correlation(0, 1) == ba.correlation(0, 1))
        #expect(try ab.correlation(0, 1) > 0.9)
        #expect(s2.correlation(of: "f0", and: "cat") == nil)
        #expect(s2.correlation(of: "f0", and: "f0") == nil)
        #expect(s2.correlation(of: "f0", and: "nope") == nil)
        #expect(try BaselineState.decode(s32.encode()) == s32)
    }
}
