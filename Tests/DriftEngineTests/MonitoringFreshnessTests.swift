import Testing

@testable import DriftEngine

@Suite("Monitoring: freshness")
struct MonitoringFreshnessTests {
    static let hour: Int64 = 3_600_000
    let evaluator = FreshnessEvaluator(sla: FreshnessSLA(maxEventAgeMs: 24 * hour, maxArrivalIntervalMs: hour))

    @Test("boundaries: an age equal to the limit is fresh, one millisecond more is stale")
    func boundaries() {
        let now: Int64 = 1_764_000_000_000
        let atLimit = evaluator.evaluate(newestEventMs: now - 24 * Self.hour, lastArrivalMs: now - Self.hour, nowMs: now)
        #expect(!atLimit.isStale && atLimit.brokenRules.isEmpty && atLimit.reasons.isEmpty)
        #expect(atLimit.eventAgeMs == 24 * Self.hour && atLimit.arrivalAgeMs == Self.hour)
        let old = evaluator.evaluate(newestEventMs: now - 24 * Self.hour - 1, lastArrivalMs: now - Self.hour, nowMs: now)
        #expect(old.brokenRules == [.eventAge])
        #expect(old.reasons == ["newest event is 24 h old, more than the SLA's 24 h"])
        let late = evaluator.evaluate(newestEventMs: now, lastArrivalMs: now - Self.hour - 1, nowMs: now)
        #expect(late.brokenRules == [.arrivalInterval])
        let both = evaluator.evaluate(newestEventMs: now - 36 * Self.hour - 5 * 60_000, lastArrivalMs: now - 2 * Self.hour,
                                      nowMs: now)
        #expect(both.brokenRules == [.eventAge, .arrivalInterval] && both.isStale)
        #expect(both.reasons[0] == "newest event is 36 h 5 min old, more than the SLA's 24 h")
    }

    @Test("nothing seen yet is stale; no SLA is always fresh; future event times are fresh with a reason")
    func edges() {
        let none = evaluator.evaluate(newestEventMs: nil, lastArrivalMs: nil, nowMs: 0)
        #expect(none.brokenRules == [.eventAge, .arrivalInterval] && none.eventAgeMs == nil)
        let noSLA = FreshnessEvaluator(sla: FreshnessSLA()).evaluate(newestEventMs: nil, lastArrivalMs: nil, nowMs: 5)
        #expect(!noSLA.isStale)
        let future = evaluator.evaluate(newestEventMs: 10_000, lastArrivalMs: 0, nowMs: 0)
        #expect(!future.isStale && future.eventAgeMs == -10_000)
        #expect(future.reasons == ["newest event time lies 10 s ahead of the clock"])
        let onlyArrival = FreshnessEvaluator(sla: FreshnessSLA(maxArrivalIntervalMs: 10))
        #expect(onlyArrival.evaluate(newestEventMs: nil, lastArrivalMs: 0, nowMs: 10).brokenRules.isEmpty)
        #expect(onlyArrival.evaluate(newestEventMs: nil, lastArrivalMs: 0, nowMs: 11).brokenRules == [.arrivalInterval])
    }

    @Test("ages saturate instead of overflowing")
    func overflow() {
        let v = evaluator.evaluate(newestEventMs: Int64.min, lastArrivalMs: Int64.max, nowMs: Int64.max)
        #expect(v.eventAgeMs == Int64.max && v.brokenRules == [.eventAge])
        let w = evaluator.evaluate(newestEventMs: Int64.max, lastArrivalMs: Int64.max, nowMs: Int64.min)
        #expect(w.eventAgeMs == Int64.min && !w.isStale)
    }

    @Test("the freshness record: stale is a critical drifting record at once; fresh closes it at once")
    func record() {
        var tracker = FeatureStatusTracker()
        let stale = evaluator.evaluate(newestEventMs: 0, lastArrivalMs: 0, nowMs: 2 * Self.hour)
            .record(source: "orders", tracker: &tracker)
        #expect(stale.kind == .freshness && stale.stale && stale.decision == .drifting && stale.severity == .critical)
        #expect(stale.status.state == .drifting && stale.status.incidentStartMs == 2 * Self.hour)
        #expect(stale.effectName == "arrival_age_ms" && stale.effectValue == Double(2 * Self.hour))
        #expect(stale.thresholds.warning == Double(Self.hour) && stale.testMethod == "arrival_interval")
        let fresh = evaluator.evaluate(newestEventMs: 3 * Self.hour, lastArrivalMs: 3 * Self.hour, nowMs: 3 * Self.hour)
            .record(source: "orders", tracker: &tracker)
        #expect(!fresh.stale && fresh.decision == .clean && fresh.status.state == .ok && fresh.reasons == ["fresh"])
        #expect(fresh.effectName == "event_age_ms" && fresh.effectValue == 0)
    }
}
