import DriftKernels
import DriftTestSupport
import Testing

@testable import DriftEngine

/// `FeatureComparison.numericApproximate` against the exact path on the same stored baseline, and the cost hint.
@Suite("Approximate (binned) comparisons and the comparison-work hint")
struct ApproximateComparisonTests {
    static func expectConsistent(_ approx: FeatureReport, _ exact: FeatureReport, _ label: String) {
        let a = approx.statistics, e = exact.statistics
        #expect(a.approximate && !e.approximate, "\(label)")
        #expect(a.pValueMethod == "binned", "\(label)")
        // the shared part is the exact one
        #expect(a.baselineProfile == e.baselineProfile && a.currentProfile == e.currentProfile, "\(label)")
        #expect(a.baselineCount == e.baselineCount && a.currentCount == e.currentCount, "\(label)")
        #expect(a.nullRateTest == e.nullRateTest && a.psi == e.psi && a.jensenShannon == e.jensenShannon && a.bins == e.bins,
                "\(label)")
        // KS: the exact D (as the exact path reports it) lies in [D, D + ε]
        let d = try! #require(a.ksStatistic), eps = try! #require(a.ksErrorBound), exactD = try! #require(e.ksStatistic)
        #expect(d <= exactD && exactD <= d + eps, "\(label): exact \(exactD) vs \(d) + \(eps)")
        #expect(eps < 2.0 / 1023, "\(label): ε \(eps)")
        #expect(a.pValue == TwoSampleKSPValue.pValue(d: d, n1: a.baselineCount, n2: a.currentCount, mode: .asymptotic).p)
        // Wasserstein within its bound
        let w = try! #require(a.wasserstein), we = try! #require(a.wassersteinErrorBound), exactW = try! #require(e.wasserstein)
        #expect(Swift.abs(w - exactW) <= we * (1 + 1e-9) + 1e-12, "\(label): W \(exactW) vs \(w) ± \(we)")
        #expect(a.notes.contains { $0.hasPrefix("approximate: binned KS over the baseline's") }, "\(label)")
    }

    @Test("float64: the same report as the exact path but for KS and W, which stay within their bounds",
          arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func float64(seed: UInt64) throws {
        let b = BaselineStateTests.messy(seed: seed, count: 2_000 + Int(seed) * 1_500)
        let c = BaselineStateTests.messy(seed: seed + 50, count: 500 + Int(seed) * 700, shift: Double(seed % 3) * 0.15)
        let fb = try BaselineState.decode(BaselineState(features: [("f", .numeric(values: b, bins: 10, seed: seed))]).encode())["f"]!
        Self.expectConsistent(FeatureComparison.numericApproximate(name: "f", baseline: fb, current: c),
                              FeatureComparison.numeric(name: "f", baseline: fb, current: c), "seed \(seed)")
    }

    @Test("float32 columns against float32 and float64 baselines", arguments: [UInt64(7), 8, 9])
    func float32(seed: UInt64) throws {
        let b = BaselineStateTests.messy(seed: seed, count: 12_000).map(Float.init)
        let c = BaselineStateTests.messy(seed: seed + 9, count: 3_000, shift: 0.1).map(Float.init)
        let f32 = FeatureBaseline.numeric(values: b, seed: 1)
        let f64 = FeatureBaseline.numeric(values: b.map(Double.init), seed: 1)
        for fb in [f32, f64] {
            Self.expectConsistent(FeatureComparison.numericApproximate(name: "f", baseline: fb, current: c),
                                  FeatureComparison.numeric(name: "f", baseline: fb, current: c), "seed \(seed)")
            // a float32 column is counted exactly as its float64 widening
            let wide = FeatureComparison.numericApproximate(name: "f", baseline: fb, current: c.map(Double.init))
            let narrow = FeatureComparison.numericApproximate(name: "f", baseline: fb, current: c)
            #expect(narrow.statistics.ksStatistic == wide.statistics.ksStatistic)
            #expect(narrow.statistics.ksErrorBound == wide.statistics.ksErrorBound)
        }
    }

    /// Shifts away from the thresholds (W/σ 0.1 and 0.5): at a threshold the estimate, within its bound, may fall
    /// on either side of it, like any statistic of a sample.
    @Test("the same policy decides: clear drift and clear stability agree with the exact path")
    func verdicts() {
        let b = TestData.normal(seed: 1, count: 50_000)
        let fb = FeatureBaseline.numeric(values: b, seed: 1)
        for (shift, decision) in [(0.0, Decision.stable), (0.3, .drift), (1.5, .drift)] {
            let c = TestData.normal(seed: 2, count: 20_000, mean: shift)
            let approx = FeatureComparison.numericApproximate(name: "x", baseline: fb, current: c)
            let exact = FeatureComparison.numeric(name: "x", baseline: fb, current: c)
            #expect(approx.verdict.decision == decision && exact.verdict.decision == decision, "shift \(shift)")
            #expect(approx.verdict.severity == exact.verdict.severity, "shift \(shift)")
            #expect(approx.verdict.severity == (shift == 0 ? .none : shift < 1 ? .warning : .critical), "shift \(shift)")
            Self.expectConsistent(approx, exact, "shift \(shift)")
        }
    }

    @Test("sampled baselines: the grid describes every value, so no sample note; a DBS1 baseline notes its sample")
    func sampled() throws {
        let values = BaselineStateTests.messy(seed: 3, count: 6_000)
        let fb = FeatureBaseline.numeric(values: values, cap: 1_000, seed: 4)
        let c = BaselineStateTests.messy(seed: 4, count: 2_000)
        let approx = FeatureComparison.numericApproximate(name: "s", baseline: fb, current: c)
        #expect(!approx.statistics.notes.contains { $0.hasPrefix("KS on a seeded") })
        // compared with the exact KS over all baseline values (what the grid describes)
        let full = FeatureComparison.numeric(name: "s", baseline: FeatureBaseline.numeric(values: values, seed: 4), current: c)
        Self.expectConsistent(approx, full, "sampled")
        guard case .numeric(var n) = fb else { return }
        n.grid = n.sortedValues.grid  // as decoded from DBS1
        let legacy = FeatureComparison.numericApproximate(name: "s", baseline: .numeric(n), current: c)
        #expect(legacy.statistics.notes.contains("KS on a seeded uniform sample of \(n.sortedValues.count) of \(n.totalCount) baseline values"))
    }

    @Test("edge cases: empty current, all-null baseline, only infinities, categorical baseline")
    func edges() throws {
        let fb = FeatureBaseline.numeric(values: [1, 2, 3, 4] as [Double], seed: 0)
        let empty = FeatureComparison.numericApproximate(name: "e", baseline: fb, current: [Double]())
        #expect(empty.statistics.ksStatistic == nil && empty.verdict.decision == .insufficientData)
        #expect(empty.statistics.notes.contains("KS: current sample has no non-null values"))
        let nulls = FeatureComparison.numericApproximate(name: "e", baseline: .numeric(values: [Double.nan], seed: 0),
                                                         current: [1.0, 2])
        #expect(nulls.statistics.ksStatistic == nil && nulls.statistics.psi == nil)
        let inf = FeatureComparison.numericApproximate(name: "e", baseline: .numeric(values: [Double.infinity, 1], seed: 0),
                                                       current: [Double.infinity, .infinity])
        #expect(inf.statistics.ksStatistic == 0.5 && inf.statistics.wasserstein == nil)
        let cat = try FeatureBaseline.categorical(codes: [0], dictionary: ["a"])
        let mismatch = FeatureComparison.numericApproximate(name: "e", baseline: cat, current: [1.0])
        #expect(mismatch.statistics.notes == ["the baseline of e is categorical, not numeric"])
    }

    @Test("comparison work: sort, merge or gallop, exact p-value recursion, binned searches")
    func work() {
        let grid = 1024
        let large = FeatureBaseline.numeric(values: (0..<100_000).map { Double($0) }, seed: 1)
        let w = large.comparisonWork(currentCount: 10_000)
        #expect(w.currentValues == 10_000 && w.sortValues == 10_000)
        // n/m = 10 ≥ 4: the indexed walk — a fence step and a rank block per value, Wasserstein one step per value
        #expect(w.ksMergeSteps == 20_000 && w.wassersteinSteps == 10_000)
        #expect(!w.exactPValueRecursion && w.exactPValueCells == 0)
        #expect(w.gridEdges == grid && w.gridSearchSteps == 10_000 * 11)
        let gallop = large.comparisonWork(currentCount: 100)
        // n/m = 1000: plus a gallop over ⌈n / (256 m)⌉ = 4 super-fence blocks (⌈log₂ 4⌉ = 2)
        #expect(gallop.ksMergeSteps == 100 * (2 + 2))
        let small = FeatureBaseline.numeric(values: (0..<10_000).map { Double($0) }, seed: 1)
        let r = small.comparisonWork(currentCount: 9_999)
        #expect(r.exactPValueRecursion && r.exactPValueCells == 10_000 * 10_000)
        #expect(!small.comparisonWork(currentCount: 10_000).exactPValueRecursion, "equal sizes: closed form")
        #expect(!small.comparisonWork(currentCount: 10_001).exactPValueRecursion, "beyond 10 000: asymptotic")
        let sampled = FeatureBaseline.numeric(values: (0..<50_000).map { Double($0) }, cap: 5_000, seed: 1)
        #expect(sampled.comparisonWork(currentCount: 3_000).exactPValueRecursion, "the exact path runs on the sample")
        let cat = try! FeatureBaseline.categorical(codes: [0, 1], dictionary: ["a", "b"])
        #expect(cat.comparisonWork(currentCount: 77) == ComparisonWork(
            currentValues: 77, sortValues: 0, ksMergeSteps: 0, wassersteinSteps: 0, exactPValueRecursion: false,
            exactPValueCells: 0, gridEdges: 0, gridSearchSteps: 0))
    }
}
