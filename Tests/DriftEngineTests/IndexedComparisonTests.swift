import DriftKernels
import DriftTestSupport
import Testing

@testable import DriftEngine

/// Comparisons against a baseline many times larger than the column take the indexed path
/// (``NumericBaseline/comparisonIndex``): the reports must be the ones of the one-shot path, bit for bit, for every
/// width combination and after a round trip through the binary format.
@Suite("Indexed comparisons against large stored baselines")
struct IndexedComparisonTests {
    static func messy(seed: UInt64, count: Int, shift: Double = 0) -> [Double] {
        BaselineStateTests.messy(seed: seed, count: count, shift: shift)
    }

    @Test("n ≫ m: stored, decoded and one-shot reports are identical (nulls, ties, ±inf)",
          arguments: [(UInt64(1), 20_000, 300), (2, 30_000, 1_000), (3, 9_000, 1_000), (4, 50_000, 64), (5, 4_000, 7)])
    func identicalReports(seed: UInt64, n: Int, m: Int) throws {
        let baseline = Self.messy(seed: seed, count: n)
        let current = Self.messy(seed: seed &+ 50, count: m, shift: Double(seed % 3) * 0.05)
        let old = FeatureComparison.numeric(name: "f", baseline: baseline, current: current)
        let fb = FeatureBaseline.numeric(values: baseline, seed: seed)
        guard case .numeric(let nb) = fb, case .float64(let index) = nb.comparisonIndex else {
            Issue.record("a float64 numeric baseline")
            return
        }
        #expect(IndexedSortedSample<Double>.prefersIndex(baselineFiniteCount: index.sample.finiteCount,
                                                         currentFiniteCount: SortedSample(current).finiteCount))
        #expect(old.statistics.ksStatistic != nil && old.statistics.wasserstein != nil)
        #expect(FeatureComparison.numeric(name: "f", baseline: fb, current: current) == old)
        let stored = try BaselineState.decode(BaselineState(features: [("f", fb)]).encode())["f"]!
        #expect(FeatureComparison.numeric(name: "f", baseline: stored, current: current) == old)
        // the statistics themselves: KS as the merge computes it, W within 1e-12 of the merge
        let sb = SortedSample(baseline), sc = SortedSample(current)
        let merged = try KolmogorovSmirnovTest(baseline: sb, current: sc)
        #expect(old.statistics.ksStatistic == merged.statistic.d && old.statistics.pValue == merged.pValue)
        let walk = try WassersteinDistance.compute(baseline: sb, current: sc)
        #expect(close(old.statistics.wasserstein!, walk, rel: 1e-12))
    }

    @Test("float32 baseline: float32 columns, float32-exact float64 columns and other float64 columns")
    func float32Baseline() throws {
        let b = Self.messy(seed: 41, count: 25_000).map(Float.init)
        let c32 = Self.messy(seed: 42, count: 900, shift: 0.1).map(Float.init)
        let fb = try BaselineState.decode(BaselineState(features: [("f", .numeric(values: b, seed: 1))]).encode())["f"]!
        guard case .numeric(let nb) = fb, case .float32 = nb.comparisonIndex else {
            Issue.record("a float32 numeric baseline")
            return
        }
        let oneShot = FeatureComparison.numeric(name: "f", baseline: b.map(Double.init), current: c32.map(Double.init))
        let f32 = FeatureComparison.numeric(name: "f", baseline: fb, current: c32)
        // a float64 column holding float32 values runs in float32: the same bits as the float32 column
        let exact64 = FeatureComparison.numeric(name: "f", baseline: fb, current: c32.map(Double.init))
        #expect(exact64 == f32)
        // a float64 column with values between floats widens the baseline: the one-shot path on widened values
        let fine = c32.map { Double($0) + 1e-9 }
        let widened = FeatureComparison.numeric(name: "f", baseline: fb, current: fine)
        let fineOneShot = FeatureComparison.numeric(name: "f", baseline: b.map(Double.init), current: fine)
        #expect(widened.statistics.ksStatistic == fineOneShot.statistics.ksStatistic)
        #expect(widened.statistics.pValue == fineOneShot.statistics.pValue)
        #expect(widened.statistics.wasserstein == fineOneShot.statistics.wasserstein)
        for new in [f32, exact64] {
            let n = new.statistics, o = oneShot.statistics
            #expect(n.ksStatistic == o.ksStatistic && n.pValue == o.pValue && n.pValueMethod == o.pValueMethod)
            #expect(close(n.wasserstein!, o.wasserstein!, rel: 1e-12))
            #expect(n.psi == o.psi && n.jensenShannon == o.jensenShannon)
            #expect(new.verdict.decision == oneShot.verdict.decision)
        }
    }

    @Test("float32 column against a float64 baseline: widened current, the one-shot results")
    func float64Baseline() throws {
        let b = Self.messy(seed: 51, count: 12_000)
        let c = Self.messy(seed: 52, count: 700, shift: 0.2).map(Float.init)
        let fb = FeatureBaseline.numeric(values: b, seed: 2)
        let new = FeatureComparison.numeric(name: "f", baseline: fb, current: c)
        let old = FeatureComparison.numeric(name: "f", baseline: b, current: c.map(Double.init))
        #expect(new == old)
    }

    @Test("the index follows the sorted values: built on creation and decode, rebuilt when they are replaced")
    func indexFollowsValues() throws {
        guard case .numeric(var nb) = FeatureBaseline.numeric(values: Self.messy(seed: 61, count: 5_000), seed: 1) else {
            Issue.record("numeric")
            return
        }
        guard case .float64(let before) = nb.comparisonIndex else { Issue.record("float64"); return }
        #expect(before.sample.finiteCount == nb.sortedValues.finiteCount)
        #expect(nb.comparisonIndex.memoryOverheadBytes > 0)
        #expect(nb.comparisonIndex.memoryOverheadBytes < nb.sortedValues.finiteCount * 2)
        nb.sortedValues = .float32(SortedSample([1, 2, 3] as [Float]))
        guard case .float32(let after) = nb.comparisonIndex else { Issue.record("rebuilt as float32"); return }
        #expect(after.sample.finiteCount == 3)
    }

    @Test("comparison work counts the indexed walk when the baseline is large")
    func work() {
        let fb = FeatureBaseline.numeric(values: Self.messy(seed: 71, count: 40_000), seed: 1)
        guard case .numeric(let nb) = fb else { return }
        let nf = nb.sortedValues.finiteCount
        let small = fb.comparisonWork(currentCount: 1_000)  // n/m ≈ 38: one fence step, one block
        #expect(small.ksMergeSteps == 2_000 && small.wassersteinSteps == 1_000)
        let tiny = fb.comparisonWork(currentCount: 10)  // n/m ≈ 3 800: plus a gallop over ⌈n/2560⌉ = 16 fence blocks
        #expect(tiny.ksMergeSteps == 10 * (2 + 4) && tiny.wassersteinSteps == 10)
        let alike = fb.comparisonWork(currentCount: 30_000)
        #expect(alike.ksMergeSteps == nb.sortedValues.count + 30_000 && alike.wassersteinSteps == nf + 30_000)
    }
}
