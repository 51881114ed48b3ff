import DriftEngine
import DriftKernels
import Testing

/// `WindowState.histogram(feature:against:baselineId:)`: a window beside its baseline on the baseline's bins.
@Suite("Window histogram on a baseline's bins")
struct WindowHistogramTests {
    static let baselineValues = (0..<1000).map { Double($0) / 10 }  // 0 … 99.9, ten equal quantile bins

    static func baseline() throws -> BaselineState {
        try BaselineState(features: [
            ("x", FeatureBaseline.numeric(values: baselineValues, seed: 1)),
            ("c", FeatureBaseline.categorical(codes: [0, 0, 1, 2, UInt32.max], dictionary: ["a", "b", "c"])),
        ])
    }

    static func window(_ x: [Double], _ c: [UInt32], dictionary: [String], tag: (id: UInt64, state: BaselineState)?,
                       cap: Int = 100_000) throws -> WindowState {
        var w = WindowState(features: [.init(name: "x", kind: .float64), .init(name: "c", kind: .categorical)], valueCap: cap)
        try w.fold(columns: [.float64(x), .categorical(codes: c, dictionary: dictionary)], rows: Array(x.indices), blockKey: 7,
                   frozenBins: tag)
        return w
    }

    @Test("numeric: tagged counts on the frozen bins, the same recomputed from kept values without a tag; nulls and tails")
    func numeric() throws {
        let b = try Self.baseline()
        let x: [Double] = [-5, 0.5, 15, 15.5, .nan, 99.9, 250, .infinity]
        let c: [UInt32] = Array(repeating: 0, count: x.count)
        let tagged = try Self.window(x, c, dictionary: ["a"], tag: (3, b))
        let h = try #require(tagged.histogram(feature: "x", against: b, baselineId: 3))
        #expect(h.kind == .numeric && h.edges.count == 11 && h.baseline.count == 12 && h.current.count == 12)
        #expect(h.baseline == [0] + Array(repeating: 100, count: 10) + [0])
        // Edges: 0, 9.99, …, 89.91 (quantiles at k/10), nextUp(99.9) — the baseline's maximum ends the last interior
        // bin. -5 below; 0.5 in bin 1; 15 and 15.5 in bin 2; 99.9 (the maximum) in the last interior bin; 250 and
        // +inf above (so would 99.95: above the baseline's range).
        #expect(h.current == [1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 1, 2])
        #expect(h.currentNulls == 1 && h.currentRows == 8 && !h.currentSampled)
        #expect(h.currentNullRate == 0.125)
        let untagged = try Self.window(x, c, dictionary: ["a"], tag: nil)
        #expect(untagged.histogram(feature: "x", against: b, baselineId: 3)?.current == h.current)
        // Counts tagged with another baseline's id are not these bins': recomputed, same answer here.
        #expect(tagged.histogram(feature: "x", against: b, baselineId: 4)?.current == h.current)
        #expect(try #require(h.psi) > 1)
    }

    @Test("categorical: the baseline's categories in dictionary order, the window's new ones after them")
    func categorical() throws {
        let b = try Self.baseline()
        let w = try Self.window([1, 2, 3, 4], [0, 1, 1, UInt32.max], dictionary: ["zz", "b"], tag: nil)
        let h = try #require(w.histogram(feature: "c", against: b, baselineId: 1))
        #expect(h.kind == .categorical && h.categories == ["a", "b", "c", "zz"])
        #expect(h.baseline == [2, 1, 1, 0] && h.current == [0, 2, 0, 1])
        #expect(h.baselineNulls == 1 && h.currentNulls == 1 && h.currentRows == 4)
        #expect(w.histogram(feature: "missing", against: b, baselineId: 1) == nil)
    }
}
