import DriftKernels
import DriftTestSupport
import Testing

@testable import DriftEngine

/// The mergeable window state: order independence of folds and merges, equality with the one-shot comparison
/// while every value is kept, the seeded sample beyond the cap, the DWS1 encoding, hostile bytes, rolling baselines.
@Suite("WindowState")
struct WindowStateTests {
    // MARK: - Data

    /// One block: float64 `x` (NaN, ±inf, subnormals, ties; some blocks with a validity bitmap whose invalid rows
    /// hold a decoy), float32 `y` correlated with x, categorical `c` coded against the block's own dictionary.
    struct Block {
        var key: UInt64
        var x: [Double]
        var xValid: [Bool]?
        var y: [Float]
        var c: [String?]
        var dictionary: [String]

        init(seed: UInt64, rows: Int, shift: Double = 0, constant: Double? = nil) {
            var keyRng = SplitMix64(seed: seed ^ 0xB10C)
            key = keyRng.next()
            var rng = SplitMix64(seed: seed &+ 77)
            let base = constant.map { [Double](repeating: $0, count: rows) }
                ?? BaselineStateTests.messy(seed: seed, count: rows, shift: shift)
            if seed % 3 == 0 {
                let valid = (0..<rows).map { _ in rng.below(11) != 0 }
                xValid = valid
                x = (0..<rows).map { valid[$0] ? base[$0] : 4_242 }
            } else {
                xValid = nil
                x = base
            }
            let noise = TestData.normal(seed: seed &+ 5, count: rows)
            y = (0..<rows).map { r in rng.below(25) == 0 ? .nan : Float((base[r].isFinite ? base[r] : 0) + noise[r]) }
            let names = ["red", "green", "blue", "ünï", "", "violet", "e\u{301}", "é"]
            c = (0..<rows).map { _ in rng.below(8) == 0 ? nil : names[rng.below(names.count)] }
            var dict = Array(Set(c.compactMap { $0 }))
            dict.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            dict.shuffle(using: &rng)
            dict.append("unused-\(seed)")
            dictionary = dict
        }

        /// x as the one-shot comparison sees it (invalid rows → NaN).
        var xNulled: [Double] { x.indices.map { xValid?[$0] ?? true ? x[$0] : .nan } }

        var columns: [BaselineBuilder.Column] {
            let index = Dictionary(uniqueKeysWithValues: dictionary.enumerated().map { ($1, UInt32($0)) })
            let codes = c.map { $0.map { index[$0]! } ?? CategoryCounts.nullCode }
            return [.float64(x, validity: xValid.map { ValidityBitmap(valid: $0) }), .float32(y, validity: nil),
                    .categorical(codes: codes, dictionary: dictionary, validity: nil)]
        }
    }

    static let features = [WindowState.Feature(name: "x", kind: .float64), WindowState.Feature(name: "y", kind: .float32),
                           WindowState.Feature(name: "c", kind: .categorical)]
    static let pairs = [FeaturePair("x", "y"), FeaturePair("y", "nope")]

    static func blocks(_ sizes: [Int], seed: UInt64 = 100, shift: Double = 0) -> [Block] {
        sizes.enumerated().map { Block(seed: seed &+ UInt64($0.offset), rows: $0.element, shift: shift) }
    }

    /// A baseline of the same three features (its own data), id 7.
    static let baseline: BaselineState = {
        var b = try! BaselineBuilder(features: [
            .init(name: "x", kind: .float64, bins: 10, seed: 1), .init(name: "y", kind: .float32, bins: 8, seed: 2),
            .init(name: "c", kind: .categorical, seed: 3)])
        for block in blocks([700, 500, 300], seed: 900) { try! b.append(block.columns) }
        return b.finish()
    }()
    static let baselineId: UInt64 = 7

    static func fold(_ blocks: [Block], cap: Int = WindowState.defaultValueCap, tag: Bool = true,
                     into state: WindowState? = nil) -> WindowState {
        var s = state ?? WindowState(features: features, valueCap: cap, correlationPairs: pairs)
        for b in blocks {
            try! s.fold(columns: b.columns, rows: Array(b.x.indices), blockKey: b.key,
                        frozenBins: tag ? (baselineId, baseline) : nil)
        }
        return s
    }

    static func numeric(_ s: WindowState, _ i: Int) -> WindowNumericSummary {
        guard case .numeric(let n) = s.summaries[i] else { fatalError("feature \(i) is not numeric") }
        return n
    }

    // MARK: - Order independence

    /// Folds the blocks in several orders and splits them over 2–4 partial states merged in different orders and
    /// trees: the encodings are byte-identical and the reports equal.
    func assertOrderIndependent(_ blocks: [Block], cap: Int, tag: Bool = true, seed: UInt64) {
        let reference = Self.fold(blocks, cap: cap, tag: tag)
        let bytes = reference.encode()
        let reports = reference.reports(against: Self.baseline, baselineId: Self.baselineId, policies: [])
        var rng = SplitMix64(seed: seed)
        for trial in 0..<6 {
            let order = blocks.shuffled(using: &rng)
            let sequential = Self.fold(order, cap: cap, tag: tag)
            #expect(sequential.encode() == bytes, "order trial \(trial)")
            // split over k partial states
            let k = 2 + trial % 3
            var parts = (0..<k).map { _ in WindowState(features: Self.features, valueCap: cap, correlationPairs: Self.pairs) }
            for b in order { let p = rng.below(k); parts[p] = Self.fold([b], cap: cap, tag: tag, into: parts[p]) }
            // merge as a left fold in shuffled order, and as a balanced tree
            var left = parts.shuffled(using: &rng)
            var acc = left.removeFirst()
            for p in left { try! acc.merge(p) }
            #expect(acc.encode() == bytes, "left-fold merge, \(k) parts, trial \(trial)")
            var level = parts.shuffled(using: &rng)
            while level.count > 1 {
                var next: [WindowState] = []
                for i in stride(from: 0, to: level.count, by: 2) {
                    var m = level[i]
                    if i + 1 < level.count { try! m.merge(level[i + 1]) }
                    next.append(m)
                }
                level = next
            }
            #expect(level[0].encode() == bytes, "tree merge, \(k) parts, trial \(trial)")
            #expect(level[0] == reference)
            #expect(level[0].reports(against: Self.baseline, baselineId: Self.baselineId, policies: []) == reports)
            #expect(level[0].correlationObservations(against: Self.baseline)
                == reference.correlationObservations(against: Self.baseline))
        }
    }

    @Test func orderIndependentBelowTheCap() {
        assertOrderIndependent(Self.blocks([40, 1, 97, 250, 3, 64, 128]), cap: 10_000, seed: 1)
    }

    @Test func orderIndependentAboveTheCap() {
        let blocks = Self.blocks([40, 1, 97, 250, 3, 64, 128])
        assertOrderIndependent(blocks, cap: 50, seed: 2)
        assertOrderIndependent(blocks, cap: 1, seed: 3)
        assertOrderIndependent(blocks, cap: 50, tag: false, seed: 4)
        #expect(Self.fold(blocks, cap: 50).isSampled(feature: 0))
    }

    @Test func orderIndependentOnEdgeCases() {
        // constant columns, one-row blocks, all-null blocks, ties
        var blocks = [Block(seed: 300, rows: 20, constant: 2.5), Block(seed: 301, rows: 1, constant: 2.5),
                      Block(seed: 302, rows: 30, constant: .nan), Block(seed: 303, rows: 5, constant: .infinity)]
        blocks += Self.blocks([1, 1, 1], seed: 310)
        assertOrderIndependent(blocks, cap: 10_000, seed: 5)
        assertOrderIndependent(blocks, cap: 7, seed: 6)
        // a one-row window
        let one = Self.fold([Block(seed: 320, rows: 1)])
        #expect(one.rows == 1)
        #expect(try! WindowState.decode(one.encode()) == one)
        // a constant column has variance 0 exactly
        let constant = Self.fold([Block(seed: 301, rows: 40, constant: 0.1), Block(seed: 304, rows: 3, constant: 0.1)])
        #expect(constant.profile(feature: 0)?.sumOfSquaredDeviations == 0)
        #expect(constant.profile(feature: 0)?.mean == 0.1)
    }

    // MARK: - Equality with the one-shot comparison

    /// The window's report equals FeatureComparison's on the concatenated rows, except the profile's mean and
    /// Σ(x − mean)² (exact sums against the arrival-order ColumnProfile), which agree to 1e-12.
    func expectEqualToOneShot(_ blocks: [Block], cap: Int, tag: Bool) {
        let state = Self.fold(blocks, cap: cap, tag: tag)
        let reports = state.reports(against: Self.baseline, baselineId: Self.baselineId, policies: [])
        #expect(reports.map(\.name) == ["x", "y", "c"])
        let x = blocks.flatMap(\.xNulled), y = blocks.flatMap(\.y)
        var expectedX = FeatureComparison.numeric(name: "x", baseline: Self.baseline["x"]!, current: x)
        let expectedY = FeatureComparison.numeric(name: "y", baseline: Self.baseline["y"]!, current: y)
        let xValidity = ValidityBitmap(valid: blocks.flatMap { $0.xValid ?? [Bool](repeating: true, count: $0.x.count) })
        expectedX.statistics.currentProfile = ColumnProfile(blocks.flatMap(\.x), validity: xValidity)  // NaN vs invalid
        for (expected, actual) in [(expectedX, reports[0]), (expectedY, reports[1])] {
            var e = expected
            let ep = e.statistics.currentProfile!, ap = actual.statistics.currentProfile!
            #expect(ap.count == ep.count && ap.nullCount == ep.nullCount && ap.nanCount == ep.nanCount)
            #expect(ap.positiveInfinityCount == ep.positiveInfinityCount && ap.negativeInfinityCount == ep.negativeInfinityCount)
            #expect(ap.minimum == ep.minimum && ap.maximum == ep.maximum)
            #expect(close(ap.mean, ep.mean, abs: 1e-300, rel: 1e-12))
            #expect(close(ap.sumOfSquaredDeviations, ep.sumOfSquaredDeviations, abs: 1e-300, rel: 1e-12))
            e.statistics.currentProfile = ap
            #expect(actual == e)
            #expect(actual.statistics.ksStatistic != nil && actual.statistics.psi != nil)
        }
        // categorical: the window's rows coded against the baseline's dictionary, new names appended sorted
        guard case .categorical(let cb) = Self.baseline["c"]! else { Issue.record("c is not categorical"); return }
        var dictionary = cb.dictionary
        let names = blocks.flatMap(\.c)
        let new = Set(names.compactMap { $0 }.filter { !dictionary.contains($0) })
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        dictionary += new
        let codes = names.map { n in n.map { UInt32(dictionary.firstIndex(of: $0)!) } ?? CategoryCounts.nullCode }
        let expectedC = FeatureComparison.categorical(name: "c", baseline: Self.baseline["c"]!, current: codes,
                                                      dictionarySize: dictionary.count)
        #expect(reports[2] == expectedC)
    }

    @Test func reportsEqualTheOneShotComparisonBelowTheCap() {
        let blocks = Self.blocks([300, 1, 250, 77], seed: 500)
        expectEqualToOneShot(blocks, cap: 10_000, tag: true)
        expectEqualToOneShot(blocks, cap: 10_000, tag: false)
        expectEqualToOneShot(Self.blocks([400, 300], seed: 520, shift: 0.4), cap: 10_000, tag: true)
    }

    @Test func capBoundary() {
        let blocks = Self.blocks([60, 45], seed: 600)
        let state = Self.fold(blocks)
        let nonNull = [0, 1].map { Int(state.rows - Self.numeric(state, $0).nulls) }
        let cap = nonNull.max()!, feature = nonNull.firstIndex(of: cap)!
        // cap = the largest non-null count: every value kept, the reports are the one-shot ones
        expectEqualToOneShot(blocks, cap: cap, tag: true)
        let atCap = Self.fold(blocks, cap: cap)
        #expect(!atCap.isSampled(feature: feature))
        #expect(Self.numeric(atCap, feature).kept.canonical().count == cap)
        // one value more than the cap: sampled, exactly cap values, noted
        let below = Self.fold(blocks, cap: cap - 1)
        #expect(below.isSampled(feature: feature))
        #expect(Self.numeric(below, feature).kept.canonical().count == cap - 1)
        let report = below.reports(against: Self.baseline, baselineId: Self.baselineId, policies: [])[feature]
        #expect(report.statistics.notes.contains("KS on a seeded uniform sample of \(cap - 1) of \(cap) window values"))
        // a cap one above the count keeps everything too
        let plusOne = Self.fold(blocks, cap: cap + 1)
        #expect(!plusOne.isSampled(feature: feature))
        #expect(plusOne.reports(against: Self.baseline, baselineId: Self.baselineId, policies: [])
            == atCap.reports(against: Self.baseline, baselineId: Self.baselineId, policies: []))
    }

    @Test func sampledWindowRunsKSOnTheSeededSample() {
        let blocks = Self.blocks([400, 350, 250], seed: 700, shift: 0.3)
        let cap = 200
        let state = Self.fold(blocks, cap: cap)
        let n = Self.numeric(state, 0)
        // the sample is the bottom-k of (hash(blockKey, row), value bits) over the non-null rows
        var entries: [WindowKeptValues.Entry] = []
        for b in blocks {
            for (r, v) in b.xNulled.enumerated() where !v.isNaN {
                entries.append(.init(priority: WindowKeptValues.priority(blockKey: b.key, row: r), bits: v.bitPattern))
            }
        }
        entries.sort()
        let sample = entries.prefix(cap).map { Double(bitPattern: $0.bits) }
        #expect(n.kept.canonical().map { Double(bitPattern: $0.bits) } == sample)
        let report = state.reports(against: Self.baseline, baselineId: Self.baselineId, policies: [])[0]
        let onSample = FeatureComparison.numeric(name: "x", baseline: Self.baseline["x"]!, current: sample)
        let allRows = FeatureComparison.numeric(name: "x", baseline: Self.baseline["x"]!, current: blocks.flatMap(\.xNulled))
        #expect(report.statistics.ksStatistic == onSample.statistics.ksStatistic)
        #expect(report.statistics.pValue == onSample.statistics.pValue)
        #expect(report.statistics.wasserstein == onSample.statistics.wasserstein)
        // PSI/JS, counts and the null-rate test from all rows (the bin counts are tagged with this baseline)
        #expect(report.statistics.psi == allRows.statistics.psi)
        #expect(report.statistics.jensenShannon == allRows.statistics.jensenShannon)
        #expect(report.statistics.currentRows == allRows.statistics.currentRows)
        #expect(report.statistics.currentCount == allRows.statistics.currentCount)
        #expect(report.statistics.nullRateTest == allRows.statistics.nullRateTest)
        #expect(report.statistics.notes.contains("KS on a seeded uniform sample of \(cap) of \(entries.count) window values"))
        // the same window folded without frozen bins: PSI/JS on the sample, noted
        let untagged = Self.fold(blocks, cap: cap, tag: false)
        let u = untagged.reports(against: Self.baseline, baselineId: Self.baselineId, policies: [])[0]
        #expect(u.statistics.psi == onSample.statistics.psi)
        #expect(u.statistics.notes.contains { $0.hasPrefix("PSI and JS on a seeded uniform sample") })
        // against another baseline id the tagged counts are not used either
        let other = state.reports(against: Self.baseline, baselineId: 8, policies: [])[0]
        #expect(other.statistics.psi == onSample.statistics.psi)
    }

    @Test func bottomKSampleOverManySmallBlocks() throws {
        var rng = SplitMix64(seed: 77)
        let blocks = (0..<60).map { Block(seed: 2_000 &+ UInt64($0), rows: 1 + rng.below(300)) }
        let cap = 777
        var state = WindowState(features: Self.features, valueCap: cap, correlationPairs: Self.pairs)
        var expected: [WindowKeptValues.Entry] = []
        for b in blocks {
            try state.fold(columns: b.columns, rows: Array(b.x.indices), blockKey: b.key, frozenBins: (Self.baselineId, Self.baseline))
            for (r, v) in b.xNulled.enumerated() where !v.isNaN {
                expected.append(.init(priority: WindowKeptValues.priority(blockKey: b.key, row: r), bits: v.bitPattern))
            }
            // the working set stays bounded: a sorted run of at most cap plus a tail of at most half of it (or 64)
            let kept = Self.numeric(state, 0).kept
            #expect(kept.sortedCount <= cap && kept.entries.count - kept.sortedCount <= Swift.max(64, kept.sortedCount / 2))
        }
        expected.sort()
        #expect(Self.numeric(state, 0).kept.canonical() == Array(expected.prefix(cap)))
        #expect(Self.numeric(state, 0).kept.seen == UInt64(expected.count))
    }

    @Test func binCountTagsDropOnMismatch() {
        let blocks = Self.blocks([100, 80], seed: 800)
        let tagged = Self.fold(blocks)
        guard case .tagged(let id, let counts) = Self.numeric(tagged, 0).bins else { Issue.record("not tagged"); return }
        #expect(id == Self.baselineId)
        #expect(counts.reduce(0, +) == tagged.rows - Self.numeric(tagged, 0).nulls)
        // folding with another baseline id drops the counts
        var s = Self.fold([blocks[0]])
        try! s.fold(columns: blocks[1].columns, rows: Array(blocks[1].x.indices), blockKey: blocks[1].key,
                    frozenBins: (99, Self.baseline))
        #expect(Self.numeric(s, 0).bins == .dropped)
        // merging two tags drops them, in either order; an empty state keeps the tag
        var a = Self.fold([blocks[0]])
        var b = WindowState(features: Self.features, valueCap: WindowState.defaultValueCap, correlationPairs: Self.pairs)
        try! b.fold(columns: blocks[1].columns, rows: Array(blocks[1].x.indices), blockKey: blocks[1].key,
                    frozenBins: (99, Self.baseline))
        var b2 = b
        try! a.merge(b)
        try! b2.merge(Self.fold([blocks[0]]))
        #expect(Self.numeric(a, 0).bins == .dropped && a == b2)
        var empty = WindowState(features: Self.features, valueCap: WindowState.defaultValueCap, correlationPairs: Self.pairs)
        try! empty.merge(Self.fold([blocks[0]]))
        #expect(empty == Self.fold([blocks[0]]))
        // the reports still equal the one-shot ones (every value kept)
        #expect(a.reports(against: Self.baseline, baselineId: Self.baselineId, policies: [])
            == tagged.reports(against: Self.baseline, baselineId: Self.baselineId, policies: []))
    }

    @Test func rowSubsetsAndMissingFeatures() {
        let block = Block(seed: 900, rows: 50)
        var s = WindowState(features: Self.features)
        try! s.fold(columns: block.columns, rows: [0, 3, 4, 49], blockKey: block.key, frozenBins: nil)
        #expect(s.rows == 4)
        try! s.fold(columns: block.columns, rows: [], blockKey: block.key, frozenBins: nil)
        #expect(s.rows == 4)
        let lacking = BaselineState(features: [("y", Self.baseline["y"]!)])
        let reports = s.reports(against: lacking, baselineId: 1, policies: [DriftPolicy(), DriftPolicy(), DriftPolicy()])
        #expect(reports[0].verdict.decision == .insufficientData)
        #expect(reports[0].statistics.notes == ["the baseline has no feature \"x\": insufficient data"])
        #expect(reports[0].statistics.currentRows == 4)
        #expect(reports[2].verdict.decision == .insufficientData)
    }

    // MARK: - Correlations

    @Test func correlationObservationsFromExactSums() {
        let blocks = Self.blocks([300, 200], seed: 1_000)
        let state = Self.fold(blocks)
        let observations = state.correlationObservations(against: Self.baseline)
        #expect(observations.map(\.pair) == [FeaturePair("x", "y")])  // ("y", "nope") is left out
        let x = blocks.flatMap(\.xNulled), y = blocks.flatMap(\.y).map(Double.init)
        let expected = try! CoMoments(columns: [x, y])
        let current = observations[0].current
        #expect(current.count == expected.count)
        for (a, b) in zip(current.means + current.comoments, expected.means + expected.comoments) {
            #expect(close(a, b, abs: 1e-9, rel: 1e-9))
        }
        #expect(observations[0].baseline == Self.baseline.correlation(of: "x", and: "y")!)
    }

    // MARK: - Encoding

    @Test func encodeDecodeRoundTrip() throws {
        for (cap, tag) in [(10_000, true), (30, true), (30, false), (1, true)] {
            let state = Self.fold(Self.blocks([120, 1, 64], seed: 1_100), cap: cap, tag: tag)
            let bytes = state.encode()
            let decoded = try WindowState.decode(bytes)
            #expect(decoded.encode() == bytes)
            #expect(decoded == state)
            #expect(decoded.features == state.features && decoded.valueCap == cap && decoded.correlationPairs == Self.pairs)
            #expect(decoded.reports(against: Self.baseline, baselineId: Self.baselineId, policies: [])
                == state.reports(against: Self.baseline, baselineId: Self.baselineId, policies: []))
            // a decoded state keeps folding and merging like the original
            var a = decoded, b = state
            let more = Self.blocks([90], seed: 1_200)
            a = Self.fold(more, cap: cap, tag: tag, into: a)
            b = Self.fold(more, cap: cap, tag: tag, into: b)
            #expect(a == b)
        }
        let empty = WindowState(features: [])
        #expect(try WindowState.decode(empty.encode()) == empty)
        // 16 bytes per kept value
        let big = Self.fold(Self.blocks([500], seed: 1_300), cap: 100_000)
        let small = Self.fold(Self.blocks([500], seed: 1_300), cap: 100)
        let kept = Self.numeric(big, 0).kept.canonical().count + Self.numeric(big, 1).kept.canonical().count - 200
        #expect(big.encode().count - small.encode().count == 16 * kept)
    }

    @Test func canonicallyEquivalentSpellingsAreOneCategory() throws {
        // folded: the spelling with the smaller UTF-8 bytes is kept, whatever arrives first
        let decomposed = "e\u{301}", composed = "\u{E9}"
        func block(_ names: [String]) -> [BaselineBuilder.Column] {
            [.categorical(codes: names.indices.map { UInt32($0) }, dictionary: names, validity: nil)]
        }
        var a = WindowState(features: [.init(name: "c", kind: .categorical)])
        try a.fold(columns: block([composed]), rows: [0], blockKey: 1, frozenBins: nil)
        try a.fold(columns: block([decomposed]), rows: [0], blockKey: 2, frozenBins: nil)
        var b = WindowState(features: [.init(name: "c", kind: .categorical)])
        try b.fold(columns: block([decomposed]), rows: [0], blockKey: 2, frozenBins: nil)
        try b.fold(columns: block([composed]), rows: [0], blockKey: 1, frozenBins: nil)
        #expect(a.encode() == b.encode())
        guard case .categorical(let c) = a.summaries[0] else { Issue.record("not categorical"); return }
        #expect(c.sorted.map { Array($0.name.utf8) } == [Array(decomposed.utf8)] && c.sorted.map(\.count) == [2])
        // a blob listing both spellings apart (bytes ascending) decodes into one category
        var w = _Writer()
        w.bytes += WindowState.magic
        w.u16(1); w.u16(0); w.u64(10); w.u64(5); w.u32(1); w.u32(0)
        w.string("c"); w.u8(2)
        var body = _Writer()
        body.u64(0); body.u32(2); body.string(decomposed); body.u64(2); body.string(composed); body.u64(3)
        w.u64(UInt64(body.bytes.count)); w.bytes += body.bytes
        let decoded = try WindowState.decode(w.bytes)
        guard case .categorical(let d) = decoded.summaries[0] else { Issue.record("not categorical"); return }
        #expect(d.sorted.map(\.count) == [5] && d.sorted.map { Array($0.name.utf8) } == [Array(decomposed.utf8)])
    }

    @Test func hostileBytesThrowTypedErrors() {
        let bytes = Self.fold(Self.blocks([40, 7], seed: 1_400), cap: 20).encode()
        for n in 0..<bytes.count {
            #expect(throws: WindowStateError.self) { try WindowState.decode(Array(bytes[..<n])) }
        }
        #expect(throws: WindowStateError.badMagic) { try WindowState.decode(Array("DBS2".utf8) + bytes.dropFirst(4)) }
        var rng = SplitMix64(seed: 42)
        var decodedSome = 0
        for _ in 0..<3_000 {
            var b = bytes
            for _ in 0..<(1 + rng.below(3)) { b[rng.below(b.count)] ^= UInt8(1 << rng.below(8)) }
            if let s = try? WindowState.decode(b) {
                // whatever decodes is usable: it re-encodes, reports and merges without trapping
                decodedSome += 1
                _ = s.encode()
                _ = s.reports(against: Self.baseline, baselineId: Self.baselineId, policies: [])
                _ = s.correlationObservations(against: Self.baseline)
                var t = s
                try? t.merge(s)
            }
        }
        #expect(decodedSome < 3_000)
        #expect(throws: WindowStateError.self) { try WindowState.decode(bytes + [0]) }
    }

    // MARK: - Refusals

    @Test func refusedFoldsAndMergesChangeNothing() {
        let block = Block(seed: 1_500, rows: 10)
        let state = Self.fold([Block(seed: 1_501, rows: 5)])
        var s = state
        #expect(throws: WindowStateError.columnCount(expected: 3, got: 2)) {
            try s.fold(columns: Array(block.columns.prefix(2)), rows: [0], blockKey: 1, frozenBins: nil)
        }
        var swapped = block.columns
        swapped.swapAt(0, 1)
        #expect(throws: WindowStateError.kindMismatch(feature: "x", expected: "float64", got: "float32")) {
            try s.fold(columns: swapped, rows: [0], blockKey: 1, frozenBins: nil)
        }
        #expect(throws: WindowStateError.self) { try s.fold(columns: block.columns, rows: [3, 3], blockKey: 1, frozenBins: nil) }
        #expect(throws: WindowStateError.self) { try s.fold(columns: block.columns, rows: [10], blockKey: 1, frozenBins: nil) }
        var bad = block.columns
        bad[2] = .categorical(codes: [UInt32](repeating: 99, count: 10), dictionary: ["a"], validity: nil)
        #expect(throws: WindowStateError.codeOutOfRange(feature: "c", code: 99, dictionarySize: 1)) {
            try s.fold(columns: bad, rows: [0, 1], blockKey: 1, frozenBins: nil)
        }
        var short = block.columns
        short[1] = .float32([1, 2], validity: nil)
        #expect(throws: WindowStateError.rowCountMismatch(feature: "y", expected: 10, got: 2)) {
            try s.fold(columns: short, rows: [0], blockKey: 1, frozenBins: nil)
        }
        #expect(s == state)
        #expect(throws: WindowStateError.self) { try s.merge(WindowState(features: Self.features, valueCap: 5, correlationPairs: Self.pairs)) }
        #expect(throws: WindowStateError.self) { try s.merge(WindowState(features: Array(Self.features.prefix(2)))) }
        #expect(s == state)
        #expect("\(WindowStateError.badMagic)".contains("DWS1"))
    }

    // MARK: - Rolling baseline

    static let builderFeatures: [BaselineBuilder.Feature] = [
        .init(name: "x", kind: .float64, bins: 10, seed: 5), .init(name: "y", kind: .float32, bins: 6, seed: 6),
        .init(name: "c", kind: .categorical, seed: 7)]

    @Test func rollingBaselineEqualsTheBuilderWhenNotSampled() throws {
        let windows = [Self.blocks([200, 50], seed: 1_600), Self.blocks([120], seed: 1_610), Self.blocks([90, 1, 30], seed: 1_620)]
        let states = windows.map { Self.fold($0, pairs: [FeaturePair("y", "x")]) }
        let rolling = try WindowState.rollingBaseline(from: states, features: Self.builderFeatures)
        var builder = try BaselineBuilder(features: Self.builderFeatures)
        for b in windows.flatMap({ $0 }) { try builder.append(b.columns) }
        let built = builder.finish()
        for name in ["x", "y"] {
            guard case .numeric(let r) = rolling[name]!, case .numeric(let b) = built[name]! else {
                Issue.record("\(name) not numeric"); continue
            }
            #expect(r.sortedValues.float64.storage.map(\.bitPattern) == b.sortedValues.float64.storage.map(\.bitPattern))
            #expect(r.sortedValues.isFloat32 == b.sortedValues.isFloat32)
            #expect(r.sortedValues.nullCount == b.sortedValues.nullCount)
            #expect(r.bins == b.bins && r.binCounts == b.binCounts && r.grid == b.grid)
            #expect(r.sampled == b.sampled && r.totalCount == b.totalCount)
            var p = r.profile
            #expect(close(p.mean, b.profile.mean, rel: 1e-12) && close(p.sumOfSquaredDeviations, b.profile.sumOfSquaredDeviations, rel: 1e-12))
            p.mean = b.profile.mean
            p.sumOfSquaredDeviations = b.profile.sumOfSquaredDeviations
            #expect(p == b.profile)
        }
        guard case .categorical(let rc) = rolling["c"]!, case .categorical(let bc) = built["c"]! else {
            Issue.record("c not categorical"); return
        }
        // the builder also lists dictionary entries no row used (count 0); the window knows only categories seen
        #expect(Dictionary(uniqueKeysWithValues: zip(rc.dictionary, rc.counts.counts))
            == Dictionary(uniqueKeysWithValues: zip(bc.dictionary, bc.counts.counts).filter { $0.1 > 0 }))
        #expect(rc.dictionary == rc.dictionary.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(rc.counts.nullCount == bc.counts.nullCount)
        let rx = rolling.correlation(of: "x", and: "y")!, bx = built.correlation(of: "x", and: "y")!
        #expect(rx.count == bx.count)
        for (a, b) in zip(rx.means + rx.comoments, bx.means + bx.comoments) { #expect(close(a, b, abs: 1e-9, rel: 1e-9)) }
        // it persists like any baseline
        #expect(try BaselineState.decode(rolling.encode()) == rolling)
    }

    @Test func sampledRollingBaselineIsMarkedAndNoted() throws {
        let windows = [Self.blocks([300], seed: 1_700), Self.blocks([250], seed: 1_710), Self.blocks([200], seed: 1_720)]
        let states = windows.map { Self.fold($0, cap: 100) }
        let rolling = try WindowState.rollingBaseline(from: states, features: Self.builderFeatures)
        guard case .numeric(let r) = rolling["x"]! else { Issue.record("x not numeric"); return }
        #expect(r.sampled && r.sortedValues.count == 100)
        let nonNull = windows.flatMap { $0 }.flatMap(\.xNulled).filter { !$0.isNaN }.count
        #expect(r.totalCount == nonNull)
        #expect(r.binCounts?.nonNullCount == nonNull)
        #expect(try BaselineState.decode(rolling.encode()) == rolling)
        let report = FeatureComparison.numeric(name: "x", baseline: rolling["x"]!, current: Self.blocks([100], seed: 1_730)[0].x)
        #expect(report.statistics.notes.contains("KS on a seeded uniform sample of 100 of \(nonNull) baseline values"))
        // a feature cap below the windows' sample re-samples and still persists
        var features = Self.builderFeatures
        features[0].cap = 40
        let narrower = try WindowState.rollingBaseline(from: states, features: features)
        #expect(try BaselineState.decode(narrower.encode()) == narrower)
        #expect(throws: WindowStateError.self) {
            try WindowState.rollingBaseline(from: states, features: [.init(name: "x", kind: .float32, seed: 1)])
        }
    }

    @Test func scaledCountsKeepProportionsAndTotal() {
        #expect(WindowState.scaled([1, 1, 1], to: 10) == [4, 3, 3])
        #expect(WindowState.scaled([0, 5, 5], to: 3) == [0, 2, 1])
        #expect(WindowState.scaled([2, 0, 6], to: 8) == [2, 0, 6])
    }
}

extension WindowStateTests {
    static func fold(_ blocks: [Block], cap: Int = WindowState.defaultValueCap, pairs: [FeaturePair]) -> WindowState {
        fold(blocks, cap: cap, into: WindowState(features: features, valueCap: cap, correlationPairs: pairs))
    }
}
