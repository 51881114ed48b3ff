import DriftKernels
import DriftTestSupport
import Testing

@testable import DriftEngine

@Suite("Monitoring: window evaluation")
struct MonitoringWindowEvaluatorTests {
    static let hour: Int64 = 3_600_000

    func evaluate(_ reports: [FeatureReport], policy: MonitoringPolicy = MonitoringPolicy(),
                  correlations: [CorrelationObservation] = [], stale: Bool = false, window: Int64 = 0,
                  tracker: inout FeatureStatusTracker) -> [FeatureWindowVerdict] {
        WindowEvaluator(policy: policy).evaluate(source: "orders", windowStartMs: window * Self.hour,
                                                 windowEndMs: (window + 1) * Self.hour, baselineId: 7, reports: reports,
                                                 correlations: correlations, stale: stale, tracker: &tracker)
    }

    @Test("a 0.2σ shift on 10k rows: drifting warning with every input stored; pending, then drifting")
    func shift() throws {
        var tracker = FeatureStatusTracker()
        let base = TestData.normal(seed: 3, count: 10_000)
        var records: [FeatureWindowVerdict] = []
        for w in 0..<2 {
            let report = FeatureComparison.numeric(name: "amount", baseline: base,
                                                   current: TestData.normal(seed: 40 + UInt64(w), count: 10_000, mean: 0.2))
            records = evaluate([report], window: Int64(w), tracker: &tracker)
            #expect(records.count == 2)
            let r = records[0]
            #expect(r.kind == .drift && r.decision == .drifting && r.severity == .warning)
            #expect(r.status.state == (w == 0 ? .pending : .drifting))
        }
        let r = records[0], n = records[1]
        #expect(r.source == "orders" && r.feature == "amount" && r.baselineId == 7 && r.partnerFeature == nil)
        #expect(r.windowStartMs == Self.hour && r.windowEndMs == 2 * Self.hour)
        #expect(r.testName == "ks" && r.testMethod == "exact" && r.statistic! > 0.05)
        #expect(r.adjustedPValue == r.pValue, "one feature: BH is the raw p")
        #expect(r.effectName == "normed_wasserstein" && r.effectValue! > 0.15)
        #expect(r.thresholds == VerdictThresholds(significance: 0.01, benjaminiHochberg: true, info: 0.05, warning: 0.1,
                                                  critical: 0.5))
        #expect(r.baselineCount == 10_000 && r.currentCount == 10_000 && !r.stale)
        #expect(r.status.incidentStartMs == 0 && r.status.incidentSeverity == .warning)
        #expect(r.reasons.last == "status drifting since window 0 (warning)")
        #expect(r.reasons[0].contains("significant at q = 0.01 and material (warning)"))
        // The reason names the effects as driftctl compare prints them (the record keeps the engine's names).
        #expect(r.reasons[0].contains("; PSI ") && r.reasons[0].contains(", W/σ ") && !r.reasons[0].contains("normed_wasserstein"))
        #expect(n.kind == .nullRate && n.decision == .clean && n.severity == .none && n.testName == "two-proportion-z")
        #expect(n.effectValue == 0 && n.pValue == 1 && n.status.state == .ok)
    }

    @Test("info: significant with an effect between the info and warning thresholds; counts as clean")
    func info() throws {
        var tracker = FeatureStatusTracker()
        let report = FeatureComparison.numeric(name: "x", baseline: TestData.normal(seed: 1, count: 100_000),
                                               current: TestData.normal(seed: 2, count: 100_000, mean: 0.07))
        let r = try #require(evaluate([report], tracker: &tracker).first)
        #expect(r.pValue! < 1e-10)
        #expect(r.severity == .info && r.decision == .clean && r.status.state == .ok)
        #expect(r.effectName == "normed_wasserstein" && r.effectValue! >= 0.05 && r.effectValue! < 0.1)
        #expect(r.reasons[0].hasSuffix("effect below the warning threshold (info)"))
        #expect(report.verdict.decision == .stable, "the one-shot policy calls it stable")
    }

    @Test("too few values: insufficient data, hysteresis untouched; categorical features use chi-square and JS")
    func insufficientAndCategorical() throws {
        var tracker = FeatureStatusTracker()
        let small = FeatureComparison.numeric(name: "rare", baseline: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
                                              current: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        var codes: [UInt32] = [], shifted: [UInt32] = []
        for i in 0..<3000 { codes.append(UInt32(i % 3)); shifted.append(i % 3 == 2 ? 0 : UInt32(i % 3)) }
        let category = FeatureComparison.categorical(name: "country", baseline: codes, current: shifted, dictionarySize: 3)
        let records = evaluate([small, category], tracker: &tracker)
        #expect(records.map(\.kind) == [.drift, .nullRate, .drift, .nullRate])
        #expect(records[0].decision == .insufficientData && records[0].adjustedPValue == nil)
        #expect(records[0].reasons == ["too few non-null values to test the distribution (10 baseline, 10 current; need 30)"])
        #expect(tracker.status(of: MonitoredSignal(feature: "rare", kind: .drift)).lastWindowStartMs == 0)
        let c = records[2]
        #expect(c.testName == "chi-square" && c.decision == .drifting && c.severity == .critical)
        #expect(c.effectName == "psi" || c.effectName == "jensen_shannon")
        #expect(c.adjustedPValue != nil && c.adjustedPValue! <= 2 * c.pValue!)
    }

    @Test("null surge 0 % → 30 %: a critical null-rate record; BH off uses the feature's α")
    func nullSurge() throws {
        var tracker = FeatureStatusTracker()
        var current = TestData.normal(seed: 8, count: 5000)
        for i in stride(from: 0, to: current.count, by: 10) { for k in 0..<3 { current[i + k] = .nan } }
        let report = FeatureComparison.numeric(name: "x", baseline: TestData.normal(seed: 7, count: 5000), current: current)
        var policy = MonitoringPolicy()
        policy.benjaminiHochberg = false
        policy.defaults.drift.significanceLevel = 0.001
        let records = evaluate([report], policy: policy, tracker: &tracker)
        let n = records[1]
        #expect(n.kind == .nullRate && n.decision == .drifting && n.severity == .critical)
        #expect(n.adjustedPValue == nil && n.thresholds.significance == 0.001 && !n.thresholds.benjaminiHochberg)
        #expect(Swift.abs(n.effectValue! - 0.3) < 1e-12 && n.baselineCount == 5000 && n.currentCount == 5000)
        #expect(n.reasons[0].hasPrefix("null rate 0% → 30.00%"))
        #expect(records[0].decision == .clean, "the remaining values are unchanged")
    }

    @Test("per-feature overrides: thresholds, persistence and the null-rate switch")
    func overrides() {
        var policy = MonitoringPolicy()
        var loose = FeatureMonitoringSettings()
        loose.drift.wassersteinWarning = 0.3
        loose.drift.psiWarning = 0.3
        loose.persistence = 1
        loose.checksNullRate = false
        policy.overrides["tolerant"] = loose
        #expect(policy.settings(for: "tolerant") == loose && policy.settings(for: "other") == policy.defaults)
        var tracker = FeatureStatusTracker()
        let b = TestData.normal(seed: 3, count: 10_000), c = TestData.normal(seed: 4, count: 10_000, mean: 0.2)
        let records = evaluate([FeatureComparison.numeric(name: "tolerant", baseline: b, current: c),
                                FeatureComparison.numeric(name: "strict", baseline: b, current: c)],
                               policy: policy, tracker: &tracker)
        #expect(records.map(\.feature) == ["tolerant", "strict", "strict"], "no null-rate record for tolerant")
        #expect(records[0].decision == .clean && records[0].severity == .info && records[0].thresholds.warning == 0.3)
        #expect(records[1].decision == .drifting && records[1].status.state == .pending)
    }

    /// Correlated pairs with r: y = r·x + √(1 − r²)·e.
    func pairMoments(r: Double, seed: UInt64, count: Int) throws -> CoMoments {
        let x = TestData.normal(seed: seed, count: count), e = TestData.normal(seed: seed + 1, count: count)
        let y = zip(x, e).map { r * $0 + (1 - r * r).squareRoot() * $1 }
        return try CoMoments(columns: [x, y])
    }

    @Test("correlation flip 0.6 → 0.3 on declared pairs: critical; unchanged pair clean; missing pair insufficient")
    func correlation() throws {
        var policy = MonitoringPolicy()
        policy.correlationGroups = [["a", "b", "c"], ["b", "a"]]
        #expect(policy.correlationPairs == [FeaturePair("a", "b"), FeaturePair("a", "c"), FeaturePair("b", "c")])
        let flip = CorrelationObservation(pair: FeaturePair("b", "a"), baseline: try pairMoments(r: 0.6, seed: 1, count: 5000),
                                          current: try pairMoments(r: 0.3, seed: 3, count: 2000))
        let same = CorrelationObservation(pair: FeaturePair("a", "c"), baseline: try pairMoments(r: 0.6, seed: 5, count: 5000),
                                          current: try pairMoments(r: 0.6, seed: 7, count: 2000))
        var tracker = FeatureStatusTracker()
        let records = evaluate([], policy: policy, correlations: [flip, same], stale: true, tracker: &tracker)
        #expect(records.map(\.kind) == [.correlation, .correlation, .correlation])
        #expect(records.map(\.partnerFeature) == ["b", "c", "c"])
        let f = records[0]
        #expect(f.decision == .drifting && f.severity == .critical && f.testName == "fisher-z")
        #expect(f.effectName == "correlation_change" && Swift.abs(f.effectValue! - 0.3) < 0.05)
        #expect(f.statistic! < -10 && f.baselineCount == 5000 && f.currentCount == 2000)
        #expect(f.thresholds.warning == 0.1 && f.thresholds.critical == 0.2)
        #expect(f.stale && f.reasons.last == "source stale: freshness SLA not met")
        #expect(records[1].decision == .clean && records[1].effectValue! < 0.05)
        #expect(records[2].decision == .insufficientData && records[2].reasons[0] == "no co-moments for the pair")
        // A constant feature: correlation undefined.
        let constant = try CoMoments(columns: [[Double](repeating: 1, count: 100), TestData.normal(seed: 9, count: 100)])
        let undefined = evaluate([], policy: policy, correlations: [
            CorrelationObservation(pair: FeaturePair("a", "b"), baseline: constant, current: constant)], tracker: &tracker)
        #expect(undefined[0].decision == .insufficientData)
        #expect(undefined[0].reasons[0] == "correlation undefined: a feature is constant")
    }

    @Test("a feature reported twice in one window advances its status once; records keep report order")
    func duplicates() {
        var tracker = FeatureStatusTracker()
        var policy = MonitoringPolicy()
        policy.defaults.persistence = 2
        let b = TestData.normal(seed: 3, count: 2000), c = TestData.normal(seed: 4, count: 2000, mean: 1)
        let report = FeatureComparison.numeric(name: "x", baseline: b, current: c)
        let records = evaluate([report, report], policy: policy, tracker: &tracker)
        #expect(records.count == 4 && records.filter { $0.kind == .drift }.allSatisfy { $0.status.state == .pending })
        #expect(tracker.status(of: MonitoredSignal(feature: "x", kind: .drift)).consecutiveDrifting == 1)
    }

    @Test("a stream: 10 features × 14 windows, one shifted 0.3σ in windows 5…9 — drifting at 6, ok again at 11; no false incident")
    func stream() {
        var tracker = FeatureStatusTracker()
        let baselines = (0..<10).map { TestData.normal(seed: 500 + UInt64($0), count: 2000) }
        var states: [SignalState] = [], others: [SignalState] = []
        for w in 0..<14 {
            let reports = (0..<10).map { f in
                FeatureComparison.numeric(
                    name: "f\(f)", baseline: baselines[f],
                    current: TestData.normal(seed: UInt64(7000 + 100 * w + f), count: 1000,
                                             mean: f == 4 && (5..<10).contains(w) ? 0.3 : 0))
            }
            let records = evaluate(reports, window: Int64(w), tracker: &tracker)
            states.append(records.first { $0.feature == "f4" && $0.kind == .drift }!.status.state)
            others += records.filter { $0.feature != "f4" }.map(\.status.state)
        }
        #expect(states == [.ok, .ok, .ok, .ok, .ok, .pending, .drifting, .drifting, .drifting, .drifting,
                           .recovering, .ok, .ok, .ok])
        #expect(tracker.status(of: MonitoredSignal(feature: "f4", kind: .drift)).incidentStartMs == nil)
        // One null feature-window (f8 in window 5: p = 0.002, BH-adjusted 0.0098 next to the real shift, W/σ 0.14)
        // passes the gates; persistence keeps it pending, so no incident opens among the 9 × 14 null windows.
        #expect(!others.contains { $0.isIncident }, "no false alarm")
        #expect(others.filter { $0 == .pending }.count == 1)
    }
}
