import Testing

@testable import DriftEngine

@Suite("Monitoring: hysteresis (FeatureStatusTracker)")
struct MonitoringStatusTrackerTests {
    typealias Step = (WindowDecision, MonitoringSeverity)
    static let d: Step = (.drifting, .warning), c: Step = (.clean, .none), x: Step = (.insufficientData, .none)
    static let critical: Step = (.drifting, .critical), info: Step = (.clean, .info)

    /// Runs a sequence (window i starts at i × 1000) and returns the state after each window.
    func run(_ steps: [Step], k: Int = 2, j: Int = 2) -> [FeatureStatus] {
        var tracker = FeatureStatusTracker()
        let signal = MonitoredSignal(feature: "x", kind: .drift)
        return steps.enumerated().map { i, s in
            tracker.advance(signal, decision: s.0, severity: s.1, windowStartMs: Int64(i) * 1000, persistence: k,
                            recovery: j)
        }
    }

    @Test("k = 2, j = 2: one drifting window is pending; two make an incident; two clean ones close it")
    func defaults() {
        let s = run([Self.d, Self.c, Self.d, Self.d, Self.c, Self.d, Self.c, Self.c, Self.c])
        #expect(s.map(\.state) == [.pending, .ok, .pending, .drifting, .recovering, .drifting, .recovering, .ok, .ok])
        #expect(s[3].incidentStartMs == 2000, "the incident started at the first window of the run")
        #expect(s[5].incidentStartMs == 2000, "a clean window inside the incident does not restart it")
        #expect(s[1].incidentStartMs == nil && s[7].incidentStartMs == nil)
        #expect(s[7].incidentSeverity == .none && s[7].consecutiveClean == 2 && s[8].consecutiveClean == 3)
    }

    @Test("insufficient-data windows neither count nor break a run")
    func insufficientData() {
        let s = run([Self.d, Self.x, Self.x, Self.d, Self.x, Self.c, Self.x, Self.c])
        #expect(s.map(\.state) == [.pending, .pending, .pending, .drifting, .drifting, .recovering, .recovering, .ok])
        #expect(s[3].consecutiveDrifting == 2)
        #expect(s[2].lastWindowStartMs == 2000)
        #expect(run([Self.x, Self.x]).allSatisfy { $0.state == .ok && $0.consecutiveClean == 0 })
    }

    @Test("severity is the maximum over the incident, including its pending windows; info counts as clean")
    func severity() {
        let s = run([Self.critical, Self.d, Self.d, Self.info, Self.info])
        #expect(s[1].state == .drifting && s[1].incidentSeverity == .critical)
        #expect(s[2].incidentSeverity == .critical)
        #expect(s[3].state == .recovering && s[4].state == .ok && s[4].incidentSeverity == .none)
    }

    @Test("k = 1 alarms at once; k = 3 needs three; j = 1 recovers at once; k, j < 1 act as 1")
    func parameters() {
        #expect(run([Self.d], k: 1).map(\.state) == [.drifting])
        #expect(run([Self.d, Self.d, Self.d], k: 3).map(\.state) == [.pending, .pending, .drifting])
        #expect(run([Self.d, Self.c], k: 1, j: 1).map(\.state) == [.drifting, .ok])
        #expect(run([Self.d, Self.c], k: 0, j: -5).map(\.state) == [.drifting, .ok])
    }

    @Test("a replayed or older window leaves the status unchanged")
    func replay() {
        var tracker = FeatureStatusTracker()
        let signal = MonitoredSignal(feature: "x", kind: .drift)
        let first = tracker.advance(signal, decision: .drifting, severity: .warning, windowStartMs: 5000,
                                    persistence: 2, recovery: 2)
        #expect(tracker.advance(signal, decision: .drifting, severity: .warning, windowStartMs: 5000, persistence: 2,
                                recovery: 2) == first)
        #expect(tracker.advance(signal, decision: .drifting, severity: .critical, windowStartMs: 4000, persistence: 2,
                                recovery: 2) == first)
        #expect(tracker.advance(signal, decision: .drifting, severity: .warning, windowStartMs: 6000, persistence: 2,
                                recovery: 2).state == .drifting)
    }

    static func sample() -> FeatureStatusTracker {
        var t = FeatureStatusTracker()
        t.advance(MonitoredSignal(feature: "x", kind: .drift), decision: .drifting, severity: .critical,
                  windowStartMs: -7, persistence: 1, recovery: 2)
        t.advance(MonitoredSignal(feature: "x", kind: .nullRate), decision: .clean, severity: .info,
                  windowStartMs: Int64.max, persistence: 2, recovery: 2)
        t.advance(MonitoredSignal(feature: "a\u{0}\"é🙂", partner: "b", kind: .correlation), decision: .drifting,
                  severity: .warning, windowStartMs: Int64.min, persistence: 2, recovery: 2)
        t.advance(MonitoredSignal(feature: "", kind: .freshness), decision: .insufficientData, severity: .none,
                  windowStartMs: 0, persistence: 1, recovery: 1)
        t.advance(MonitoredSignal(feature: "a\u{0}\"é🙂", partner: "", kind: .correlation), decision: .clean,
                  severity: .none, windowStartMs: 1, persistence: 1, recovery: 1)
        return t
    }

    @Test("encode/decode round-trips (hostile names, Int64 extremes, empty partner); deterministic bytes")
    func roundTrip() throws {
        let t = Self.sample()
        let bytes = t.encode()
        #expect(Array(bytes.prefix(5)) == Array("DFST".utf8) + [1])
        #expect(try FeatureStatusTracker.decode(bytes) == t)
        #expect(FeatureStatusTracker(statuses: t.statuses).encode() == bytes)
        let empty = FeatureStatusTracker().encode()
        #expect(empty == Array("DFST".utf8) + [1, 0, 0, 0, 0])
        #expect(try FeatureStatusTracker.decode(empty) == FeatureStatusTracker())
    }

    @Test("every truncation and each corrupted field is a typed error")
    func hostileBytes() {
        let bytes = Self.sample().encode()
        for n in 0..<bytes.count {
            #expect(throws: FeatureStatusTrackerDecodingError.self) { try FeatureStatusTracker.decode(Array(bytes[..<n])) }
        }
        #expect(throws: FeatureStatusTrackerDecodingError.trailingBytes) { try FeatureStatusTracker.decode(bytes + [0]) }
        var magic = bytes
        magic[0] = UInt8(ascii: "X")
        #expect(throws: FeatureStatusTrackerDecodingError.badMagic) { try FeatureStatusTracker.decode(magic) }
        var version = bytes
        version[4] = 9
        #expect(throws: FeatureStatusTrackerDecodingError.unsupportedVersion(9)) { try FeatureStatusTracker.decode(version) }
        var kind = bytes
        kind[9] = 200  // first entry's kind
        #expect(throws: FeatureStatusTrackerDecodingError.invalidValue("signal kind")) { try FeatureStatusTracker.decode(kind) }
        // One entry with an invalid UTF-8 name.
        let bad: [UInt8] = Array("DFST".utf8) + [1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0xFF]
        #expect(throws: FeatureStatusTrackerDecodingError.invalidValue("UTF-8")) { try FeatureStatusTracker.decode(bad) }
        // A count far beyond the bytes.
        #expect(throws: FeatureStatusTrackerDecodingError.truncated) {
            try FeatureStatusTracker.decode(Array("DFST".utf8) + [1, 0xFF, 0xFF, 0xFF, 0xFF])
        }
        // The same signal twice.
        let one = FeatureStatusTracker(statuses: [MonitoredSignal(feature: "x", kind: .drift): FeatureStatus()]).encode()
        let twice = Array(one[0..<5]) + [2, 0, 0, 0] + Array(one[9...]) + Array(one[9...])
        #expect(throws: FeatureStatusTrackerDecodingError.invalidValue("duplicate signal")) {
            try FeatureStatusTracker.decode(twice)
        }
    }
}
