@testable import driftctl
import DriftFakeServer
import DriftClient
import DriftLoad
import DriftTransport
import DriftWire
import Foundation
import Synchronization
import Testing

/// A fake driftd (`FakeServer`) answering each request with `answer(method, metadata)` — a status and metadata —
/// and recording every request, for driving the driftctl binary with canned monitoring answers.
final class CannedServer: Sendable {
    typealias Answer = @Sendable (MethodID?, [UInt8]) -> (WireStatus, [UInt8])
    final class Log: Sendable {
        let requests = Mutex<[(MethodID?, [UInt8], Int)]>([])
    }

    let fake: FakeServer
    let log = Log()

    init(_ answer: @escaping Answer) throws {
        let log = self.log
        fake = try FakeServer { c, _ in
            while let r = c.receiveRequest() {
                let method = MethodID(rawValue: r.header.methodID)
                log.requests.withLock { $0.append((method, r.metadata, r.body.count)) }
                let (status, metadata) = answer(method, r.metadata)
                c.respond(to: r, metadata: metadata, status: status)
            }
        }
    }

    var address: String { "127.0.0.1:\(fake.port)" }

    func run(_ args: [String]) throws -> CompareCommandTests.Run {
        try CompareCommandTests.run(args + ["--server", address])
    }

    /// The metadata of every request of `method`, in order.
    func requests(_ method: MethodID) -> [[UInt8]] {
        log.requests.withLock { $0.filter { $0.0 == method }.map(\.1) }
    }

    func stop() { fake.stop() }

    static func error(_ status: WireStatus, _ message: String) -> (WireStatus, [UInt8]) {
        (status, ErrorDetail(status: status, message: message).encode())
    }

    /// The source every canned answer is about: x (float64), c (categorical).
    static let spec = SourceSpec(name: "s", features: [FeatureSpec(name: "x", type: FeatureType.float64.wireValue),
                                                       FeatureSpec(name: "c", type: FeatureType.categorical.wireValue)])
    static let getSource = (WireStatus.ok, GetSourceResponse(source: spec, baselineID: 3).encode())
}

/// Canned monitoring answers (PROTOCOL §13) shared by the tests.
enum Canned {
    static let t0: Int64 = 1_796_378_400_000   // 2026-12-04T10:00:00Z
    static let hour: Int64 = 3_600_000
    static func window(_ i: Int64) -> WindowRange { WindowRange(startMs: t0 + i * hour, endMs: t0 + (i + 1) * hour) }

    static let closed = ClosedWindow(window: window(0), baselineID: 3, verdicts: [
        FeatureVerdict(feature: "c", kind: .categorical, pValue: 0.4, decision: .stable),
        FeatureVerdict(feature: "x", kind: .numeric, ksD: 0.31, pValue: 1e-9, psi: 0.42, decision: .drift, severity: .critical,
                       reasons: ["psi 0.42 >= 0.25"]),
    ])

    static func row(_ i: Int64, _ feature: String, test: String, kind: HistoryKind = .drift, severity: FeatureVerdict.Severity = .none,
                    decision: FeatureVerdict.Decision = .stable) -> HistoryRow {
        HistoryRow(source: "s", feature: feature, window: window(i), baselineID: kind == .drift ? 3 : 0, kind: kind, test: test,
                   statistic: 0.125, pValue: 0.002, effectName: test == "ks" ? "psi" : "", effectValue: test == "ks" ? 0.31 : nil,
                   decision: decision, severity: severity)
    }

    static let status = GetSourceStatusResponse(
        freshness: .stale, eventAgeMs: 5_400_000, arrivalAgeMs: nil, staleRule: "max_event_age_ms", lastClosedWindow: window(0),
        features: [FeatureStatusEntry(feature: "c", status: .ok),
                   FeatureStatusEntry(feature: "y", status: .recovering, severity: .warning, sinceWindowStartMs: t0 - hour),
                   FeatureStatusEntry(feature: "x", status: .drifting, severity: .critical, sinceWindowStartMs: t0 - 2 * hour)],
        baselineID: 3, lateRows: 7)

    static let correlation = PerformanceCorrelationResponse(features: [
        FeatureCorrelation(feature: "c", rho: nil, lag: 0, n: 2, pValue: nil, rank: 0),
        FeatureCorrelation(feature: "y", rho: 0.2, lag: 0, n: 40, pValue: 0.2, rank: 2),
        FeatureCorrelation(feature: "x", rho: -0.71, lag: 1, n: 39, pValue: 0.00001, rank: 1),
    ], windowsUsed: 41)
}

@Suite("driftctl monitoring commands: formatting (no server)")
struct MonitoringFormattingTests {
    @Test("ingest: counts, duplicate blocks, windows touched, closed windows with drifting features first")
    func ingest() throws {
        let blocks = [
            MonitoringReport.IngestBlock(rows: 3, key: "K/0", response: IngestResponse(
                rowsAccepted: 2, rowsLate: 1, windowsTouched: [Canned.window(1), Canned.window(0)], windowsClosed: [Canned.closed])),
            MonitoringReport.IngestBlock(rows: 2, key: "K/1", response: IngestResponse(
                rowsAccepted: 2, duplicate: true, windowsTouched: [Canned.window(1)], windowsClosed: [Canned.closed])),
        ]
        let s = MonitoringReport.IngestSummary(source: "s", file: "f.csv", blocks: blocks)
        #expect(s.accepted == 2 && s.late == 1 && s.duplicateRows == 2 && s.windowsClosed.count == 1 && s.driftingWindows == 1)
        let text = MonitoringReport.ingestText(s)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "ingested f.csv into s: 5 rows in 2 blocks — 2 accepted, 1 late, 2 duplicate")
        #expect(lines[1] == "  block 2 (key K/1) was already ingested: not counted again")
        #expect(lines[2] == "windows touched: 2026-12-04T10:00:00Z, 2026-12-04T11:00:00Z")
        #expect(lines[3] == "closed 1 window, 1 drifting:")
        #expect(lines[5] == "window 2026-12-04T10:00:00Z – 2026-12-04T11:00:00Z, baseline 3: DRIFTING 1 of 2 features: x (critical)")
        #expect(lines[6].hasPrefix("feature") && lines[6].contains("KS D") && lines[6].contains("reasons"))
        #expect(lines[8].hasPrefix("x ") && lines[8].contains("drift") && lines[8].contains("0.31") && lines[8].contains("psi 0.42 >= 0.25"))
        #expect(lines[9].hasPrefix("c ") && lines[9].contains("stable"))

        let json = MonitoringReport.ingestJSON(s).text
        #expect(json.contains(#""rows_accepted":2,"rows_late":1,"rows_duplicate":2"#))
        #expect(json.contains(#""drifting":["x"]"#) && json.contains(#""drifting_windows":1"#))
        #expect(json.contains(#""start":"2026-12-04T10:00:00Z""#))

        let quiet = MonitoringReport.IngestSummary(source: "s", file: "f.csv", blocks: [
            MonitoringReport.IngestBlock(rows: 1, key: "", response: IngestResponse(rowsAccepted: 1, windowsTouched:
                (0..<5).map { Canned.window($0) }))])
        let q = MonitoringReport.ingestText(quiet)
        #expect(q.contains("windows touched: 5, 2026-12-04T10:00:00Z … 2026-12-04T14:00:00Z\n"))
        #expect(q.hasSuffix("no window closed\n"))
    }

    @Test("history: one row per verdict with ISO window start, effect, decision, severity, baseline")
    func history() throws {
        let rows = [Canned.row(0, "x", test: "ks", severity: .critical, decision: .drift),
                    Canned.row(1, "", test: "accuracy", kind: .modelMetric),
                    Canned.row(1, "", test: "freshness", kind: .freshness)]
        let text = MonitoringReport.historyText(rows, truncated: true)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                == "window start feature test statistic p effect decision severity baseline")
        let cells = lines[2].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        #expect(cells == ["2026-12-04T10:00:00Z", "x", "ks", "0.125", "0.00200", "psi", "0.310", "drift", "critical", "3"])
        let metric = lines[3].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        #expect(metric == ["2026-12-04T11:00:00Z", "-", "accuracy", "0.125", "0.00200", "-", "-", "-", "-"])
        #expect(lines.last == "3 rows (more match: raise --limit or narrow --since/--until)")
        #expect(MonitoringReport.historyText([], truncated: false) == "no history rows match\n")
        let json = MonitoringReport.historyJSON(source: "s", rows: rows, truncated: false).text
        #expect(json.contains(#""kind":"metric""#) && json.contains(#""effect_name":"psi","effect_value":0.31"#))
        #expect(json.contains(#""baseline_id":null"#) && json.contains(#""truncated":false"#))
    }

    @Test("status: freshness and the broken rule, ages, last window, features drifting first")
    func status() throws {
        let text = MonitoringReport.statusText(source: "s", Canned.status)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "source s: stale (broken rule: max_event_age_ms)")
        #expect(text.contains("newest event        1h30m ago\n") && text.contains("last arrival        never\n"))
        #expect(text.contains("last closed window  2026-12-04T10:00:00Z – 2026-12-04T11:00:00Z\n"))
        #expect(text.contains("baseline            3\n") && text.contains("late rows           7\n"))
        #expect(text.contains("features            3, 1 drifting, 1 recovering\n"))
        let features = lines.drop { !$0.hasPrefix("feature ") }.dropFirst(2).map { $0.split(separator: " ").map(String.init) }
        #expect(features.map { $0[0] } == ["x", "y", "c"])
        #expect(features[0] == ["x", "drifting", "critical", "2026-12-04T08:00:00Z"])
        #expect(features[2] == ["c", "ok", "-", "-"])
        let json = MonitoringReport.statusJSON(source: "s", Canned.status).text
        #expect(json.contains(#""freshness":"stale","stale_rule":"max_event_age_ms","event_age_ms":5400000,"arrival_age_ms":null"#))
        #expect(json.contains(#""features":[{"feature":"x","status":"drifting","severity":"critical""#))
        let fresh = MonitoringReport.statusText(source: "s", GetSourceStatusResponse(freshness: .unspecified))
        #expect(fresh.hasPrefix("source s: no SLA\n") && fresh.contains("last closed window  none yet"))
    }

    @Test("baselines, promote/rollback, metric, acknowledgement, correlation ranking")
    func others() throws {
        let versions = [BaselineVersion(id: 1, rows: 5000, createdMs: Canned.t0, kind: .fixed),
                        BaselineVersion(id: 2, rows: 1200, createdMs: Canned.t0 + Canned.hour, kind: .rolling, current: true)]
        let table = MonitoringReport.baselinesText(source: "s", versions).split(separator: "\n").map {
            $0.split(separator: " ").map(String.init)
        }
        #expect(table[2] == ["1", "fixed", "5,000", "2026-12-04T10:00:00Z"])
        #expect(table[3] == ["2", "*", "rolling", "1,200", "2026-12-04T11:00:00Z"])
        #expect(MonitoringReport.baselinesText(source: "s", []) == "s has no baselines yet\n")
        let change = BaselineChangeResponse(current: versions[0], previousID: 2)
        #expect(MonitoringReport.baselineChangeText(source: "s", verb: "rolled back", change)
                == "rolled back: baseline 1 of s is current (was 2); fixed, 5,000 rows\n")
        #expect(MonitoringReport.baselineChangeJSON(source: "s", change).text.contains(#""previous_id":2"#))

        let q = ReportModelMetricRequest(source: "s", model: "m", metric: "auc", windowStartMs: Canned.t0, value: 0.875)
        #expect(MonitoringReport.metricText(source: "s", q, ReportModelMetricResponse(window: Canned.window(0), replaced: true))
                == "m/auc = 0.875 for window 2026-12-04T10:00:00Z – 2026-12-04T11:00:00Z of s (replaced the earlier value)\n")
        #expect(MonitoringReport.acknowledgeText(source: "s", AcknowledgeWindowResponse(acknowledged: false, window: Canned.window(0)))
                .contains("was already acknowledged or raised no alert"))

        let cq = PerformanceCorrelationRequest(source: "s", model: "m", metric: "auc", windows: 50, maxLag: 2)
        let text = MonitoringReport.correlationText(source: "s", cq, Canned.correlation)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "drift of s's features against m/auc over 41 windows (rank 1 = most associated with drops of the metric)")
        let ranked = lines.dropFirst(3).map { $0.split(separator: " ").map(String.init) }
        #expect(ranked[0] == ["1", "x", "-0.710", "1", "39", "1.00e-5"])
        #expect(ranked[1] == ["2", "y", "0.200", "0", "40", "0.200"])
        #expect(ranked[2] == ["-", "c", "-", "0", "2", "-"])
        #expect(MonitoringReport.correlationJSON(source: "s", cq, Canned.correlation).text
                .contains(#"{"feature":"c","rank":null,"rho":null,"lag":0,"n":2,"p_value":null}"#))
    }

    @Test("UNIMPLEMENTED from the server names the method; a handshake version mismatch and local errors do not")
    func unimplementedMessages() {
        let o = ServerOptions()
        let served = o.describe(DriftClientError(status: .unimplemented, message: "QueryHistory is not served by this driftd build yet",
                                                 origin: .server), method: .queryHistory)
        #expect(served == "this driftd does not serve QueryHistory; upgrade the server (driftd at 127.0.0.1:7400 answered "
                + "UNIMPLEMENTED: QueryHistory is not served by this driftd build yet)")
        let handshake = o.describe(DriftClientError(status: .unimplemented, message: "wire version mismatch: this client speaks "
                                                    + "wire version 1, driftd at 127.0.0.1:7400 does not", origin: .server), method: .ingest)
        #expect(handshake.hasPrefix("wire version mismatch") && !handshake.contains("does not serve Ingest"))
        let notFound = o.describe(DriftClientError(status: .notFound, message: "no source named s", origin: .server), method: .ingest)
        #expect(notFound == "no source named s (NOT_FOUND)")
    }

    @Test("ingest idempotency keys per block; history --kind plans and row filters; severities")
    func keysAndKinds() throws {
        #expect(IngestCommand.blockKeys("K", count: 1) == ["K"])
        #expect(IngestCommand.blockKeys("K", count: 3) == ["K/0", "K/1", "K/2"])
        #expect(IngestCommand.blockKeys(nil, count: 2) == ["", ""])

        let ks = Canned.row(0, "x", test: "ks"), nulls = Canned.row(0, "x", test: "null-rate")
        #expect(HistoryCommand.Kind.nullRate.keeps(Canned.row(0, "x", test: "two-proportion-z")))   // the engine's name
        let pair = Canned.row(0, "x|y", test: "fisher-z"), fresh = Canned.row(0, "", test: "freshness", kind: .freshness)
        let all = [ks, nulls, pair, fresh]
        func plan(_ names: [String]) throws -> ([HistoryKind], [HistoryRow]) {
            let p = HistoryCommand.plan(try HistoryCommand.kinds(names))
            return (p.wire, p.filter.map { all.filter($0) } ?? all)
        }
        #expect(try plan([]) == ([], all))
        #expect(try plan(["drift"]) == ([.drift], [ks]))
        #expect(try plan(["null-rate", "freshness"]) == ([.drift, .freshness], [nulls, fresh]))
        #expect(try plan(["correlation"]) == ([.drift], [pair]))
        #expect(try plan(["drift", "null_rate", "correlation"]) == ([.drift], all))
        #expect(try plan(["metric", "metric"]).0 == [.modelMetric])
        let bad = #expect(throws: ArgumentError.self) { try HistoryCommand.kinds(["drfit"]) }
        #expect(bad?.message.contains("unknown kind 'drfit'; use drift, null_rate, correlation, freshness, metric") == true)
        #expect(try HistoryCommand.severity("Warning") == .warning)
        #expect(throws: ArgumentError.self) { try HistoryCommand.severity("info") }
    }

    @Test("schema files: every monitoring key maps onto MonitoringSpec, and reads back from source get --json")
    func schemaMonitoring() throws {
        let json = """
            {"features": [{"name": "a", "type": "float64"}, {"name": "b", "type": "float32"}],
             "monitoring": {"window": "1h", "event_time_column": "ts", "grace_ms": "10m", "value_cap": 50000,
                            "max_event_age_ms": 7200000, "max_arrival_interval_ms": "30m", "baseline": "rolling",
                            "rolling_windows": 24, "persistence_k": 3, "recovery_j": 2, "benjamini_hochberg": false,
                            "correlation_groups": [["a", "b"]]}}
            """
        let root = try JSONSerialization.jsonObject(with: Data(json.utf8))
        let spec = try SchemaFile.parse(root, name: "src")
        let m = try #require(spec.monitoring)
        #expect(m == MonitoringSpec(windowLengthMs: 3_600_000, eventTimeColumn: "ts", graceMs: 600_000, valueCap: 50_000,
                                    maxEventAgeMs: 7_200_000, maxArrivalIntervalMs: 1_800_000, baselineMode: .rolling,
                                    rollingWindows: 24, persistenceK: 3, recoveryJ: 2, benjaminiHochberg: false,
                                    correlationGroups: [CorrelationGroup(features: ["a", "b"])]))
        let back = SchemaFile.monitoringJSON(m).text
        let again = try SchemaFile.parse(try JSONSerialization.jsonObject(with: Data(
            #"{"features": [{"name": "a", "type": "float64"}, {"name": "b", "type": "float32"}], "monitoring": \#(back)}"#.utf8)),
                                         name: "src")
        #expect(again.monitoring == m)
        #expect(SchemaFile.monitoringSummary(m).hasPrefix("windows 1h by event time (ts), grace 10m, value cap 50,000"))
        // No "monitoring": absent (the server's defaults); an empty object: present and empty.
        #expect(try SchemaFile.parse(try JSONSerialization.jsonObject(with: Data(#"{"features": [{"name": "a", "type": "bool"}]}"#.utf8)),
                                     name: "n").monitoring == nil)
        #expect(try SchemaFile.parse(try JSONSerialization.jsonObject(with: Data(
            #"{"features": [{"name": "a", "type": "bool"}], "monitoring": {}}"#.utf8)), name: "n").monitoring == MonitoringSpec())
        #expect(try SchemaFile.parse(try JSONSerialization.jsonObject(with: Data(
            #"{"features": [{"name": "a", "type": "bool"}], "monitoring": {"window_rows": 1000, "baseline": "fixed"}}"#.utf8)),
                                     name: "n").monitoring == MonitoringSpec(windowRows: 1000, baselineMode: .fixed))
    }

    @Test("schema files: monitoring errors name the key", arguments: [
        (#""windw": "1h""#, "monitoring: unknown key 'windw'"),
        (#""window": "1 hour""#, "monitoring: \"window\": \"1 hour\": unknown unit 'hour'"),
        (#""window": 3600000"#, "\"window\" must be a duration string"),
        (#""window": "1h", "window_length_ms": 3600000"#, "give \"window\" or \"window_length_ms\", not both"),
        (#""window_rows": 0"#, "\"window_rows\" must be a whole number ≥ 1 (got 0)"),
        (#""window_rows": 2.5"#, "\"window_rows\" must be a whole number ≥ 1"),
        (#""grace_ms": true"#, "\"grace_ms\" must be a whole number of milliseconds or a duration"),
        (#""grace_ms": -5"#, "\"grace_ms\" must be a whole number ≥ 0"),
        (#""baseline": "sliding""#, "\"baseline\" must be \"fixed\" or \"rolling\""),
        (#""persistence_k": 5000000000"#, "\"persistence_k\" must be a whole number in 1…4294967295"),
        (#""benjamini_hochberg": 1"#, "\"benjamini_hochberg\" must be true or false"),
        (#""event_time_column": 3"#, "\"event_time_column\" must be a column name"),
        (#""event_time_column": "a""#, "\"event_time_column\" (a) must not be a feature"),
        (#""correlation_groups": ["a", "b"]"#, "monitoring.correlation_groups[0] must be a list of feature names"),
        (#""correlation_groups": [["a"]]"#, "monitoring.correlation_groups[0] needs at least two features"),
        (#""correlation_groups": [["a", "zz"]]"#, "monitoring.correlation_groups[0]: 'zz' is not a feature of the source"),
        (#""baseline": "fixed", "rolling_windows": 4"#, "\"rolling_windows\" needs \"baseline\": \"rolling\""),
    ])
    func schemaMonitoringErrors(fields: String, message: String) throws {
        let json = #"{"features": [{"name": "a", "type": "float64"}, {"name": "b", "type": "float64"}], "monitoring": {\#(fields)}}"#
        let root = try JSONSerialization.jsonObject(with: Data(json.utf8))
        let error = #expect(throws: SchemaError.self) { try SchemaFile.parse(root, name: "n") }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "") lacks \(message)")
    }
}

@Suite("driftctl monitoring commands against a fake driftd (canned answers)")
struct MonitoringCommandTests {
    static func csv(rows: Int) throws -> String {
        var text = "x,c,extra\n"
        for i in 0..<rows { text += "\(Double(i) * 0.5),\(i % 2 == 0 ? "a" : "b"),1\n" }
        return try CompareCommandTests.temp("ingest-\(rows)-\(UUID().uuidString).csv", text)
    }

    @Test("ingest: blocks with per-block keys K/0…, --timestamp-ms and --allow-late sent; duplicates and drift reported")
    func ingestMultiBlock() throws {
        let calls = Mutex(0)
        let s = try CannedServer { method, _ in
            switch method {
            case .getSource: return CannedServer.getSource
            case .ingest:
                let n = calls.withLock { $0 += 1; return $0 }
                return (.ok, IngestResponse(rowsAccepted: 2, duplicate: n == 2,
                                            windowsTouched: [Canned.window(0)],
                                            windowsClosed: n == 3 ? [Canned.closed] : []).encode())
            default: return CannedServer.error(.unimplemented, "no")
            }
        }
        defer { s.stop() }
        let file = try Self.csv(rows: 5)
        let r = try s.run(["ingest", "s", file, "--key", "run-7", "--block-rows", "2", "--allow-late",
                           "--timestamp-ms", "2026-12-04T10:30:00Z"])
        #expect(r.status == 1, "\(r.stderr)")   // a closed window drifts
        #expect(r.stderr.contains("ignoring columns that are not features of s: extra"))
        let sent = try s.requests(.ingest).map(IngestRequest.decode)
        #expect(sent.map(\.idempotencyKey) == ["run-7/0", "run-7/1", "run-7/2"])
        #expect(sent.allSatisfy { $0.source == "s" && $0.allowLate && $0.blockTimestampMs == Canned.t0 + 1_800_000 })
        #expect(r.stdout.hasPrefix("ingested \(file) into s: 5 rows in 3 blocks — 4 accepted, 0 late, 2 duplicate\n"), "\(r.stdout)")
        #expect(r.stdout.contains("block 2 (key run-7/1) was already ingested: not counted again"))
        #expect(r.stdout.contains("closed 1 window, 1 drifting:"))
        #expect(r.stdout.contains("DRIFTING 1 of 2 features: x (critical)"))

        let single = try s.run(["ingest", "s", file, "--key", "one", "--json"])
        #expect(single.status == 0, "\(single.stderr)")
        #expect(try s.requests(.ingest).last.map(IngestRequest.decode)?.idempotencyKey == "one")
        let doc = try jsonObject(single.stdout)
        #expect(doc["rows"] as? Int == 5 && doc["rows_accepted"] as? Int == 2)
        #expect((doc["blocks"] as? [[String: Any]])?.first?["idempotency_key"] as? String == "one")

        let unkeyed = try s.run(["ingest", "s", file])
        #expect(try s.requests(.ingest).last.map(IngestRequest.decode)?.idempotencyKey == "")
        #expect(try s.requests(.ingest).last.map(IngestRequest.decode)?.blockTimestampMs == nil)
        #expect(unkeyed.status == 0 || unkeyed.status == 1)
    }

    @Test("ingest: a block refused midway names it, says which were applied and how to resume")
    func ingestFailsMidway() throws {
        let calls = Mutex(0)
        let s = try CannedServer { method, _ in
            switch method {
            case .getSource: return CannedServer.getSource
            case .ingest:
                let n = calls.withLock { $0 += 1; return $0 }
                return n < 3 ? (.ok, IngestResponse(rowsAccepted: 2).encode())
                    : CannedServer.error(.failedPrecondition, "rows older than the grace period (allow_late is false)")
            default: return CannedServer.error(.unimplemented, "no")
            }
        }
        defer { s.stop() }
        let r = try s.run(["ingest", "s", try Self.csv(rows: 5), "--key", "K", "--block-rows", "2"])
        #expect(r.status == 2 && r.stdout.isEmpty)
        #expect(r.stderr.contains("block 3 of 3 (rows 5–5): rows older than the grace period (allow_late is false) "
                                  + "(FAILED_PRECONDITION); blocks 1–2 were applied (re-running the same command resends "
                                  + "only the rest)"), "\(r.stderr)")
    }

    @Test("history: follows page tokens to the end, sends the filters, --limit stops early, --kind filters rows")
    func historyPages() throws {
        let pages: [[UInt8]: QueryHistoryResponse] = [
            []: QueryHistoryResponse(rows: [Canned.row(0, "x", test: "ks"), Canned.row(0, "x", test: "null-rate")], nextPageToken: [1]),
            [1]: QueryHistoryResponse(rows: [Canned.row(1, "x", test: "ks", severity: .warning, decision: .drift)], nextPageToken: [2]),
            [2]: QueryHistoryResponse(rows: [Canned.row(2, "x", test: "null-rate")], nextPageToken: []),
        ]
        let s = try CannedServer { method, metadata in
            guard method == .queryHistory, let q = try? QueryHistoryRequest.decode(metadata), let page = pages[q.pageToken] else {
                return CannedServer.error(.invalidArgument, "unexpected request")
            }
            return (.ok, page.encode())
        }
        defer { s.stop() }
        let r = try s.run(["history", "s", "--feature", "x", "--since", "2026-12-04T00:00:00Z", "--until", "1796464800000",
                           "--min-severity", "warning"])
        #expect(r.status == 0, "\(r.stderr)")
        let sent = try s.requests(.queryHistory).map(QueryHistoryRequest.decode)
        #expect(sent.map(\.pageToken) == [[], [1], [2]])
        #expect(sent.allSatisfy { $0.source == "s" && $0.feature == "x" && $0.sinceMs == Canned.t0 - 10 * Canned.hour
                                  && $0.untilMs == 1_796_464_800_000 && $0.minSeverity == .warning && $0.kinds.isEmpty && $0.limit == 0 })
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 + 4 + 1 && lines.last == "4 rows")
        #expect(lines[4].hasPrefix("2026-12-04T11:00:00Z") && lines[4].contains("drift") && lines[4].contains("warning"))

        let limited = try s.run(["history", "s", "--limit", "2", "--json"])
        #expect(limited.status == 0, "\(limited.stderr)")
        #expect(try s.requests(.queryHistory).suffix(1).map(QueryHistoryRequest.decode).map(\.limit) == [2])
        let doc = try jsonObject(limited.stdout)
        #expect((doc["rows"] as? [Any])?.count == 2 && doc["truncated"] as? Bool == true)

        let nullRates = try s.run(["history", "s", "--kind", "null_rate"])
        #expect(try s.requests(.queryHistory).suffix(3).map(QueryHistoryRequest.decode).allSatisfy { $0.kinds == [.drift] })
        let rows = nullRates.stdout.split(separator: "\n").dropFirst(2).dropLast()
        #expect(rows.count == 2 && rows.allSatisfy { $0.contains("null-rate") }, "\(nullRates.stdout)")
    }

    @Test("status, baseline list/promote/rollback, window ack, metric report, correlation: requests and output")
    func otherCommands() throws {
        let s = try CannedServer { method, metadata in
            switch method {
            case .getSourceStatus: return (.ok, Canned.status.encode())
            case .listBaselines:
                return (.ok, ListBaselinesResponse(baselines: [BaselineVersion(id: 1, rows: 10, kind: .fixed),
                                                               BaselineVersion(id: 2, rows: 20, kind: .fixed, current: true)]).encode())
            case .promoteBaseline:
                let id = (try? PromoteBaselineRequest.decode(metadata))?.baselineID ?? 0
                guard id <= 2 else { return CannedServer.error(.notFound, "source s has no baseline \(id)") }
                return (.ok, BaselineChangeResponse(current: BaselineVersion(id: id, rows: 10, kind: .fixed, current: true),
                                                    previousID: 2).encode())
            case .rollbackBaseline:
                return CannedServer.error(.failedPrecondition, "no version of s was current before baseline 1")
            case .acknowledgeWindow:
                let start = (try? AcknowledgeWindowRequest.decode(metadata))?.windowStartMs ?? 0
                return (.ok, AcknowledgeWindowResponse(acknowledged: true, window: WindowRange(startMs: start, endMs: start + Canned.hour)).encode())
            case .reportModelMetric:
                return (.ok, ReportModelMetricResponse(window: Canned.window(0), replaced: false).encode())
            case .performanceCorrelation: return (.ok, Canned.correlation.encode())
            default: return CannedServer.error(.unimplemented, "no")
            }
        }
        defer { s.stop() }
        let status = try s.run(["status", "s"])
        #expect(status.status == 0 && status.stdout.hasPrefix("source s: stale (broken rule: max_event_age_ms)\n"), "\(status.stderr)")
        #expect(try GetSourceStatusRequest.decode(try #require(s.requests(.getSourceStatus).first)).source == "s")
        #expect(try jsonObject(try s.run(["status", "s", "--json"]).stdout)["late_rows"] as? Int == 7)

        let list = try s.run(["baseline", "list", "s"])
        #expect(list.status == 0 && list.stdout.split(separator: "\n").last?.split(separator: " ").prefix(2) == ["2", "*"], "\(list.stdout)")
        let listJSON = try jsonObject(try s.run(["baseline", "list", "s", "--json"]).stdout)
        #expect((listJSON["baselines"] as? [[String: Any]])?.map { $0["current"] as? Bool } == [false, true])
        let promote = try s.run(["baseline", "promote", "s", "1"])
        #expect(promote.status == 0 && promote.stdout == "promoted: baseline 1 of s is current (was 2); fixed, 10 rows\n")
        let missing = try s.run(["baseline", "promote", "s", "9"])
        #expect(missing.status == 2 && missing.stderr.contains("source s has no baseline 9 (NOT_FOUND)"), "\(missing.stderr)")
        let rollback = try s.run(["baseline", "rollback", "s"])
        #expect(rollback.status == 2 && rollback.stderr.contains("no version of s was current before baseline 1 (FAILED_PRECONDITION)"))

        let ack = try s.run(["window", "ack", "s", "--window-start", "2026-12-04T10:00:00Z"])
        #expect(ack.status == 0 && ack.stdout.hasPrefix("acknowledged window 2026-12-04T10:00:00Z – 2026-12-04T11:00:00Z of s"))
        #expect(try AcknowledgeWindowRequest.decode(try #require(s.requests(.acknowledgeWindow).first))
                == AcknowledgeWindowRequest(source: "s", windowStartMs: Canned.t0))

        let metric = try s.run(["metric", "report", "s", "--metric", "accuracy", "--window-start", "1796378400000", "--value", "0.91",
                                "--higher-is-better"])
        #expect(metric.status == 0 && metric.stdout.hasPrefix("default/accuracy = 0.91 for window 2026-12-04T10:00:00Z"), "\(metric.stderr)")
        #expect(try ReportModelMetricRequest.decode(try #require(s.requests(.reportModelMetric).first))
                == ReportModelMetricRequest(source: "s", model: "default", metric: "accuracy", windowStartMs: Canned.t0, value: 0.91,
                                            higherIsBetter: true))
        _ = try s.run(["metric", "report", "s", "--model", "m2", "--metric", "loss", "--event-time", "2026-12-04T10:20:00Z",
                       "--value", "1e-3"])
        #expect(try ReportModelMetricRequest.decode(try #require(s.requests(.reportModelMetric).last))
                == ReportModelMetricRequest(source: "s", model: "m2", metric: "loss", eventTimeMs: Canned.t0 + 1_200_000, value: 0.001))

        let corr = try s.run(["correlation", "s", "--metric", "accuracy", "--windows", "48", "--max-lag", "2"])
        #expect(corr.status == 0 && corr.stdout.split(separator: "\n")[3].hasPrefix("   1  x "), "\(corr.stdout)")
        #expect(try PerformanceCorrelationRequest.decode(try #require(s.requests(.performanceCorrelation).first))
                == PerformanceCorrelationRequest(source: "s", model: "default", metric: "accuracy", windows: 48, maxLag: 2))
    }

    @Test("a driftd that answers UNIMPLEMENTED: each command says the server does not serve the method", arguments: [
        (["status", "s"], "GetSourceStatus"), (["history", "s"], "QueryHistory"), (["baseline", "list", "s"], "ListBaselines"),
        (["baseline", "promote", "s", "2"], "PromoteBaseline"), (["baseline", "rollback", "s"], "RollbackBaseline"),
        (["window", "ack", "s", "--window-start", "0"], "AcknowledgeWindow"),
        (["metric", "report", "s", "--metric", "m", "--window-start", "0", "--value", "1"], "ReportModelMetric"),
        (["correlation", "s", "--metric", "m"], "PerformanceCorrelation"), (["ingest", "s", "CSV"], "Ingest"),
    ])
    func unimplemented(args: [String], method: String) throws {
        let s = try CannedServer { m, _ in
            m == .getSource ? CannedServer.getSource : CannedServer.error(.unimplemented, "\(m?.name ?? "?") is not served by this driftd build yet")
        }
        defer { s.stop() }
        let file = try Self.csv(rows: 3)
        let r = try s.run(args.map { $0 == "CSV" ? file : $0 })
        #expect(r.status == 2 && r.stdout.isEmpty)
        #expect(r.stderr.contains("this driftd does not serve \(method); upgrade the server"), "\(r.stderr)")
    }

    @Test("a wrong token and a server that is down: exit 2 with the usual messages")
    func tokenAndDown() throws {
        let server = try FrameServer(handler: TokenCheckingHandler(negotiator: HandshakeNegotiator(
            methods: MethodID.descriptors, requiredAuthToken: "s3cret")))
        let address = "127.0.0.1:\(server.port)"
        for args in [["status", "s"], ["history", "s"], ["baseline", "list", "s"]] {
            let r = try CompareCommandTests.run(args + ["--server", address, "--token", "wrong"])
            #expect(r.status == 2 && r.stderr.contains("the server refused the token"), "\(r.stderr)")
        }
        server.stop()
        let down = try CompareCommandTests.run(["history", "s", "--server", address])
        #expect(down.status == 2 && down.stderr.contains("is driftd running?"), "\(down.stderr)")
    }

    @Test("unknown source and feature: the server's NOT_FOUND message reaches the user")
    func notFound() throws {
        let s = try CannedServer { m, metadata in
            if m == .queryHistory, let q = try? QueryHistoryRequest.decode(metadata), !q.feature.isEmpty {
                return CannedServer.error(.notFound, "source s has no feature \(q.feature)")
            }
            return CannedServer.error(.notFound, "no source named nope")
        }
        defer { s.stop() }
        let feature = try s.run(["history", "s", "--feature", "zz"])
        #expect(feature.status == 2 && feature.stderr.contains("source s has no feature zz (NOT_FOUND)"), "\(feature.stderr)")
        for args in [["status", "nope"], ["correlation", "nope", "--metric", "m"], ["ingest", "nope", try Self.csv(rows: 1)]] {
            let r = try s.run(args)
            #expect(r.status == 2 && r.stderr.contains("no source named nope (NOT_FOUND)"), "\(args): \(r.stderr)")
        }
    }

    @Test("usage errors exit 2 before connecting, naming the option", arguments: [
        (["history", "s", "--since", "yesterday"], "--since: 'yesterday' is not a time"),
        (["history", "s", "--since", "-1h", "--until", "-2h"], "must be before --until"),
        (["history", "s", "--kind", "drfit"], "unknown kind 'drfit'"),
        (["history", "s", "--min-severity", "high"], "unknown severity 'high'"),
        (["history", "s", "--limit", "0"], "--limit needs an integer"),
        (["history"], "expected 1 argument, got 0"),
        (["metric", "report", "s", "--window-start", "0", "--value", "1"], "needs --metric NAME"),
        (["metric", "report", "s", "--metric", "m", "--value", "1"], "exactly one of --window-start T or --event-time T"),
        (["metric", "report", "s", "--metric", "m", "--window-start", "0", "--value", "nan"], "--value needs a finite number"),
        (["metric", "report", "s", "--metric", "m", "--window-start", "0"], "needs --value V"),
        (["metric", "send", "s"], "metric needs a subcommand: report"),
        (["window", "ack", "s"], "window ack needs --window-start T"),
        (["window", "close", "s"], "window needs a subcommand: ack"),
        (["baseline", "promote", "s", "latest"], "'latest' is not a baseline id"),
        (["baseline", "drop", "s"], "unknown baseline subcommand 'drop'"),
        (["correlation", "s"], "correlation needs --metric NAME"),
        (["correlation", "s", "--metric", "m", "--max-lag", "-1"], "--max-lag needs an integer"),
        (["ingest", "s"], "expected 2 arguments, got 1"),
        (["ingest", "s", "f.csv", "--timestamp-ms", "2026-12-04T10:00"], "add the zone"),
        (["status", "s", "--frobnicate"], "unknown option '--frobnicate'"),
    ])
    func usageErrors(args: [String], message: String) throws {
        let r = try CompareCommandTests.run(args + ["--server", "127.0.0.1:1"])
        #expect(r.status == 2 && r.stdout.isEmpty)
        #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
    }

    @Test("--help of every monitoring command", arguments: ["ingest", "metric", "history", "status", "window", "correlation", "baseline"])
    func help(command: String) throws {
        let r = try CompareCommandTests.run([command, "--help"])
        #expect(r.status == 0 && r.stdout.hasPrefix("USAGE: driftctl \(command)"), "\(r.stdout)")
        let viaHelp = try CompareCommandTests.run(["help", command])
        #expect(viaHelp.stdout == r.stdout)
    }
}

/// The monitoring commands against the real server in the test process: methods 8, 9, 11, 12, 13, 15 from the
/// `srvq` branch and 7, 10, 14 from `ingest`, both merged into this branch. Window closing is driven by event times
/// (a 10-minute grace keeps the idle timer out of the way), so nothing here depends on timing.
@Suite("driftctl monitoring commands, end to end (in-process driftd)")
struct MonitoringEndToEndTests {
    static let schema = """
        {"features": [{"name": "x", "type": "float64"}, {"name": "y", "type": "float32"}, {"name": "c", "type": "categorical"}],
         "monitoring": {"window": "1h", "grace_ms": "5m", "max_event_age_ms": "2h", "baseline": "fixed", "persistence_k": 2,
                        "correlation_groups": [["x", "y"]]}}
        """
    static let t0 = Canned.t0

    @Test("source create with monitoring settings: stored, shown by source get, read back as the same definition")
    func monitoringSchema() throws {
        let s = try CLIServer()
        defer { s.close() }
        let schema = try s.file("m.json", Self.schema)
        let created = try s.run(["source", "create", "m", "--schema", schema])
        #expect(created.status == 0 && created.stdout == "created\n", "\(created.stderr)")
        let get = try s.run(["source", "get", "m", "--json"])
        let monitoring = try #require(try jsonObject(get.stdout)["monitoring"] as? [String: Any], "\(get.stdout)")
        #expect(monitoring["window_length_ms"] as? Int == 3_600_000 && monitoring["grace_ms"] as? Int == 300_000)
        #expect(monitoring["baseline"] as? String == "fixed" && monitoring["correlation_groups"] as? [[String]] == [["x", "y"]])
        let back = try s.file("back.json", get.stdout)
        #expect(try s.run(["source", "create", "m", "--schema", back]).stdout == "exists (identical definition)\n")
        let text = try s.run(["source", "get", "m"])
        #expect(text.stdout.contains("monitoring: windows 1h by block time, grace 5m, max event age 2h, fixed baseline, "
                                     + "persistence k 2, correlation group [x, y]"), "\(text.stdout)")
        // A different monitoring setting is a different definition.
        let other = try s.file("other.json", Self.schema.replacingOccurrences(of: "\"1h\"", with: "\"2h\""))
        let conflict = try s.run(["source", "create", "m", "--schema", other])
        #expect(conflict.status == 2 && conflict.stderr.contains("different definition"), "\(conflict.stderr)")
        let bad = try s.file("bad.json", #"{"features": [{"name": "x", "type": "float64"}], "monitoring": {"baseline": "sliding"}}"#)
        let refused = try s.run(["source", "create", "b", "--schema", bad])
        #expect(refused.status == 2 && refused.stderr.contains("\"baseline\" must be \"fixed\" or \"rolling\""), "\(refused.stderr)")
    }

    @Test("metric report, then history: metric rows, pages followed, --limit, --since/--until, errors from the server")
    func metricsAndHistory() throws {
        let s = try CLIServer()
        defer { s.close() }
        #expect(try s.run(["source", "create", "m", "--schema", try s.file("m.json", Self.schema)]).status == 0)
        for i in 0..<4 {
            let r = try s.run(["metric", "report", "m", "--metric", "accuracy", "--window-start", String(Self.t0 + Int64(i) * 3_600_000),
                               "--value", String(0.9 - Double(i) * 0.01), "--higher-is-better"])
            #expect(r.status == 0 && r.stdout.contains("default/accuracy = \(Format.compact(0.9 - Double(i) * 0.01, maxDecimals: 6))"
                                                       + " for window \(TimeArgument.format(Self.t0 + Int64(i) * 3_600_000))"),
                    "\(r.stdout)\(r.stderr)")
        }
        let replaced = try s.run(["metric", "report", "m", "--metric", "accuracy", "--event-time", "2026-12-04T10:59:59Z",
                                  "--value", "0.95", "--higher-is-better"])
        #expect(replaced.status == 0 && replaced.stdout.hasSuffix("(replaced the earlier value)\n"), "\(replaced.stdout)\(replaced.stderr)")
        let offBoundary = try s.run(["metric", "report", "m", "--metric", "accuracy", "--window-start", "2026-12-04T10:30:00Z",
                                     "--value", "1"])
        #expect(offBoundary.status == 2 && offBoundary.stderr.contains("is not a window boundary"), "\(offBoundary.stderr)")

        let all = try s.run(["history", "m", "--kind", "metric", "--page-size", "1"])
        #expect(all.status == 0, "\(all.stderr)")
        let lines = all.stdout.split(separator: "\n").map(String.init)
        #expect(lines.last == "4 rows", "\(all.stdout)")
        #expect(lines[2].split(separator: " ").map(String.init) == ["2026-12-04T10:00:00Z", "-", "default/accuracy", "0.950", "-",
                                                                    "-", "-", "-", "-"], "\(lines[2])")
        let limited = try s.run(["history", "m", "--limit", "3", "--page-size", "2"])
        #expect(limited.stdout.hasSuffix("3 rows (more match: raise --limit or narrow --since/--until)\n"), "\(limited.stdout)")
        let window = try s.run(["history", "m", "--since", "2026-12-04T11:00:00Z", "--until", "2026-12-04T13:00:00Z", "--json"])
        let rows = try #require(try jsonObject(window.stdout)["rows"] as? [[String: Any]], "\(window.stdout)\(window.stderr)")
        #expect(rows.map { ($0["window"] as? [String: Any])?["start"] as? String }
                == ["2026-12-04T11:00:00Z", "2026-12-04T12:00:00Z"])
        #expect(rows.allSatisfy { $0["kind"] as? String == "metric" && $0["test"] as? String == "default/accuracy" })
        let noDrift = try s.run(["history", "m", "--kind", "drift"])
        #expect(noDrift.status == 0 && noDrift.stdout == "no history rows match\n")

        let feature = try s.run(["history", "m", "--feature", "zz"])
        #expect(feature.status == 2 && feature.stderr.contains("source m has no feature zz"), "\(feature.stderr)")
        let source = try s.run(["history", "nope"])
        #expect(source.status == 2 && source.stderr.contains("no source named nope (NOT_FOUND)"), "\(source.stderr)")

        // No drift scores yet (nothing ingested): the ranking needs windows with both.
        let corr = try s.run(["correlation", "m", "--metric", "accuracy", "--max-lag", "1"])
        #expect(corr.status == 2 && corr.stderr.contains("FAILED_PRECONDITION"), "\(corr.stderr)")
        let unknown = try s.run(["correlation", "m", "--metric", "loss"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no metric loss of model default"), "\(unknown.stderr)")
    }

    @Test("baseline list, promote, rollback over uploaded baselines; unknown baseline and nothing to roll back to")
    func baselines() throws {
        let s = try CLIServer()
        defer { s.close() }
        #expect(try s.run(["source", "create", "m", "--schema", try s.file("m.json", Self.schema)]).status == 0)
        #expect(try s.run(["baseline", "list", "m"]).stdout == "m has no baselines yet\n")
        let base = try s.file("base.csv", sampleCSV(rows: 500, seed: 1))
        #expect(try s.run(["baseline", "put", "m", base]).status == 0)
        let single = try s.run(["baseline", "rollback", "m"])
        #expect(single.status == 2 && single.stderr.contains("has no earlier baseline to roll back to"), "\(single.stderr)")
        #expect(try s.run(["baseline", "put", "m", try s.file("b2.csv", sampleCSV(rows: 700, seed: 2))]).status == 0)

        let list = try s.run(["baseline", "list", "m"])
        #expect(list.status == 0, "\(list.stderr)")
        let rows = list.stdout.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ").map(String.init) }
        #expect(rows.count == 2 && rows[0].prefix(3) == ["1", "fixed", "500"] && rows[1].prefix(4) == ["2", "*", "fixed", "700"],
                "\(list.stdout)")
        #expect(rows.allSatisfy { $0.last?.hasPrefix("20") == true && $0.last?.hasSuffix("Z") == true })   // created, ISO UTC
        let promoted = try s.run(["baseline", "promote", "m", "1"])
        #expect(promoted.status == 0 && promoted.stdout == "promoted: baseline 1 of m is current (was 2); fixed, 500 rows\n",
                "\(promoted.stdout)\(promoted.stderr)")
        #expect(try s.run(["source", "get", "m"]).stdout.contains("current baseline 1"))
        let rolled = try s.run(["baseline", "rollback", "m", "--json"])
        let doc = try jsonObject(rolled.stdout)
        #expect((doc["current"] as? [String: Any])?["id"] as? Int == 2 && doc["previous_id"] as? Int == 1, "\(rolled.stdout)")
        let listJSON = try jsonObject(try s.run(["baseline", "list", "m", "--json"]).stdout)
        #expect((listJSON["baselines"] as? [[String: Any]])?.map { $0["current"] as? Bool } == [false, true])
        let missing = try s.run(["baseline", "promote", "m", "9"])
        #expect(missing.status == 2 && missing.stderr.contains("source m has no baseline 9") && missing.stderr.contains("(NOT_FOUND)"), "\(missing.stderr)")
        let noSource = try s.run(["baseline", "list", "nope"])
        #expect(noSource.status == 2 && noSource.stderr.contains("no source named nope"), "\(noSource.stderr)")
    }

    /// x, y, c with hourly windows, a 10-minute grace (no idle closing while the test runs), k = 1.
    static let ingestSchema = """
        {"features": [{"name": "x", "type": "float64"}, {"name": "y", "type": "float32"}, {"name": "c", "type": "categorical"}],
         "monitoring": {"window": "1h", "grace_ms": "10m", "max_arrival_interval_ms": "1h", "baseline": "fixed", "persistence_k": 1}}
        """

    @Test("ingest (keys, re-runs, late rows, closed windows), status, history, window ack and correlation over served windows")
    func ingestAndMonitor() throws {
        let s = try CLIServer()
        defer { s.close() }
        #expect(try s.run(["source", "create", "m", "--schema", try s.file("m.json", Self.ingestSchema)]).status == 0)
        let noBaseline = try s.run(["ingest", "m", try s.file("early.csv", sampleCSV(rows: 10, seed: 9)), "--timestamp-ms", "0"])
        #expect(noBaseline.status == 2 && noBaseline.stderr.contains("FAILED_PRECONDITION"), "\(noBaseline.stderr)")
        #expect(try s.run(["baseline", "put", "m", try s.file("base.csv", sampleCSV(rows: 5000, seed: 1))]).status == 0)

        // Window 10:00, two blocks with keys w0/0 and w0/1; the same command again counts nothing twice.
        let w0 = try s.file("w0.csv", sampleCSV(rows: 2000, seed: 2))
        let first = try s.run(["ingest", "m", w0, "--timestamp-ms", "2026-12-04T10:00:10Z", "--key", "w0", "--block-rows", "1000"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "ingested \(w0) into m: 2,000 rows in 2 blocks — 2,000 accepted, 0 late, 0 duplicate\n"
                + "windows touched: 2026-12-04T10:00:00Z\nno window closed\n", "\(first.stdout)")
        let again = try s.run(["ingest", "m", w0, "--timestamp-ms", "2026-12-04T10:00:10Z", "--key", "w0", "--block-rows", "1000"])
        #expect(again.status == 0 && again.stdout.contains("0 accepted, 0 late, 2,000 duplicate"), "\(again.stdout)")
        #expect(again.stdout.contains("block 1 (key w0/0) was already ingested") && again.stdout.contains("block 2 (key w0/1)"))

        // 11:10 closes window 10:00 (end + grace): no drift, exit 0.
        let w1 = try s.run(["ingest", "m", try s.file("w1.csv", sampleCSV(rows: 2000, seed: 3, xShift: 1)),
                            "--timestamp-ms", "2026-12-04T11:10:00Z", "--key", "w1"])
        #expect(w1.status == 0, "\(w1.stdout)\(w1.stderr)")
        #expect(w1.stdout.contains("closed 1 window, 0 drifting:"))
        #expect(w1.stdout.contains("window 2026-12-04T10:00:00Z – 2026-12-04T11:00:00Z, baseline 1: no drift (3 features)"))
        // 12:10 closes window 11:00, whose x was shifted by 1σ: drifting, exit 1, x first. (Window 12:00 is shifted by 2σ.)
        let w2 = try s.run(["ingest", "m", try s.file("w2.csv", sampleCSV(rows: 2000, seed: 4, xShift: 2)),
                            "--timestamp-ms", "2026-12-04T12:10:00Z", "--json"])
        #expect(w2.status == 1, "\(w2.stdout)\(w2.stderr)")
        let doc = try jsonObject(w2.stdout)
        let closed = try #require((doc["windows_closed"] as? [[String: Any]])?.first, "\(w2.stdout)")
        #expect(closed["drifting"] as? [String] == ["x"] && closed["baseline_id"] as? Int == 1)
        #expect((closed["verdicts"] as? [[String: Any]])?.map { $0["feature"] as? String } == ["x", "y", "c"])
        #expect((closed["window"] as? [String: Any])?["start"] as? String == "2026-12-04T11:00:00Z")

        // Rows for a closed window: refused without --allow-late (nothing applied), counted late with it.
        let late = try s.file("late.csv", sampleCSV(rows: 100, seed: 6))
        let refused = try s.run(["ingest", "m", late, "--timestamp-ms", "2026-12-04T10:30:00Z"])
        #expect(refused.status == 2 && refused.stderr.contains("allow_late") && refused.stderr.contains("FAILED_PRECONDITION"),
                "\(refused.stderr)")
        let counted = try s.run(["ingest", "m", late, "--timestamp-ms", "2026-12-04T10:30:00Z", "--allow-late"])
        #expect(counted.status == 0 && counted.stdout.contains("0 accepted, 100 late, 0 duplicate"), "\(counted.stdout)")
        // 13:10 closes window 12:00 (still shifted).
        #expect(try s.run(["ingest", "m", try s.file("w3.csv", sampleCSV(rows: 500, seed: 5)),
                           "--timestamp-ms", "2026-12-04T13:10:00Z"]).status == 1)

        let status = try s.run(["status", "m"])
        #expect(status.status == 0, "\(status.stderr)")
        let lines = status.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "source m: fresh", "\(status.stdout)")
        #expect(status.stdout.contains("last closed window  2026-12-04T12:00:00Z – 2026-12-04T13:00:00Z\n"))
        #expect(status.stdout.contains("late rows           100\n") && status.stdout.contains("baseline            1\n"))
        let features = lines.drop { !$0.hasPrefix("feature ") }.dropFirst(2).map { $0.split(separator: " ").map(String.init) }
        #expect(features.first == ["x", "drifting", "critical", "2026-12-04T11:00:00Z"], "\(status.stdout)")
        #expect(features.dropFirst().map { $0[1] } == ["ok", "ok"])

        let history = try s.run(["history", "m", "--kind", "drift", "--feature", "x"])
        let rows = history.stdout.split(separator: "\n").dropFirst(2).dropLast().map { $0.split(separator: " ").map(String.init) }
        #expect(rows.map { $0[0] } == ["2026-12-04T10:00:00Z", "2026-12-04T11:00:00Z", "2026-12-04T12:00:00Z"], "\(history.stdout)")
        #expect(rows.map { $0[2] } == ["ks", "ks", "ks"] && rows.map { $0[$0.count - 3] } == ["stable", "drift", "drift"])
        #expect(rows.allSatisfy { $0.last == "1" })
        let critical = try s.run(["history", "m", "--kind", "drift", "--min-severity", "critical", "--since", "2026-12-04T11:00:00Z",
                                  "--json"])
        let criticalRows = try #require(try jsonObject(critical.stdout)["rows"] as? [[String: Any]])
        #expect(criticalRows.count == 2 && criticalRows.allSatisfy { $0["feature"] as? String == "x" && $0["severity"] as? String == "critical" })
        let nullRates = try s.run(["history", "m", "--kind", "null_rate", "--json"])
        let nullRows = try #require(try jsonObject(nullRates.stdout)["rows"] as? [[String: Any]])
        #expect(nullRows.count == 9, "\(nullRates.stdout)")   // 3 windows × 3 features

        let ack = try s.run(["window", "ack", "m", "--window-start", "2026-12-04T11:00:00Z"])
        #expect(ack.status == 0 && ack.stdout.hasPrefix("acknowledged window 2026-12-04T11:00:00Z"), "\(ack.stdout)\(ack.stderr)")
        let ackAgain = try s.run(["window", "ack", "m", "--window-start", "2026-12-04T11:00:00Z", "--json"])
        #expect(try jsonObject(ackAgain.stdout)["acknowledged"] as? Bool == false)
        let notClosed = try s.run(["window", "ack", "m", "--window-start", "2026-12-04T13:00:00Z"])
        #expect(notClosed.status == 2 && notClosed.stderr.contains("has no closed window") && notClosed.stderr.contains("NOT_FOUND"))

        for (hour, value) in [("10", "0.90"), ("11", "0.80"), ("12", "0.70")] {
            #expect(try s.run(["metric", "report", "m", "--metric", "accuracy", "--window-start", "2026-12-04T\(hour):00:00Z",
                               "--value", value, "--higher-is-better"]).status == 0)
        }
        let corr = try s.run(["correlation", "m", "--metric", "accuracy"])
        #expect(corr.status == 0, "\(corr.stderr)")
        let ranking = corr.stdout.split(separator: "\n").dropFirst(3).map { $0.split(separator: " ").map(String.init) }
        #expect(corr.stdout.hasPrefix("drift of m's features against default/accuracy over 3 windows"), "\(corr.stdout)")
        // x's drift grows window by window (0, 1σ, 2σ) as the accuracy falls: rho = −1, the strongest association.
        #expect(ranking.count == 3 && ranking.map { $0[0] } == ["1", "2", "3"], "\(corr.stdout)")
        #expect(ranking.first { $0[1] == "x" }?[2] == "-1.000", "\(corr.stdout)")
        let corrJSON = try jsonObject(try s.run(["correlation", "m", "--metric", "accuracy", "--json"]).stdout)
        #expect(corrJSON["windows_used"] as? Int == 3 && (corrJSON["features"] as? [Any])?.count == 3)

        let unknown = try s.run(["status", "nope"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no source named nope"), "\(unknown.stderr)")
    }

    @Test("ingest: the source's event-time column (not a feature) travels with the rows and places them in windows")
    func eventTimeColumn() throws {
        let s = try CLIServer()
        defer { s.close() }
        let schema = #"{"features": [{"name": "x", "type": "float64"}, {"name": "y", "type": "float32"}, {"name": "c", "type": "categorical"}], "monitoring": {"window": "1h", "event_time_column": "ts", "grace_ms": 0}}"#
        #expect(try s.run(["source", "create", "ev", "--schema", try s.file("ev.json", schema)]).status == 0)
        #expect(try s.run(["baseline", "put", "ev", try s.file("base.csv", sampleCSV(rows: 3000, seed: 1))]).status == 0)
        // 300 rows, ts cycling over three hours: windows 10:00 and 11:00 close when the 12:00 rows arrive.
        let rows = sampleCSV(rows: 300, seed: 2).split(separator: "\n").map(String.init)
        var text = rows[0] + ",ts\n"
        for (i, row) in rows.dropFirst().enumerated() { text += row + ",\(Canned.t0 + Int64(i % 3) * Canned.hour)\n" }
        let r = try s.run(["ingest", "ev", try s.file("ev.csv", text), "--json"])
        #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
        #expect(!r.stderr.contains("ignoring columns"), "\(r.stderr)")
        let doc = try jsonObject(r.stdout)
        #expect(doc["rows_accepted"] as? Int == 300)
        #expect((doc["windows_touched"] as? [[String: Any]])?.map { $0["start"] as? String }
                == ["2026-12-04T10:00:00Z", "2026-12-04T11:00:00Z", "2026-12-04T12:00:00Z"], "\(r.stdout)")
        let closed = try #require(doc["windows_closed"] as? [[String: Any]])
        #expect(closed.map { ($0["window"] as? [String: Any])?["start"] as? String } == ["2026-12-04T10:00:00Z", "2026-12-04T11:00:00Z"])
        #expect(closed.allSatisfy { ($0["verdicts"] as? [[String: Any]])?.allSatisfy { $0["current_n"] as? Int == 100 } == true })
        // Without the column (and without --timestamp-ms) the rows have no event time: the CSV must carry it.
        let missing = try s.run(["ingest", "ev", try s.file("nots.csv", sampleCSV(rows: 10, seed: 3))])
        #expect(missing.status == 2 && missing.stderr.contains("'ts'"), "\(missing.stderr)")
    }
}
