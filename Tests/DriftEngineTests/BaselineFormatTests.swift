import DriftKernels
import DriftTestSupport
import Testing

@testable import DriftEngine

/// Format 2 ("DBS2"): KS grids and the correlation section round-trip, "DBS1" states still decode, and corrupt or
/// truncated bytes throw.
@Suite("Baseline state format 2: DBS1 upgrade, grids and co-moments, corruption")
struct BaselineFormatTests {
    /// The features of ``DBS1Fixture/medium`` (built by the same calls when the fixture was written).
    static func mediumFeatures() throws -> [(name: String, baseline: FeatureBaseline)] {
        [("m", .numeric(values: BaselineStateTests.messy(seed: 5, count: 300), bins: 10, seed: 7)),
         ("s", .numeric(values: BaselineStateTests.messy(seed: 6, count: 400), bins: 8, cap: 100, seed: 9)),
         ("f", .numeric(values: BaselineStateTests.messy(seed: 7, count: 250).map(Float.init), bins: 5, seed: 3)),
         ("k", try FeatureBaseline.categorical(codes: [0, 2, 2, 1, CategoryCounts.nullCode, 0], dictionary: ["a", "b", "ç"]))]
    }

    /// What decoding the "DBS1" bytes of `state` gives: no co-moments, each numeric grid from the sorted values.
    static func asDecodedFromV1(_ state: BaselineState) -> BaselineState {
        BaselineState(features: state.features.map { name, baseline in
            guard case .numeric(var n) = baseline else { return (name, baseline) }
            n.grid = n.sortedValues.grid
            return (name, .numeric(n))
        })
    }

    /// The format-1 encoder as it was before format 2 (commit c0572d3), kept here to write "DBS1" bytes.
    static func encodeV1(_ state: BaselineState) -> [UInt8] {
        var w = _Writer()
        w.bytes.append(contentsOf: Array("DBS1".utf8))
        w.u16(1)
        w.u16(0)
        w.u32(UInt32(state.features.count))
        for (name, baseline) in state.features {
            w.string(name)
            var body = _Writer()
            switch baseline {
            case .numeric(let n):
                w.u8(n.sortedValues.isFloat32 ? 3 : 1)
                body.u8(n.sampled ? 1 : 0)
                body.u32(UInt32(bitPattern: Int32(clamping: n.requestedBins)))
                body.u64(UInt64(n.totalCount))
                let p = n.profile
                for c in [p.count, p.nullCount, p.nanCount, p.positiveInfinityCount, p.negativeInfinityCount] { body.u64(UInt64(c)) }
                body.u8(p.minimum == nil ? 0 : 1); body.f64(p.minimum ?? 0)
                body.u8(p.maximum == nil ? 0 : 1); body.f64(p.maximum ?? 0)
                body.f64(p.mean); body.f64(p.sumOfSquaredDeviations)
                let s = n.sortedValues
                for c in [s.nullCount, s.negativeInfinityCount, s.positiveInfinityCount, s.finiteCount] { body.u64(UInt64(c)) }
                switch s {
                case .float64(let v): v.withFiniteValues { for x in $0 { body.u64(x.bitPattern) } }
                case .float32(let v): v.withFiniteValues { for x in $0 { body.u32(x.bitPattern) } }
                }
                if let bins = n.bins, let counts = n.binCounts {
                    body.u32(UInt32(bins.edges.count))
                    for e in bins.edges { body.f64(e) }
                    body.u32(UInt32(counts.counts.count))
                    for c in counts.counts { body.u64(UInt64(c)) }
                    body.u64(UInt64(counts.nullCount))
                } else {
                    body.u32(0)
                }
            case .categorical(let c):
                w.u8(2)
                body.u32(UInt32(c.dictionary.count))
                for entry in c.dictionary { body.string(entry) }
                body.u32(UInt32(c.counts.counts.count))
                for x in c.counts.counts { body.u64(UInt64(x)) }
                body.u64(UInt64(c.counts.nullCount))
            }
            w.u64(UInt64(body.bytes.count))
            w.bytes.append(contentsOf: body.bytes)
        }
        return w.bytes
    }

    // MARK: - DBS1

    @Test("committed DBS1 bytes decode: no co-moments, grids from the sorted values; they re-encode as DBS2")
    func legacyFixture() throws {
        let small = try BaselineState.decode(DBS1Fixture.small)
        #expect(small == BaselineStateTests.smallState())  // unsampled: the derived grids are the built ones
        #expect(small.correlations == nil)
        let built = BaselineState(features: try Self.mediumFeatures())
        let medium = try BaselineState.decode(DBS1Fixture.medium)
        #expect(medium == Self.asDecodedFromV1(built))
        guard case .numeric(let s)? = medium["s"], case .numeric(let sBuilt)? = built["s"] else { Issue.record("s"); return }
        #expect(s.sampled && s.grid.baseline.count == 100 && sBuilt.grid.baseline.count == s.totalCount)
        // the encoder kept in this test writes exactly the committed bytes
        #expect(Self.encodeV1(BaselineStateTests.smallState()) == DBS1Fixture.small)
        #expect(Self.encodeV1(built) == DBS1Fixture.medium)
        // an upgraded state is written as DBS2 and reads back the same
        for state in [small, medium] {
            let bytes = state.encode()
            #expect(Array(bytes.prefix(6)) == Array("DBS2".utf8) + [2, 0])
            #expect(try BaselineState.decode(bytes) == state)
        }
    }

    @Test("DBS1 written by the old encoder decodes for seeded states (sampled, float32, ±inf, all-null)",
          arguments: [UInt64(1), 2, 3, 4])
    func legacyRoundTrips(seed: UInt64) throws {
        let state = BaselineState(features: [
            ("a", .numeric(values: BaselineStateTests.messy(seed: seed, count: 1_500), bins: 10, seed: seed)),
            ("b", .numeric(values: BaselineStateTests.messy(seed: seed + 10, count: 2_000), bins: 12, cap: 333, seed: seed)),
            ("c", .numeric(values: BaselineStateTests.messy(seed: seed + 20, count: 900).map(Float.init), bins: 4, cap: 500, seed: 2)),
            ("n", .numeric(values: [Double.nan, .nan], seed: 1)),
            ("i", .numeric(values: [Double.infinity, -.infinity], seed: 1)),
            ("k", try FeatureBaseline.categorical(codes: [1, 1, 0], dictionary: ["x", "y"])),
        ])
        let decoded = try BaselineState.decode(Self.encodeV1(state))
        #expect(decoded == Self.asDecodedFromV1(state))
        #expect(decoded.correlations == nil)
    }

    // MARK: - DBS2

    /// Three numeric features (float64, categorical between them, float32) with co-moments, built from one block.
    static func correlatedState(rows: Int = 50) throws -> BaselineState {
        var builder = try BaselineBuilder(features: [
            .init(name: "x", kind: .float64, bins: 10, seed: 1), .init(name: "k", kind: .categorical, seed: 2),
            .init(name: "y", kind: .float32, bins: 5, seed: 3),
        ])
        let x = (0..<rows).map { Double($0 % 23) + ($0 % 7 == 0 ? .nan : 0) }
        let y = (0..<rows).map { Float($0 % 23) * 0.5 + Float($0 % 3) }
        try builder.append([.float64(x), .categorical(codes: (0..<rows).map { UInt32($0 % 3) }, dictionary: ["p", "q", "r"]),
                            .float32(y)])
        return builder.finish()
    }

    @Test("DBS2 with co-moments round-trips bit for bit; the correlation survives")
    func roundTrip() throws {
        let state = try Self.correlatedState(rows: 5_000)
        let bytes = state.encode()
        let decoded = try BaselineState.decode(bytes)
        #expect(decoded == state && decoded.encode() == bytes)
        let c = try #require(decoded.correlation(of: "x", and: "y"))
        #expect(c.count == 5_000 - (0..<5_000).filter { $0 % 7 == 0 }.count)
        // r by the textbook formula in float64 over the rows where both are finite (x is NaN at every 7th row)
        let rows = (0..<5_000).filter { $0 % 7 != 0 }
        let x = rows.map { Double($0 % 23) }, y = rows.map { Double(Float($0 % 23) * 0.5 + Float($0 % 3)) }
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        let sxy = zip(x, y).reduce(0.0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = x.reduce(0.0) { $0 + ($1 - mx) * ($1 - mx) }, syy = y.reduce(0.0) { $0 + ($1 - my) * ($1 - my) }
        #expect(close(try c.correlation(0, 1), sxy / (sxx * syy).squareRoot(), rel: 1e-12))
        #expect(close(c.means[0], mx, rel: 1e-13) && close(c.means[1], my, rel: 1e-13))
    }

    @Test("every truncation of a DBS2 state with grids and co-moments throws; trailing bytes too")
    func truncations() throws {
        let bytes = try Self.correlatedState().encode()
        for n in 0..<bytes.count {
            #expect(throws: BaselineStateError.self) { try BaselineState.decode(Array(bytes.prefix(n))) }
        }
        #expect(throws: BaselineStateError.self) { try BaselineState.decode(bytes + [0]) }
    }

    @Test("4 000 seeded random mutations of a DBS2 state decode or throw; what decodes re-encodes and decodes again")
    func mutations() throws {
        let bytes = try Self.correlatedState().encode()
        var rng = SplitMix64(seed: 7)
        var accepted = 0
        for _ in 0..<4_000 {
            var m = bytes
            for _ in 0...rng.below(3) {
                let i = rng.below(m.count)
                switch rng.below(3) {
                case 0: m[i] = UInt8(truncatingIfNeeded: rng.next())
                case 1: m[i] ^= 1 << UInt8(rng.below(8))
                default: m[i] = [0, 0xFF, 0x7F, 0x80][rng.below(4)]
                }
            }
            guard let state = try? BaselineState.decode(m) else { continue }
            accepted += 1
            #expect(try BaselineState.decode(state.encode()) == state)
        }
        #expect(accepted > 0 && accepted < 4_000)
    }

    @Test("corrupt correlation sections and grids throw")
    func corruptions() throws {
        let state = try Self.correlatedState()
        let good = state.encode()
        #expect(try BaselineState.decode(good) == state)
        let corrAt = good.count - (4 + 2 * 4 + 48)
        func with(_ offset: Int, u32 v: UInt32, in bytes: [UInt8] = good) -> [UInt8] {
            var m = bytes
            for i in 0..<4 { m[offset + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
            return m
        }
        #expect(Array(good[corrAt..<(corrAt + 12)]) == [2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0])
        for bad in [with(corrAt, u32: 1), with(corrAt, u32: 33), with(corrAt, u32: 3), with(corrAt + 8, u32: 0),
                    with(corrAt + 8, u32: 1), with(corrAt + 8, u32: 3), with(corrAt + 4, u32: 2), Array(good[..<corrAt]),
                    Array(good[..<(good.count - 1)])] {
            #expect(throws: BaselineStateError.self) { try BaselineState.decode(bad) }
        }
        // no correlation section at all: fine, decodes without co-moments
        #expect(try BaselineState.decode(with(corrAt, u32: 0, in: Array(good[..<(corrAt + 4)]))).correlations == nil)

        // grids that contradict the rest of the feature
        guard case .numeric(let x)? = state["x"] else { Issue.record("x"); return }
        let values = x.sortedValues.float64.withFiniteValues { Array($0) }
        let otherGrids = [KSGrid(sortedBaseline: SortedSample(values.map { $0 + 1 })),  // other edges, same counts
                          KSGrid(sortedBaseline: SortedSample(Array(values.dropLast()))),  // one value short
                          KSGrid(sortedBaseline: SortedSample(values), maximumEdges: 5)]  // coarser than frozen
        for grid in otherGrids {
            var n = x
            n.grid = grid
            var edited = state
            edited.features[0].baseline = .numeric(n)
            #expect(throws: BaselineStateError.self) { try BaselineState.decode(edited.encode()) }
        }
        // raw grid fields of feature x: g beyond 1024, g off by one, two edges swapped
        let body = 12 + 4 + 1 + 1 + 8
        let k = x.bins!.edges.count
        let gridAt = body + 13 + 74 + 32 + 8 * x.sortedValues.finiteCount + (4 + 8 * k + 4 + 8 * (k + 1) + 8)
        let g = x.grid.edges.count
        #expect(Array(good[gridAt..<(gridAt + 4)]) == [UInt8(g), 0, 0, 0])
        var swapped = good
        let e0 = gridAt + 4 + 32
        for i in 0..<8 { swapped.swapAt(e0 + i, e0 + 8 + i) }
        for bad in [with(gridAt, u32: 1025), with(gridAt, u32: UInt32(g + 1)), with(gridAt, u32: UInt32(g - 1)), swapped] {
            #expect(throws: BaselineStateError.self) { try BaselineState.decode(bad) }
        }
    }
}
