import DriftClient
import DriftColumnar
import DriftEngine
@testable import DriftServer
import DriftStore
import DriftWire
import Foundation
import Testing

/// A real driftd on 127.0.0.1:0 whose store is filled through `DriftStore` before it starts, and a `DriftClient`.
final class PrefilledServer {
    let dir: String
    let server: DriftServer
    let client: DriftClient
    var storePath: String { dir + "/store.sqlite" }

    init(configure: (inout DriftServerConfiguration) -> Void = { _ in },
         prefill: (DriftStore) throws -> Void) throws {
        dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("driftd-monitoring-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        do {
            let store = try DriftStore(path: dir + "/store.sqlite")
            try prefill(store)
        }
        var config = DriftServerConfiguration(storePath: dir + "/store.sqlite", workers: 2)
        configure(&config)
        server = try DriftServer(configuration: config)
        client = try DriftClient(configuration: DriftClientConfiguration(port: server.port, clientName: "monitoring-tests"))
    }

    func close() {
        client.close()
        server.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// The server's error for a call (a non-client error fails the test), or nil when it succeeded.
func serverError<T>(_ body: () throws -> T) -> DriftClientError? {
    do {
        _ = try body()
        return nil
    } catch let e as DriftClientError {
        return e
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

let mqHour: Int64 = 3_600_000
/// An hour-aligned base time (2023-11-14 22:00 UTC).
let mqT0: Int64 = 472_222 * mqHour

func verdictRow(_ source: String, _ feature: String, window w: Int64, kind: VerdictKind = .drift, test: String = "ks",
                severity: UInt8 = 0, status: UInt8 = 0, effect: Double = 0.1, statistic: Double = 0.02,
                reasons: String = "") -> VerdictRow {
    VerdictRow(source: source, feature: feature, windowStartMilliseconds: mqT0 + w * mqHour,
               windowEndMilliseconds: mqT0 + (w + 1) * mqHour, baselineID: 1, kind: kind, test: test,
               statistic: statistic, p: 0.5, pAdjusted: 0.6, effectName: "psi", effect: effect, warningThreshold: 0.1,
               criticalThreshold: 0.25, nBaseline: 4_000, nCurrent: 500,
               decision: severity >= 2 ? 1 : 0, severity: severity, status: status, stale: false, reasons: reasons,
               createdMilliseconds: mqT0 + (w + 1) * mqHour + 10)
}

func sourceSpec(_ name: String, _ names: [String], type: UInt32 = 2, monitoring: MonitoringSpec? = nil) -> SourceSpec {
    SourceSpec(name: name, features: names.map { FeatureSpec(name: $0, type: type) }, monitoring: monitoring)
}

@Suite("Monitoring queries over loopback: history, metrics, baselines, correlation, retention")
struct MonitoringQueryTests {
    // MARK: QueryHistory

    /// Source "h" (x, y, c): 30 windows of x drift (critical every 5th), x null rate, y drift (info every 3rd,
    /// statistic NaN every 4th), the x|y correlation and a freshness verdict; metrics m/auc (32 windows) and
    /// m/rmse (even windows); another source's rows that must not show.
    static func historyServer(_ configure: (inout DriftServerConfiguration) -> Void = { _ in }) throws -> PrefilledServer {
        try PrefilledServer(configure: configure) { store in
            try store.createSource(sourceSpec("h", ["x", "y", "c"]))
            try store.createSource(sourceSpec("other", ["x"]))
            for w in Int64(0)..<30 {
                let critical = w % 5 == 0
                try store.recordVerdicts([
                    verdictRow("h", "x", window: w, severity: critical ? 3 : 0, status: critical ? 2 : 0,
                               reasons: critical ? "ks p < 0.01; psi 0.3 >= 0.25" : ""),
                    verdictRow("h", "x", window: w, kind: .nullRate, test: "null-rate"),
                    verdictRow("h", "y", window: w, severity: w % 3 == 0 ? 1 : 0,
                               statistic: w % 4 == 0 ? .nan : 0.02),
                    verdictRow("h", "x|y", window: w, kind: .correlation, test: "fisher-z"),
                    verdictRow("h", "", window: w, kind: .freshness, test: "freshness"),
                ])
                try store.recordVerdicts([verdictRow("other", "x", window: w, severity: 3)])
            }
            for w in Int64(0)..<32 {
                try store.putModelMetric(ModelMetricRecord(source: "h", metric: "m/auc", windowStartMilliseconds: mqT0 + w * mqHour,
                                                           value: 0.9 - Double(w) / 1000, reportedMilliseconds: 1,
                                                           higherIsBetter: true))
                if w % 2 == 0 && w < 30 {
                    try store.putModelMetric(ModelMetricRecord(source: "h", metric: "m/rmse",
                                                               windowStartMilliseconds: mqT0 + w * mqHour, value: 2,
                                                               reportedMilliseconds: 1, higherIsBetter: false))
                }
            }
        }
    }

    /// Every page of `request` (following next_page_token), and the pages' sizes.
    static func allPages(_ client: DriftClient, _ request: QueryHistoryRequest) throws -> (rows: [HistoryRow], pages: [Int]) {
        var req = request
        var rows: [HistoryRow] = []
        var pages: [Int] = []
        for _ in 0..<10_000 {
            let page = try client.queryHistory(req)
            rows += page.rows
            pages.append(page.rows.count)
            if page.nextPageToken.isEmpty { return (rows, pages) }
            req.pageToken = page.nextPageToken
        }
        Issue.record("paging did not end")
        return (rows, pages)
    }

    @Test("paging through every page (any limit) equals the unpaged answer, in window order, verdicts before metrics")
    func pagingEqualsUnpaged() throws {
        let fx = try Self.historyServer()
        defer { fx.close() }
        let all = try fx.client.queryHistory(QueryHistoryRequest(source: "h", limit: 10_000))
        #expect(all.nextPageToken.isEmpty)
        #expect(all.rows.count == 30 * 5 + 32 + 15)
        #expect(all.rows.allSatisfy { $0.source == "h" })
        for (a, b) in zip(all.rows, all.rows.dropFirst()) {
            #expect(a.window.startMs <= b.window.startMs)
            if a.window.startMs == b.window.startMs && a.kind == .modelMetric { #expect(b.kind == .modelMetric) }
        }
        // Per window: x drift, x null rate, y, x|y, freshness (first-recorded feature order), then the metrics by name.
        let first = all.rows.prefix(7).map { "\($0.feature)/\($0.kind.rawValue)/\($0.test)" }
        #expect(first == ["x/1/ks", "x/1/null-rate", "y/1/ks", "x|y/1/fisher-z", "/2/freshness", "/3/m/auc", "/3/m/rmse"])
        // Metrics join windows of the source's length (1 h by default) and carry the value as `statistic`.
        let auc = try #require(all.rows.first { $0.kind == .modelMetric && $0.test == "m/auc" })
        #expect(auc.window == WindowRange(startMs: mqT0, endMs: mqT0 + mqHour) && auc.statistic == 0.9)
        #expect(all.rows.suffix(2).map(\.test) == ["m/auc", "m/auc"])  // windows 30 and 31 hold only the metric

        for limit: UInt32 in [1, 2, 7, 50, 199, 500] {
            let (paged, pages) = try Self.allPages(fx.client, QueryHistoryRequest(source: "h", limit: limit))
            #expect(paged == all.rows, "limit \(limit)")
            #expect(pages.dropLast().allSatisfy { $0 == Int(limit) }, "limit \(limit): \(pages)")
        }
        // The default page size holds everything here.
        let byDefault = try fx.client.queryHistory(QueryHistoryRequest(source: "h"))
        #expect(byDefault.rows == all.rows && byDefault.nextPageToken.isEmpty)
    }

    @Test("stored codes map onto the wire: decision, severity (info → none + reason), status, NaN → absent, reasons")
    func rowMapping() throws {
        let fx = try Self.historyServer()
        defer { fx.close() }
        let w0 = try fx.client.queryHistory(QueryHistoryRequest(source: "h", feature: "x", kinds: [.drift],
                                                                  untilMs: mqT0 + mqHour)).rows
        let x = try #require(w0.first)
        #expect(x == HistoryRow(source: "h", feature: "x", window: WindowRange(startMs: mqT0, endMs: mqT0 + mqHour),
                                baselineID: 1, kind: .drift, test: "ks", statistic: 0.02, pValue: 0.5, pAdjusted: 0.6,
                                effectName: "psi", effectValue: 0.1, thresholdWarning: 0.1, thresholdCritical: 0.25,
                                baselineN: 4_000, currentN: 500, decision: .drift, severity: .critical,
                                status: .drifting, reasons: ["ks p < 0.01", "psi 0.3 >= 0.25"]))
        let y = try fx.client.queryHistory(QueryHistoryRequest(source: "h", feature: "y", untilMs: mqT0 + mqHour)).rows
        #expect(y.count == 1)
        #expect(y.first?.severity == FeatureVerdict.Severity.none && y.first?.reasons == ["severity info"])
        #expect(y.first?.statistic == nil && y.first?.decision == .stable && y.first?.status == DriftWire.FeatureStatus.ok)
    }

    @Test("filters: feature, pair label, kinds, since/until, min_severity")
    func filters() throws {
        let fx = try Self.historyServer()
        defer { fx.close() }
        let c = fx.client
        let x = try c.queryHistory(QueryHistoryRequest(source: "h", feature: "x")).rows
        #expect(x.count == 60 && x.allSatisfy { $0.feature == "x" && $0.kind == .drift })
        let pair = try c.queryHistory(QueryHistoryRequest(source: "h", feature: "x|y")).rows
        #expect(pair.count == 30 && pair.allSatisfy { $0.test == "fisher-z" })
        #expect(try c.queryHistory(QueryHistoryRequest(source: "h", feature: "c")).rows.isEmpty)  // declared, no rows
        let fresh = try c.queryHistory(QueryHistoryRequest(source: "h", kinds: [.freshness])).rows
        #expect(fresh.count == 30 && fresh.allSatisfy { $0.kind == .freshness && $0.feature.isEmpty })
        let metrics = try c.queryHistory(QueryHistoryRequest(source: "h", kinds: [.modelMetric])).rows
        #expect(metrics.count == 47 && metrics.allSatisfy { $0.kind == .modelMetric })
        let both = try c.queryHistory(QueryHistoryRequest(source: "h", kinds: [.freshness, .modelMetric])).rows
        #expect(both.count == 77)
        let span = try c.queryHistory(QueryHistoryRequest(source: "h", sinceMs: mqT0 + 10 * mqHour,
                                                           untilMs: mqT0 + 12 * mqHour)).rows
        #expect(span.count == 2 * 5 + 3 && span.allSatisfy { $0.window.startMs >= mqT0 + 10 * mqHour && $0.window.startMs < mqT0 + 12 * mqHour })
        let warning = try c.queryHistory(QueryHistoryRequest(source: "h", minSeverity: .warning)).rows
        #expect(warning.count == 6 && warning.allSatisfy { $0.feature == "x" && $0.severity == .critical })
        let critical = try Self.allPages(c, QueryHistoryRequest(source: "h", minSeverity: .critical, limit: 4)).rows
        #expect(critical == warning)
        let sinceOnly = try c.queryHistory(QueryHistoryRequest(source: "h", kinds: [.modelMetric], sinceMs: mqT0 + 30 * mqHour)).rows
        #expect(sinceOnly.map(\.window.startMs) == [mqT0 + 30 * mqHour, mqT0 + 31 * mqHour])
    }

    @Test("errors: unknown source or feature, a bad or foreign page token, since ≥ until, unknown kinds and severities")
    func errors() throws {
        let fx = try Self.historyServer()
        defer { fx.close() }
        let c = fx.client
        let ghost = try #require(serverError { try c.queryHistory(QueryHistoryRequest(source: "ghost")) })
        #expect(ghost.status == .notFound && ghost.fieldPath == "source")
        let feature = try #require(serverError { try c.queryHistory(QueryHistoryRequest(source: "h", feature: "z")) })
        #expect(feature.status == .notFound && feature.fieldPath == "feature")
        let pair = try #require(serverError { try c.queryHistory(QueryHistoryRequest(source: "h", feature: "x|z")) })
        #expect(pair.status == .notFound)
        for token: [UInt8] in [[1, 2, 3], Array("h1.0;;".utf8), [0xff, 0xfe], Array("after:x".utf8)] {
            let bad = try #require(serverError { try c.queryHistory(QueryHistoryRequest(source: "h", pageToken: token)) })
            #expect(bad.status == .invalidArgument && bad.fieldPath == "page_token")
        }
        // A token continues only the query it came from.
        let first = try c.queryHistory(QueryHistoryRequest(source: "h", feature: "x", limit: 3))
        #expect(!first.nextPageToken.isEmpty)
        #expect(try c.queryHistory(QueryHistoryRequest(source: "h", feature: "x", limit: 5,
                                                       pageToken: first.nextPageToken)).rows.count == 5)
        let foreign = try #require(serverError {
            try c.queryHistory(QueryHistoryRequest(source: "h", feature: "y", pageToken: first.nextPageToken))
        })
        #expect(foreign.status == .invalidArgument && foreign.fieldPath == "page_token")
        let order = try #require(serverError { try c.queryHistory(QueryHistoryRequest(source: "h", sinceMs: 5, untilMs: 5)) })
        #expect(order.status == .invalidArgument && order.fieldPath == "since_ms")
        let kind = try #require(serverError { try c.queryHistory(QueryHistoryRequest(source: "h", kinds: [HistoryKind(rawValue: 9)])) })
        #expect(kind.status == .invalidArgument && kind.fieldPath == "kinds")
        let severity = try #require(serverError {
            try c.queryHistory(QueryHistoryRequest(source: "h", minSeverity: FeatureVerdict.Severity(rawValue: 7)))
        })
        #expect(severity.status == .invalidArgument && severity.fieldPath == "min_severity")
    }

    @Test("hostile input: a huge limit is capped, pages are cut to max_meta, names with control characters are not found")
    func hostile() throws {
        let fx = try Self.historyServer { $0.limits = FrameLimits(maxMetadata: 8_192) }
        defer { fx.close() }
        let c = fx.client
        let huge = try c.queryHistory(QueryHistoryRequest(source: "h", limit: .max))
        #expect(huge.encode().count <= 8_192)
        #expect(!huge.nextPageToken.isEmpty && huge.rows.count < 197)
        let (rows, pages) = try Self.allPages(c, QueryHistoryRequest(source: "h", limit: .max))
        #expect(rows.count == 197 && pages.count > 2)
        let reference = try PrefilledServer.rows(fx.storePath)
        #expect(rows.filter { $0.kind != .modelMetric }.count == reference)
        for name in ["h\u{0}", "h\n", "\u{7f}"] {
            #expect(serverError { try c.queryHistory(QueryHistoryRequest(source: name)) }?.status == .notFound)
        }
        #expect(serverError { try c.queryHistory(QueryHistoryRequest(source: "h", feature: "x\u{1b}[31m")) }?.status == .notFound)
        #expect(serverError { try c.queryHistory(QueryHistoryRequest(source: "h", sinceMs: .max)) } == nil)
        #expect(try c.queryHistory(QueryHistoryRequest(source: "h", sinceMs: .min, untilMs: .min + 1)).rows.isEmpty)
    }

    // MARK: ReportModelMetric

    @Test("metric reports: window by start or event time, late values replace, validation")
    func reportModelMetric() throws {
        let quarter = MonitoringSpec(windowLengthMs: 900_000)
        let fx = try PrefilledServer { store in
            try store.createSource(sourceSpec("s", ["x"]))
            try store.createSource(sourceSpec("q", ["x"], monitoring: quarter))
            try store.createSource(sourceSpec("rows", ["x"], monitoring: MonitoringSpec(windowRows: 1_000)))
            try store.applyIngest(source: "rows", key: nil, windowUpdates: [
                WindowUpdate(startMilliseconds: 5_000, endMilliseconds: 9_000, state: [1], rowsAdded: 1_000)])
        }
        defer { fx.close() }
        let c = fx.client
        func report(_ source: String = "s", model: String = "churn", metric: String = "auc", start: Int64? = nil,
                    event: Int64? = nil, value: Double = 0.8) throws -> ReportModelMetricResponse {
            try c.reportModelMetric(ReportModelMetricRequest(source: source, model: model, metric: metric,
                                                             windowStartMs: start, eventTimeMs: event, value: value,
                                                             higherIsBetter: true))
        }
        let first = try report(start: mqT0)
        #expect(first == ReportModelMetricResponse(window: WindowRange(startMs: mqT0, endMs: mqT0 + mqHour), replaced: false))
        let late = try report(event: mqT0 + 1_234, value: 0.7)
        #expect(late == ReportModelMetricResponse(window: WindowRange(startMs: mqT0, endMs: mqT0 + mqHour), replaced: true))
        let stored = try c.queryHistory(QueryHistoryRequest(source: "s", kinds: [.modelMetric])).rows
        #expect(stored.count == 1 && stored.first?.statistic == 0.7 && stored.first?.test == "churn/auc")
        // Another metric or model is another series; negative times align by floor.
        #expect(try report(metric: "f1", start: mqT0).replaced == false)
        #expect(try report(model: "team/churn-v2", start: mqT0).replaced == false)
        #expect(try report(event: -1).window == WindowRange(startMs: -mqHour, endMs: 0))
        #expect(try report("q", event: mqT0 + 1_000_000).window == WindowRange(startMs: mqT0 + 900_000, endMs: mqT0 + 1_800_000))
        #expect(try report("q", start: mqT0 + 900_000).replaced)
        // Row-count windows: a stored window, by start or by an event time inside it.
        #expect(try report("rows", start: 5_000).window == WindowRange(startMs: 5_000, endMs: 9_000))
        #expect(try report("rows", event: 8_999).replaced)

        func refused(_ body: () throws -> ReportModelMetricResponse) -> (WireStatus, String?)? {
            serverError(body).map { ($0.status, $0.fieldPath) }
        }
        #expect(refused { try report(start: mqT0 + 1) }! == (.invalidArgument, "window_start_ms"))
        #expect(refused { try report("q", start: mqT0 + 1_000_000) }! == (.invalidArgument, "window_start_ms"))
        #expect(refused { try report() }!.0 == .invalidArgument)
        #expect(refused { try report(start: mqT0, event: mqT0) }!.0 == .invalidArgument)
        for bad in [Double.nan, .infinity, -.infinity] {
            #expect(refused { try report(start: mqT0, value: bad) }! == (.invalidArgument, "value"))
        }
        #expect(refused { try report(model: "", start: mqT0) }! == (.invalidArgument, "model"))
        #expect(refused { try report(metric: "", start: mqT0) }! == (.invalidArgument, "metric"))
        #expect(refused { try report(model: "churn\n", start: mqT0) }! == (.invalidArgument, "model"))
        #expect(refused { try report(metric: "auc\u{0}", start: mqT0) }! == (.invalidArgument, "metric"))
        #expect(refused { try report(metric: "a/b", start: mqT0) }! == (.invalidArgument, "metric"))
        #expect(refused { try report(model: String(repeating: "m", count: 257), start: mqT0) }! == (.invalidArgument, "model"))
        #expect(refused { try report(event: .max) }!.0 == .invalidArgument)
        #expect(refused { try report("rows", start: 4_000) }! == (.invalidArgument, "window_start_ms"))
        #expect(refused { try report("rows", event: 9_000) }! == (.invalidArgument, "event_time_ms"))
        #expect(refused { try report("ghost", start: mqT0) }! == (.notFound, "source"))
    }

    // MARK: Baselines

    static func columns(rows: Int, seed: UInt64, xShift: Double) throws -> ColumnBlockEncoder {
        var g = Gen(state: seed)
        var e = ColumnBlockEncoder(rowCount: rows)
        try e.addFloat64("x", (0..<rows).map { _ in g.normal() + xShift })
        try e.addFloat32("y", (0..<rows).map { _ in Float(5 + 2 * g.normal()) })
        try e.addCategorical("c", codes: (0..<rows).map { _ in UInt32(g.next() % 3) }, dictionary: ["a", "b", "c"])
        return e
    }

    static func baselineState(_ spec: SourceSpec, _ e: ColumnBlockEncoder) throws -> [UInt8] {
        let decoded = try ColumnBlockDecoder().decode(e.encode())
        var builder = try FeatureBuilder.baselineBuilder(spec)
        try FeatureBuilder.append(decoded, of: spec, to: &builder)
        return builder.finish().encode()
    }

    @Test("list, promote and roll back; CheckDrift then names the new current baseline (the cache is dropped)")
    func baselines() throws {
        let b = SourceSpec(name: "b", features: features)
        let fx = try PrefilledServer { store in
            try store.createSource(b)
            try store.createSource(SourceSpec(name: "empty", features: features))
            // Version 1: x shifted by 3 σ, so current data drifts against it.
            try store.putBaseline(source: "b", rows: 3_000,
                                  state: try Self.baselineState(b, Self.columns(rows: 3_000, seed: 1, xShift: 3)))
        }
        defer { fx.close() }
        let c = fx.client
        let current = try EncodedBlock(Self.columns(rows: 800, seed: 9, xShift: 0))
        func check() throws -> (UInt64, FeatureVerdict.Decision?) {
            let r = try c.checkDrift(source: "b", block: current)
            return (r.baselineID, r.verdicts.first { $0.feature == "x" }?.decision)
        }
        #expect(try check() == (1, .drift))  // caches version 1
        #expect(try c.putBaseline(source: "b", blocks: [EncodedBlock(Self.columns(rows: 3_000, seed: 2, xShift: 0))]).baselineID == 2)
        #expect(try check() == (2, .stable))

        let listed = try c.listBaselines("b")
        #expect(listed.map(\.id) == [1, 2] && listed.map(\.current) == [false, true])
        #expect(listed.allSatisfy { $0.kind == .fixed && $0.rows == 3_000 && $0.createdMs > 0 })
        #expect(try c.listBaselines("empty").isEmpty)

        let promoted = try c.promoteBaseline(source: "b", baselineID: 1)
        #expect(promoted.current.id == 1 && promoted.current.current && promoted.previousID == 2)
        #expect(try check() == (1, .drift))
        #expect(try c.listBaselines("b").filter(\.current).map(\.id) == [1])

        let back = try c.rollbackBaseline(source: "b")
        #expect(back.current.id == 2 && back.current.current && back.previousID == 1)
        #expect(try check() == (2, .stable))
        let twice = try #require(serverError { try c.rollbackBaseline(source: "b") })
        #expect(twice.status == .failedPrecondition && twice.message.contains("baseline 2 is current"))
        let none = try #require(serverError { try c.rollbackBaseline(source: "empty") })
        #expect(none.status == .failedPrecondition && none.message.contains("it has no baseline"))

        let missing = try #require(serverError { try c.promoteBaseline(source: "b", baselineID: 99) })
        #expect(missing.status == .notFound && missing.fieldPath == "baseline_id" && missing.message.contains("1, 2"))
        #expect(serverError { try c.promoteBaseline(source: "b", baselineID: .max) }?.status == .notFound)
        #expect(serverError { try c.promoteBaseline(source: "empty", baselineID: 1) }?.status == .notFound)
        for source in ["ghost", "b\u{0}"] {
            #expect(serverError { try c.listBaselines(source) }?.status == .notFound)
            #expect(serverError { try c.promoteBaseline(source: source, baselineID: 1) }?.fieldPath == "source")
            #expect(serverError { try c.rollbackBaseline(source: source) }?.status == .notFound)
        }
    }

    // MARK: PerformanceCorrelation

    /// scipy's `spearmanr` case from Tests/Fixtures/monitoring.json (tools/gen_monitoring_fixtures.py).
    static func spearmanCase(_ name: String) throws -> (x: [Double], y: [Double], rho: Double, p: Double) {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/monitoring.json")
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let cases = root["spearman"] as! [[String: Any]]
        let c = try #require(cases.first { $0["name"] as? String == name })
        func doubles(_ v: Any?) -> [Double] { (v as! [String]).map { Double($0)! } }
        return (doubles(c["x"]), doubles(c["y"]), Double(c["rho"] as! String)!, Double(c["p"] as! String)!)
    }

    @Test("the feature whose drift tracks the metric drop ranks first, with scipy's rho and p; lags; direction")
    func performanceCorrelation() throws {
        // "strong negative 40": y ≈ −x. x is feature a's drift score per window, y the accuracy: more drift, lower
        // accuracy. Feature c's score leads by two windows; b is noise; d has no verdicts; a's null-rate verdicts
        // (another kind) must be ignored.
        let f = try Self.spearmanCase("strong negative 40")
        let fx = try PrefilledServer { store in
            try store.createSource(sourceSpec("p", ["a", "b", "c", "d"]))
            try store.createSource(sourceSpec("few", ["a"]))
            var g = Gen(state: 77)
            for w in 0..<40 {
                let at = Int64(w)
                try store.recordVerdicts([
                    verdictRow("p", "a", window: at, effect: f.x[w]),
                    verdictRow("p", "a", window: at, kind: .nullRate, effect: -f.x[w]),
                    verdictRow("p", "b", window: at, effect: g.uniform()),
                    verdictRow("p", "c", window: at - 2, effect: f.x[w]),
                ])
                try store.putModelMetric(ModelMetricRecord(source: "p", metric: "clf/accuracy",
                                                           windowStartMilliseconds: mqT0 + at * mqHour, value: f.y[w],
                                                           reportedMilliseconds: 1, higherIsBetter: true))
            }
            for w in Int64(0)..<2 {
                try store.recordVerdicts([verdictRow("few", "a", window: w, effect: Double(w))])
                try store.putModelMetric(ModelMetricRecord(source: "few", metric: "clf/accuracy",
                                                           windowStartMilliseconds: mqT0 + w * mqHour, value: 0.5,
                                                           reportedMilliseconds: 1, higherIsBetter: true))
            }
        }
        defer { fx.close() }
        let c = fx.client
        let request = PerformanceCorrelationRequest(source: "p", model: "clf", metric: "accuracy", windows: 40, maxLag: 2)
        let r = try c.performanceCorrelation(request)
        #expect(r.windowsUsed == 40)
        #expect(r.features.map(\.feature) == ["a", "c", "b", "d"])
        #expect(r.features.map(\.rank) == [1, 2, 3, 0])
        let a = r.features[0], cLead = r.features[1], d = r.features[3]
        #expect(a.lag == 0 && a.n == 40 && cLead.lag == 2 && cLead.n == 40)
        for x in [a, cLead] {
            #expect(abs(x.rho! - f.rho) <= 1e-12)
            #expect(abs(x.pValue! - min(1, 3 * f.p)) <= 1e-9 * 3 * f.p)  // Bonferroni over the 3 lags
        }
        #expect(d.rho == nil && d.pValue == nil && d.n == 0)

        // Lag 0 only: a's p-value is scipy's.
        let lag0 = try c.performanceCorrelation(PerformanceCorrelationRequest(source: "p", model: "clf", metric: "accuracy",
                                                                              windows: 40))
        #expect(lag0.features.first?.feature == "a")
        #expect(abs(lag0.features[0].pValue! - f.p) <= 1e-9 * f.p)
        // A late report saying lower is better flips the direction: a's drift now goes with *better* values.
        _ = try c.reportModelMetric(ReportModelMetricRequest(source: "p", model: "clf", metric: "accuracy",
                                                             windowStartMs: mqT0 + 39 * mqHour, value: f.y[39],
                                                             higherIsBetter: false))
        let flipped = try c.performanceCorrelation(PerformanceCorrelationRequest(source: "p", model: "clf",
                                                                                 metric: "accuracy", windows: 40))
        #expect(flipped.features.filter { $0.rank > 0 }.last?.feature == "a")
        #expect(flipped.features.first { $0.feature == "a" }?.rho == lag0.features[0].rho)

        let few = try #require(serverError {
            try c.performanceCorrelation(PerformanceCorrelationRequest(source: "few", model: "clf", metric: "accuracy"))
        })
        #expect(few.status == .failedPrecondition && few.message.contains("only 2 of the last 48 windows"))
        let unknown = try #require(serverError {
            try c.performanceCorrelation(PerformanceCorrelationRequest(source: "p", model: "clf", metric: "auc"))
        })
        #expect(unknown.status == .notFound && unknown.fieldPath == "metric")
        #expect(serverError { try c.performanceCorrelation(PerformanceCorrelationRequest(source: "ghost", model: "clf",
                                                                                     metric: "accuracy")) }?.status == .notFound)
        let lag = try #require(serverError {
            try c.performanceCorrelation(PerformanceCorrelationRequest(source: "p", model: "clf", metric: "accuracy",
                                                                       maxLag: 101))
        })
        #expect(lag.status == .invalidArgument && lag.fieldPath == "max_lag")
        #expect(serverError { try c.performanceCorrelation(PerformanceCorrelationRequest(source: "p", model: "clf\u{7}",
                                                                                     metric: "accuracy")) }?.status
                == .invalidArgument)
        // A huge window count is capped, not an error.
        #expect(try c.performanceCorrelation(PerformanceCorrelationRequest(source: "p", model: "clf", metric: "accuracy",
                                                                           windows: .max)).windowsUsed == 40)
    }

    @Test("row-count windows correlate by their order in time, however irregular their starts")
    func rowCountCorrelation() throws {
        let f = try Self.spearmanCase("correlated 50")
        // Irregular starts: window k starts at k² seconds.
        let start = { (k: Int) -> Int64 in Int64(k * k) * 1_000 }
        let fx = try PrefilledServer { store in
            try store.createSource(sourceSpec("rc", ["a", "b"], monitoring: MonitoringSpec(windowRows: 500)))
            for k in 0..<50 {
                let row = VerdictRow(source: "rc", feature: "a", windowStartMilliseconds: start(k),
                                     windowEndMilliseconds: start(k + 1), baselineID: 1, kind: .drift, test: "ks",
                                     statistic: 0.1, p: 0.5, pAdjusted: 0.5, effectName: "psi", effect: f.x[k],
                                     warningThreshold: 0.1, criticalThreshold: 0.25, nBaseline: 10, nCurrent: 10,
                                     decision: 0, severity: 0, status: 0, stale: false, reasons: "",
                                     createdMilliseconds: 0)
                var b = row
                b.feature = "b"
                b.effect = Double(k % 7)
                try store.recordVerdicts([row, b])
                // "correlated 50": y ≈ x, so with lower-is-better (an error rate) a's drift goes with degradation.
                try store.putModelMetric(ModelMetricRecord(source: "rc", metric: "clf/error", windowStartMilliseconds: start(k),
                                                           value: f.y[k], reportedMilliseconds: 1, higherIsBetter: false))
            }
        }
        defer { fx.close() }
        let r = try fx.client.performanceCorrelation(PerformanceCorrelationRequest(source: "rc", model: "clf",
                                                                                   metric: "error", windows: 50))
        #expect(r.windowsUsed == 50 && r.features.first?.feature == "a" && r.features.first?.n == 50)
        #expect(abs(r.features[0].rho! - f.rho) <= 1e-12 && abs(r.features[0].pValue! - f.p) <= 1e-9 * f.p)
    }

    // MARK: Retention

    @Test("applyRetention deletes history and closed windows older than the retention; 0 keeps everything")
    func retention() throws {
        let prefill: (DriftStore) throws -> Void = { store in
            try store.createSource(sourceSpec("r", ["x"]))
            for w in Int64(0)..<48 {
                try store.recordVerdicts([verdictRow("r", "x", window: w)])
                try store.putModelMetric(ModelMetricRecord(source: "r", metric: "m/auc", windowStartMilliseconds: mqT0 + w * mqHour,
                                                           value: 0.5, reportedMilliseconds: 1))
                try store.applyIngest(source: "r", key: nil, windowUpdates: [
                    WindowUpdate(startMilliseconds: mqT0 + w * mqHour, endMilliseconds: mqT0 + (w + 1) * mqHour,
                                 state: [1], rowsAdded: 1)])
                if w != 3 { try store.closeWindow(source: "r", start: mqT0 + w * mqHour) }
            }
        }
        let fx = try PrefilledServer(configure: { $0.historyRetentionDays = 1 }, prefill: prefill)
        defer { fx.close() }
        let now = mqT0 + 48 * mqHour
        // Windows 0..<24 are older than a day: 24 verdicts, 24 metrics, 23 closed windows (window 3 is open).
        #expect(try fx.server.core.applyRetention(nowMs: now) == 24 + 24 + 23)
        #expect(try fx.server.core.applyRetention(nowMs: now) == 0)
        let rows = try fx.client.queryHistory(QueryHistoryRequest(source: "r")).rows
        #expect(rows.first?.window.startMs == mqT0 + 24 * mqHour && rows.count == 48)
        let store = try DriftStore(path: fx.storePath)
        #expect(try store.windows(source: "r", from: .min, to: .max).map(\.startMilliseconds).prefix(2)
                == [mqT0 + 3 * mqHour, mqT0 + 24 * mqHour])

        let forever = try PrefilledServer(configure: { $0.historyRetentionDays = 0 }, prefill: prefill)
        defer { forever.close() }
        #expect(try forever.server.core.applyRetention(nowMs: .max) == 0)
        #expect(try forever.client.queryHistory(QueryHistoryRequest(source: "r")).rows.count == 96)
        #expect(try forever.server.core.applyRetention(nowMs: .min) == 0)
    }

    // MARK: VerdictCodes

    @Test("engine verdicts become stored rows with the documented codes and the wire's names")
    func verdictCodes() {
        let pair = FeatureWindowVerdict(
            source: "s", feature: "a", partnerFeature: "b", windowStartMs: 0, windowEndMs: 10, baselineId: 4,
            kind: .correlation, testName: "fisher-z", statistic: 2.5, pValue: 0.01, adjustedPValue: nil,
            effectName: "correlation_change", effectValue: 0.3,
            thresholds: VerdictThresholds(significance: 0.01, benjaminiHochberg: true, warning: 0.2, critical: 0.4),
            baselineCount: 1000, currentCount: 100, decision: .drifting, severity: .warning,
            status: {
                var s = DriftEngine.FeatureStatus()
                s.state = .recovering
                return s
            }(), stale: true, reasons: ["|dr| 0.3 >= 0.2", "fisher p < 0.01"])
        let row = VerdictCodes.row(pair, createdMilliseconds: 99)
        #expect(row.feature == "a|b" && row.kind == .correlation && row.test == "fisher-z" && row.effectName == "delta_r")
        #expect(row.decision == 1 && row.severity == 2 && row.status == 3 && row.stale && row.baselineID == 4)
        #expect(row.pAdjusted.isNaN && row.reasons == "|dr| 0.3 >= 0.2; fisher p < 0.01" && row.createdMilliseconds == 99)
        let wire = VerdictCodes.historyRow(row)
        #expect(wire.pAdjusted == nil && wire.decision == .drift && wire.severity == .warning)
        #expect(wire.status == .recovering && wire.reasons == ["|dr| 0.3 >= 0.2", "fisher p < 0.01"])
        #expect(VerdictCodes.decision(.clean) == 0 && VerdictCodes.decision(.insufficientData) == 2)
        #expect(MonitoringSeverity.allCases.map(VerdictCodes.severity) == [0, 1, 2, 3])
        #expect(SignalState.allCases.map(VerdictCodes.status) == [0, 1, 2, 3])
        #expect([UInt8(0), 1, 2, 3].map(VerdictCodes.wireStatus) == [.ok, .ok, .drifting, .recovering])
        #expect(VerdictCodes.testName("two-proportion-z") == "null-rate" && VerdictCodes.testName("freshness-sla") == "freshness")
        #expect(VerdictCodes.effectName("normed_wasserstein") == "wasserstein_normed")
        #expect(SignalKind.allCases.map { VerdictCodes.kind($0).rawValue } == SignalKind.allCases.map(\.code))
    }
}

extension PrefilledServer {
    /// Verdict rows of source "h" as the store holds them (read through a second connection).
    static func rows(_ path: String) throws -> Int {
        try DriftStore(path: path).history(source: "h", limit: 100_000).rows.count
    }
}
