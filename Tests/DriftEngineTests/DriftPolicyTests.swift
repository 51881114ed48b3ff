import DriftKernels
import DriftTestSupport
import Foundation
import Testing

@testable import DriftEngine

@Suite("Verdict policy: significant AND material")
struct DriftPolicyTests {
    @Test("0.02σ shift on a million rows: significant but not material")
    func tinyShiftLargeSample() {
        let b = TestData.normal(seed: 1, count: 1_000_000)
        let c = TestData.normal(seed: 2, count: 1_000_000, mean: 0.02)
        let r = FeatureComparison.numeric(name: "x", baseline: b, current: c)
        #expect(r.statistics.pValue! < 1e-10, "the test alone would flag it")
        #expect(r.verdict.decision == .stable)
        #expect(r.verdict.reasons.contains { $0.contains("not material") })
    }

    @Test("0.2σ shift on ten thousand rows: drift")
    func materialShift() {
        let b = TestData.normal(seed: 3, count: 10_000)
        let c = TestData.normal(seed: 4, count: 10_000, mean: 0.2)
        let r = FeatureComparison.numeric(name: "x", baseline: b, current: c)
        #expect(r.verdict.decision == .drift)
        #expect(r.verdict.severity == .warning)
        #expect(r.statistics.normedWasserstein! > 0.15)
    }

    @Test("a 1σ shift is critical")
    func criticalShift() {
        let r = FeatureComparison.numeric(name: "x", baseline: TestData.normal(seed: 5, count: 5000),
                                          current: TestData.normal(seed: 6, count: 5000, mean: 1))
        #expect(r.verdict == Verdict(decision: .drift, severity: .critical, reasons: r.verdict.reasons))
    }

    @Test("same distribution: stable, across seeds")
    func noDrift() {
        var falseAlarms = 0
        for seed in 0..<40 {
            let r = FeatureComparison.numeric(name: "x", baseline: TestData.normal(seed: 100 + UInt64(seed), count: 2000),
                                              current: TestData.normal(seed: 200 + UInt64(seed), count: 2000))
            if r.verdict.decision == .drift { falseAlarms += 1 }
        }
        #expect(falseAlarms == 0)
    }

    @Test("nulls 0% → 30% with unchanged values: critical null-rate drift")
    func nullRate() {
        let b = TestData.normal(seed: 7, count: 5000)
        var c = TestData.normal(seed: 8, count: 5000)
        for i in stride(from: 0, to: c.count, by: 10) { for k in 0..<3 where i + k < c.count { c[i + k] = .nan } }
        let r = FeatureComparison.numeric(name: "x", baseline: b, current: c)
        #expect(r.verdict.decision == .drift && r.verdict.severity == .critical)
        #expect(r.verdict.reasons.first!.contains("null rate"))
        #expect(Swift.abs(r.statistics.currentNullRate - 0.3) < 1e-12)
    }

    @Test("an all-null current column yields a verdict, not a crash")
    func allNull() {
        let r = FeatureComparison.numeric(name: "x", baseline: TestData.normal(seed: 9, count: 100),
                                          current: [Double](repeating: .nan, count: 80))
        #expect(r.verdict.decision == .drift && r.verdict.severity == .critical)
        #expect(r.statistics.ksStatistic == nil && r.statistics.psi == nil)
        #expect(!r.statistics.notes.isEmpty)
    }

    @Test("empty and tiny columns: insufficient data")
    func tiny() {
        let r = FeatureComparison.numeric(name: "x", baseline: [1, 2, 3], current: [4, 5, 6])
        #expect(r.verdict.decision == .insufficientData)
        #expect(r.verdict.severity == .none)
        #expect(r.verdict.reasons.first!.contains("too few non-null values"))
        let e = FeatureComparison.numeric(name: "x", baseline: [], current: [])
        #expect(e.verdict.decision == .insufficientData)
    }

    @Test("constant columns: equal is stable, different is drift")
    func constants() {
        let same = FeatureComparison.numeric(name: "x", baseline: Array(repeating: 2, count: 500),
                                             current: Array(repeating: 2, count: 400))
        #expect(same.verdict.decision == .stable)
        #expect(same.statistics.ksStatistic == 0 && same.statistics.normedWasserstein == 0)
        let moved = FeatureComparison.numeric(name: "x", baseline: Array(repeating: 2, count: 500),
                                              current: Array(repeating: 3, count: 400))
        #expect(moved.verdict.decision == .drift && moved.verdict.severity == .critical)
        #expect(moved.statistics.normedWasserstein == .infinity)
    }

    @Test("categorical: a new category drifts, the same mix does not")
    func categorical() {
        let b: [UInt32] = (0..<3000).map { UInt32($0 % 3) }
        let same: [UInt32] = (0..<2000).map { UInt32(($0 + 1) % 3) }
        let new: [UInt32] = (0..<2000).map { $0 % 4 == 0 ? 3 : UInt32($0 % 3) }
        let s = FeatureComparison.categorical(name: "c", baseline: b, current: same, dictionarySize: 4)
        #expect(s.verdict.decision == .stable)
        let d = FeatureComparison.categorical(name: "c", baseline: b, current: new, dictionarySize: 4)
        #expect(d.verdict.decision == .drift)
        #expect(d.statistics.unseenCategories == 1)
        let bad = FeatureComparison.categorical(name: "c", baseline: [0, 9], current: [0], dictionarySize: 2)
        #expect(bad.verdict.decision == .insufficientData && !bad.statistics.notes.isEmpty)
    }

    @Test("thresholds are configurable")
    func configurable() {
        var strict = DriftPolicy()
        strict.wassersteinWarning = 0.01
        strict.psiWarning = 0.001
        let b = TestData.normal(seed: 1, count: 200_000), c = TestData.normal(seed: 2, count: 200_000, mean: 0.05)
        #expect(FeatureComparison.numeric(name: "x", baseline: b, current: c).verdict.decision == .stable)
        #expect(FeatureComparison.numeric(name: "x", baseline: b, current: c, policy: strict).verdict.decision == .drift)
    }
}

@Suite("Comparison report rendering")
struct ComparisonReportTests {
    static func report() -> ComparisonReport {
        let hostile = "evil\"name\\<script>\n\u{1}"
        return ComparisonReport(
            baselineName: "b.csv", currentName: "c.csv", baselineRows: 3000, currentRows: 3000,
            pairs: [.numeric(name: "stable", baseline: TestData.normal(seed: 1, count: 3000),
                             current: TestData.normal(seed: 2, count: 3000)),
                    .numeric(name: hostile, baseline: TestData.normal(seed: 3, count: 3000),
                             current: TestData.normal(seed: 4, count: 3000, mean: 1)),
                    .categorical(name: "cat", baseline: (0..<3000).map { UInt32($0 % 2) },
                                 current: (0..<3000).map { UInt32($0 % 2) }, dictionarySize: 2)],
            onlyInBaseline: ["gone"], onlyInCurrent: [])
    }

    @Test("JSON is valid, escapes names, and carries every field")
    func json() throws {
        let r = Self.report()
        let object = try JSONSerialization.jsonObject(with: Data(r.json.utf8)) as! [String: Any]
        let columns = object["columns"] as! [[String: Any]]
        #expect(columns.map { $0["name"] as! String } == ["stable", "evil\"name\\<script>\n\u{1}", "cat"])
        #expect(columns[1]["verdict"] as! String == "drift" && columns[1]["severity"] as! String == "critical")
        #expect(columns[0]["verdict"] as! String == "stable")
        for key in ["ks_d", "p_value", "psi", "wasserstein_normed", "baseline_null_rate", "current_null_rate", "reasons"] {
            #expect(columns[0][key] != nil, "missing \(key)")
        }
        #expect(columns[2]["chi_square"] is Double)
        #expect(object["drift"] as! Bool == true)
        #expect(object["only_in_baseline"] as! [String] == ["gone"])
    }

    @Test("table lists every column and why")
    func table() {
        let t = Self.report().table
        #expect(t.contains("stable") && t.contains("cat") && t.contains("gone"))
        #expect(t.contains("why:"))
        #expect(t.contains("2 of 4 columns drifted (2 critical, 0 warning)."))
    }
}
