import DriftColumnar
import DriftEngine
import DriftServer
import DriftWire
import Foundation
import Synchronization
import Testing

/// A fake sender: records every attempt and answers from a script per integration (the last outcome repeats;
/// none = delivered 200).
final class RecordingSender: AlertDelivering {
    struct Attempt: Sendable {
        var notification: AlertNotification
        var receiver: String
        var integration: String
        var outcome: DeliveryOutcome
    }

    private let state = Mutex<(attempts: [Attempt], scripts: [String: [DeliveryOutcome]])>(([], [:]))
    let receivers: [String: [String]]

    init(receivers: [String: [String]] = ["team": ["webhook_configs[0]"]]) { self.receivers = receivers }

    /// Answers these outcomes, in order, for `integration` (the last one repeats).
    func script(_ integration: String, _ outcomes: [DeliveryOutcome]) {
        state.withLock { $0.scripts[integration] = outcomes }
    }

    func integrations(ofReceiver receiver: String) -> [String] { receivers[receiver] ?? [] }

    func deliver(_ notification: AlertNotification, receiver: String, integration: String,
                 dashboardURL: String?) -> DeliveryOutcome {
        state.withLock { s in
            var script = s.scripts[integration] ?? []
            let outcome = script.first ?? .delivered(status: 200)
            if script.count > 1 { script.removeFirst() }
            s.scripts[integration] = script
            s.attempts.append(Attempt(notification: notification, receiver: receiver, integration: integration,
                                      outcome: outcome))
            return outcome
        }
    }

    var attempts: [Attempt] { state.withLock { $0.attempts } }
    /// The notifications the receiver accepted.
    var delivered: [AlertNotification] {
        attempts.filter { if case .delivered = $0.outcome { true } else { false } }.map(\.notification)
    }
}

/// Polls `condition` every 20 ms for up to `seconds` (a bound on waiting, not a timing assertion).
func eventually(_ seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}

/// Sources of `alertFeatureCount` float64 features f00…f13 and their blocks (all features shifted together).
let alertFeatureCount = 14
let alertFeatures = (0..<alertFeatureCount).map { FeatureSpec(name: String(format: "f%02d", $0), type: 2) }

func wideBlock(rows: Int, seed: UInt64, shift: Double) throws -> [UInt8] {
    var g = Gen(state: seed)
    var e = ColumnBlockEncoder(rowCount: rows)
    for f in alertFeatures {
        var v = [Double]()
        for _ in 0..<rows { v.append(g.normal() + shift) }
        try e.addFloat64(f.name, v)
    }
    return try e.encodeCompressed()
}

/// A server with alerting (one receiver "team", grouped by source, group_wait 0 unless told) and `sender`.
func alertFixture(sender: RecordingSender, dir: String? = nil, groupWaitMs: Int64 = 0, groupIntervalMs: Int64 = 100,
                  repeatIntervalMs: Int64 = 14_400_000, inhibit: [InhibitionRule] = InhibitionRule.defaults) throws -> Fixture {
    try Fixture(dir: dir) { c in
        c.alerting = AlertConfig(
            route: Route(receiver: "team", groupBy: .labels(["source"]), groupWaitMs: groupWaitMs,
                         groupIntervalMs: groupIntervalMs, repeatIntervalMs: repeatIntervalMs),
            receivers: [AlertReceiver(name: "team")], inhibitRules: inhibit)
        c.alertDelivery = sender
        c.alertDeliverySettings = AlertDeliverySettings(initialBackoffMs: 20, maximumBackoffMs: 100,
                                                        maximumAgeMs: 86_400_000)
        c.monitorIntervalMilliseconds = 50
        c.dashboardURL = "http://127.0.0.1:1"
    }
}

enum AlertTest {
    static let t0: Int64 = 1_796_083_200_000
    static let hour: Int64 = 3_600_000

    static func createWideSource(_ c: TestClient, _ name: String, monitoring: MonitoringSpec = MonitoringSpec(graceMs: 0))
        throws
    {
        let spec = SourceSpec(name: name, features: alertFeatures, monitoring: monitoring)
        let r = try c.call(.createSource, CreateSourceRequest(source: spec).encode())
        try #require(r.header.status == .ok, "\(String(describing: try? ErrorDetail.decode(r.metadata)))")
        let b = try c.call(.putBaseline, PutBaselineRequest(source: name, blockCount: 1, lastBlock: true).encode(),
                           body: try wideBlock(rows: 4000, seed: 1, shift: 0), codec: .zstd)
        try #require(b.header.status == .ok, "\(String(describing: try? ErrorDetail.decode(b.metadata)))")
    }

    /// One block at window `w` (hour w after t0).
    static func ingest(_ c: TestClient, _ source: String, window w: Int64, shift: Double) throws {
        let r = try c.call(.ingest, IngestRequest(source: source, blockTimestampMs: t0 + w * hour).encode(),
                           body: try wideBlock(rows: 2000, seed: 100 + UInt64(w), shift: shift), codec: .zstd)
        try #require(r.header.status == .ok, "\(String(describing: try? ErrorDetail.decode(r.metadata)))")
    }

    static func listAlerts(_ c: TestClient, limit: UInt32 = 0) throws -> ListAlertsResponse {
        let r = try c.call(.listAlerts, ListAlertsRequest(notificationLimit: limit).encode())
        try #require(r.header.status == .ok, "\(String(describing: try? ErrorDetail.decode(r.metadata)))")
        return try ListAlertsResponse.decode(r.metadata)
    }

    /// Drifting windows 0 and 1 (k = 2), closed by a row of window 2: every feature drifts.
    static func driftAll(_ c: TestClient, _ source: String) throws {
        for w in Int64(0)..<3 { try ingest(c, source, window: w, shift: w < 2 ? 1.5 : 0) }
    }
}
