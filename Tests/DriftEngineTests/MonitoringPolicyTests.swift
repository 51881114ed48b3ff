import Testing

@testable import DriftEngine

@Suite("Monitoring: policy defaults and severities")
struct MonitoringPolicyTests {
    @Test("defaults are the documented table")
    func defaults() {
        let p = MonitoringPolicy()
        #expect(p.benjaminiHochberg && p.falseDiscoveryRate == 0.01 && p.falseDiscoveryRate == p.defaults.drift.significanceLevel)
        #expect(p.defaults.persistence == 2 && p.defaults.recovery == 2 && p.defaults.checksNullRate)
        #expect(p.defaults.drift == DriftPolicy())
        let i = p.defaults.info
        #expect(i.psi == 0.05 && i.normedWasserstein == 0.05 && i.jensenShannon == 0.05 && i.nullRateChange == 0.01)
        #expect(p.correlation == {
            var c = CorrelationThresholds()
            c.info = 0.05; c.warning = 0.1; c.critical = 0.2; c.minimumRows = 30
            return c
        }())
        #expect(p.correlationGroups.isEmpty && p.correlationPairs.isEmpty && p.overrides.isEmpty)
    }

    @Test("declared groups: pairs within a group, once each, in declaration order; repeated names ignored")
    func pairs() {
        var p = MonitoringPolicy()
        p.correlationGroups = [["x"], ["a", "a", "b"], ["c", "b", "a"], []]
        #expect(p.correlationPairs == [FeaturePair("a", "b"), FeaturePair("c", "b"), FeaturePair("c", "a")])
    }

    @Test("severities: order, ranks and the mapping from the one-shot policy")
    func severities() {
        #expect(MonitoringSeverity.allCases.sorted() == [.none, .info, .warning, .critical])
        #expect(MonitoringSeverity.allCases.allSatisfy { MonitoringSeverity(rank: $0.rank) == $0 })
        #expect(MonitoringSeverity(rank: 4) == nil)
        #expect(MonitoringSeverity(Severity.warning) == .warning && MonitoringSeverity(Severity.none) == .none)
        #expect(SignalKind.allCases.allSatisfy { SignalKind(code: $0.code) == $0 } && SignalKind(code: 9) == nil)
        #expect(SignalState.allCases.allSatisfy { SignalState(code: $0.code) == $0 } && SignalState(code: 4) == nil)
        #expect(SignalKind.nullRate.rawValue == "null_rate" && WindowDecision.insufficientData.rawValue == "insufficient_data")
    }
}
