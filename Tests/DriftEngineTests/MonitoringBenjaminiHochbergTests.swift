import DriftKernels
import DriftTestSupport
import Testing

@testable import DriftEngine

@Suite("Monitoring: Benjamini–Hochberg")
struct MonitoringBenjaminiHochbergTests {
    @Test("adjusted p-values equal scipy false_discovery_control (ties, n = 1, NaN and out-of-range excluded)")
    func scipyFixtures() throws {
        let cases = MonitoringFixture.cases("benjamini_hochberg")
        #expect(cases.count == 8)
        for c in cases {
            let name = c["name"] as! String
            let ps = MonitoringFixture.doubles(c["p"])
            let expected = MonitoringFixture.optionalDoubles(c["adjusted"])
            let bh = BenjaminiHochberg(pValues: ps)
            #expect(bh.adjusted.count == expected.count, "\(name)")
            #expect(bh.testCount == expected.compactMap { $0 }.count, "\(name)")
            for (a, e) in zip(bh.adjusted, expected) {
                if let e {
                    let a = try #require(a, "\(name)")
                    #expect(close(a, e, rel: 1e-15), "\(name): \(a) vs \(e)")
                } else {
                    #expect(a == nil, "\(name)")
                }
            }
        }
    }

    @Test("rejections at q: adjusted p strictly below q; nil never rejected")
    func rejections() {
        let bh = BenjaminiHochberg(pValues: [0.01, nil, 0.02, 0.02, 0.5])
        // m = 4: adjusted 0.02666…, –, 0.02666…, 0.02666…, 0.5
        #expect(bh.testCount == 4)
        #expect(bh.rejections(at: 0.03) == [true, false, true, true, false])
        #expect(bh.rejections(at: 0.02) == [false, false, false, false, false])
        #expect(BenjaminiHochberg(pValues: [0.01]).rejections(at: 0.01) == [false], "p < q, like the policy's p < α")
        #expect(BenjaminiHochberg(pValues: [Double]()).adjusted.isEmpty)
        #expect(BenjaminiHochberg(pValues: [nil, .nan]).adjusted == [nil, nil])
    }

    /// 100 null features × 10 windows with the effect gates switched off, so significance alone decides:
    /// uncorrected, about 1 % of the 1 000 feature-windows fire; with BH at q = 0.01 the expected number of
    /// windows with any false finding is ≤ 0.01 per window.
    @Test("BH removes the false alarms of 100 null features; keeps 5 real shifts among 95 null ones")
    func nullFeatures() {
        var policy = MonitoringPolicy()
        policy.defaults.drift.psiWarning = 0
        policy.defaults.drift.wassersteinWarning = 0
        policy.defaults.persistence = 1
        let baselines = (0..<100).map { TestData.normal(seed: 10_000 + UInt64($0), count: 2000) }
        func window(_ w: Int, shifted: Set<Int> = []) -> [FeatureReport] {
            (0..<100).map { f in
                FeatureComparison.numeric(name: "f\(f)", baseline: baselines[f],
                                          current: TestData.normal(seed: UInt64(1_000_000 + w * 1000 + f), count: 500,
                                                                   mean: shifted.contains(f) ? 0.5 : 0))
            }
        }
        var raw = 0, corrected = 0
        var bhOff = policy
        bhOff.benjaminiHochberg = false
        for w in 0..<10 {
            let reports = window(w)
            var t1 = FeatureStatusTracker(), t2 = FeatureStatusTracker()
            raw += WindowEvaluator(policy: bhOff).evaluate(source: "s", windowStartMs: 0, windowEndMs: 1, baselineId: nil,
                                                           reports: reports, tracker: &t1)
                .filter { $0.kind == .drift && $0.decision == .drifting }.count
            corrected += WindowEvaluator(policy: policy).evaluate(source: "s", windowStartMs: 0, windowEndMs: 1,
                                                                  baselineId: nil, reports: reports, tracker: &t2)
                .filter { $0.kind == .drift && $0.decision == .drifting }.count
        }
        #expect(raw >= 4, "uncorrected α = 0.01 over 1 000 null tests fires about 10 times (got \(raw))")
        #expect(corrected == 0, "BH at q = 0.01 (got \(corrected))")

        var tracker = FeatureStatusTracker()
        let shifted: Set = [3, 17, 42, 77, 99]
        let verdicts = WindowEvaluator(policy: policy).evaluate(source: "s", windowStartMs: 0, windowEndMs: 1,
                                                                baselineId: nil, reports: window(99, shifted: shifted),
                                                                tracker: &tracker)
        let fired = Set(verdicts.filter { $0.kind == .drift && $0.decision == .drifting }.map(\.feature))
        #expect(fired == Set(shifted.map { "f\($0)" }))
    }
}
