import DriftStore
import DriftWire
import Foundation
import Synchronization
import Testing

/// A settable clock for `DriftStore(now:)`.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64
    init(_ start: Int64) { value = start }
    var now: Int64 {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

let hour: Int64 = 3_600_000

func verdict(_ source: String, _ feature: String, window: Int64, kind: VerdictKind = .drift,
             severity: UInt8 = 0, p: Double = 0.5) -> VerdictRow {
    VerdictRow(source: source, feature: feature, windowStartMilliseconds: window * hour,
               windowEndMilliseconds: (window + 1) * hour, baselineID: 3, kind: kind, test: "ks", statistic: 0.01,
               p: p, pAdjusted: min(1, p * 2), effectName: "psi", effect: 0.02, warningThreshold: 0.1,
               criticalThreshold: 0.25, nBaseline: 100_000, nCurrent: 10_000, decision: severity > 0 ? 1 : 0,
               severity: severity, status: 0, stale: false, reasons: "", createdMilliseconds: window * hour + 5)
}

func update(_ window: Int64, rows: UInt64, state: [UInt8], late: UInt64 = 0) -> WindowUpdate {
    WindowUpdate(startMilliseconds: window * hour, endMilliseconds: (window + 1) * hour, state: state,
                 rowsAdded: rows, lateRows: late)
}

func count(_ store: DriftStore, _ sql: String) throws -> Int64 {
    let s = try store.connection.prepare(sql)
    _ = try s.step()
    return s.int64(at: 0)
}

@Suite("MonitoringStore")
struct MonitoringStoreTests {
    @Test("the same idempotency key twice is counted once, also after reopening")
    func idempotentIngest() throws {
        try withTempDirectory { dir in
            let path = dir + "/d.db"
            let clock = TestClock(1_000)
            do {
                let store = try DriftStore(path: path, now: { clock.now })
                try store.createSource(spec("s"))
                #expect(try store.applyIngest(source: "s", key: "k1",
                                              windowUpdates: [update(0, rows: 10, state: [1])]) == .applied)
                clock.now = 2_000
                #expect(try store.applyIngest(source: "s", key: "k1", windowUpdates: [update(0, rows: 10, state: [9])])
                    == .duplicate(receivedMilliseconds: 1_000, rows: 10))
                #expect(try store.applyIngest(source: "s", key: "k2",
                                              windowUpdates: [update(0, rows: 5, state: [2], late: 2),
                                                              update(1, rows: 7, state: [3])]) == .applied)
            }
            let store = try DriftStore(path: path, now: { clock.now })
            #expect(try store.applyIngest(source: "s", key: "k2", windowUpdates: [update(0, rows: 5, state: [7])])
                == .duplicate(receivedMilliseconds: 2_000, rows: 12))
            let w0 = try #require(try store.window(source: "s", start: 0))
            #expect(w0 == StoredWindow(source: "s", startMilliseconds: 0, endMilliseconds: hour, state: [2], rows: 15,
                                       lateRows: 2, closed: false, alerted: false, acknowledged: false,
                                       updatedMilliseconds: 2_000))
            #expect(try store.window(source: "s", start: hour)?.rows == 7)
            // No key: not idempotent, counted each time.
            try store.applyIngest(source: "s", key: nil, windowUpdates: [update(1, rows: 1, state: [4])])
            try store.applyIngest(source: "s", key: nil, windowUpdates: [update(1, rows: 1, state: [5])])
            #expect(try store.window(source: "s", start: hour)?.rows == 9)
            #expect(try store.window(source: "s", start: hour)?.state == [5])
            #expect(try store.window(source: "s", start: 5 * hour) == nil)
        }
    }

    @Test("ingest rejects bad keys, unknown sources and closed windows without writing anything")
    func ingestRejects() throws {
        let store = try DriftStore(path: ":memory:")
        try store.createSource(spec("s"))
        let long = String(repeating: "é", count: 129)  // 258 bytes
        #expect(throws: DriftStoreError.self) {
            try store.applyIngest(source: "s", key: long, windowUpdates: [update(0, rows: 1, state: [])])
        }
        let max = String(repeating: "k", count: 256)
        #expect(try store.applyIngest(source: "s", key: max, windowUpdates: []) == .applied)
        #expect(throws: DriftStoreError.self) {
            try store.applyIngest(source: "s", key: "", windowUpdates: [])
        }
        #expect(throws: DriftStoreError.notFound(source: "ghost")) {
            try store.applyIngest(source: "ghost", key: "a", windowUpdates: [update(0, rows: 1, state: [])])
        }
        try store.applyIngest(source: "s", key: "a", windowUpdates: [update(0, rows: 1, state: [1])])
        #expect(try store.closeWindow(source: "s", start: 0))
        // The second update targets a closed window: the whole ingest (key and window 1) is rolled back.
        #expect(throws: DriftStoreError.invalidArgument("window 0 is closed")) {
            try store.applyIngest(source: "s", key: "b",
                                  windowUpdates: [update(1, rows: 3, state: [2]), update(0, rows: 1, state: [3])])
        }
        #expect(try store.window(source: "s", start: hour) == nil)
        #expect(try store.applyIngest(source: "s", key: "b", windowUpdates: []) == .applied)
        #expect(try count(store, "SELECT count(*) FROM ingest_keys") == 3)
        #expect(!store.connection.isInTransaction)
    }

    @Test("ingest keys expire after the retention period")
    func keyRetention() throws {
        let clock = TestClock(0)
        let store = try DriftStore(path: ":memory:", now: { clock.now })
        try store.createSource(spec("s"))
        try store.applyIngest(source: "s", key: "old", windowUpdates: [update(0, rows: 1, state: [])])
        clock.now = 6 * 24 * hour
        try store.applyIngest(source: "s", key: "new", windowUpdates: [update(0, rows: 1, state: [])])
        clock.now = 7 * 24 * hour + 1
        #expect(try store.pruneIngestKeys() == 1)
        #expect(try store.applyIngest(source: "s", key: "old", windowUpdates: []) == .applied)
        #expect(try store.applyIngest(source: "s", key: "new", windowUpdates: []) != .applied)
        clock.now += 1
        #expect(try store.pruneIngestKeys(retentionMilliseconds: 0) == 2)
    }

    @Test("window flags, listing and the rolling-baseline eligibility of alerted windows")
    func windowFlags() throws {
        let store = try DriftStore(path: ":memory:")
        try store.createSource(spec("s"))
        for w in Int64(0)..<6 {
            try store.applyIngest(source: "s", key: "k\(w)", windowUpdates: [update(w, rows: UInt64(w + 1), state: [UInt8(w)])])
        }
        for w in Int64(0)..<5 { #expect(try store.closeWindow(source: "s", start: w * hour)) }
        #expect(try !store.closeWindow(source: "s", start: 99 * hour))
        #expect(try store.markAlerted(source: "s", start: 2 * hour))
        #expect(try store.markAlerted(source: "s", start: 3 * hour))
        #expect(try store.acknowledge(source: "s", start: 3 * hour))
        #expect(try store.windows(source: "s", from: hour, to: 4 * hour).map(\.rows) == [2, 3, 4])
        let w2 = try #require(try store.window(source: "s", start: 2 * hour))
        #expect(w2.closed && w2.alerted && !w2.acknowledged && !w2.isBaselineEligible)
        // Trailing 3 eligible windows before window 5: 1, 3, 4 (2 is an unacknowledged alert, 5 is open).
        #expect(try store.rollingBaselineWindows(source: "s", before: 6 * hour, count: 3)
            .map(\.startMilliseconds) == [hour, 3 * hour, 4 * hour])
        #expect(try store.rollingBaselineWindows(source: "s", before: 6 * hour, count: 0).isEmpty)
        // Alerting again clears the acknowledgement.
        #expect(try store.markAlerted(source: "s", start: 3 * hour))
        #expect(try store.window(source: "s", start: 3 * hour)?.acknowledged == false)
    }

    @Test("history pages have no gaps or duplicates and filters select exactly")
    func historyPaging() throws {
        let store = try DriftStore(path: ":memory:")
        try store.createSource(spec("s"))
        try store.createSource(spec("other"))
        var all: [VerdictRow] = []
        for w in Int64(0)..<40 {
            for f in ["b", "a", "c"] {
                all.append(verdict("s", f, window: w, severity: UInt8((w + Int64(f.utf8.first!)) % 4)))
                if f == "a" { all.append(verdict("s", f, window: w, kind: .nullRate, severity: 1)) }
            }
        }
        // Window 0 in order first (feature ids b < a < c), the rest shuffled.
        try store.recordVerdicts(Array(all.prefix(4)))
        try store.recordVerdicts(all.dropFirst(4).shuffled())
        try store.recordVerdicts([verdict("other", "a", window: 3)])
        // Expected order: window, then feature in first-recorded order (feature ids), then kind.
        let full = try store.history(source: "s", limit: 10_000)
        #expect(full.rows.count == all.count && full.next == nil)
        #expect(Set(full.rows.map { "\($0.feature)/\($0.windowStartMilliseconds)/\($0.kind)" }).count == all.count)
        #expect(full.rows.map(\.windowStartMilliseconds) == full.rows.map(\.windowStartMilliseconds).sorted())
        var paged: [VerdictRow] = []
        var cursor: HistoryCursor?
        var pages = 0
        repeat {
            let page = try store.history(source: "s", limit: 7, after: cursor)
            paged += page.rows
            // The cursor survives a text round trip (an RPC field).
            cursor = page.next.flatMap { HistoryCursor(encoded: $0.encoded) }
            pages += 1
        } while cursor != nil
        #expect(paged == full.rows)
        #expect(pages == (all.count + 6) / 7 + (all.count % 7 == 0 ? 1 : 0))
        // One feature, both kinds, a time range.
        let a = try store.history(source: "s", feature: "a", since: 10 * hour, until: 20 * hour)
        #expect(a.rows.count == 20)
        #expect(a.rows.allSatisfy { $0.feature == "a" && $0.windowStartMilliseconds >= 10 * hour
            && $0.windowStartMilliseconds < 20 * hour })
        #expect(a.rows.first == verdict("s", "a", window: 10, severity: UInt8((10 + 97) % 4)))
        // Feature paging follows the same cursor.
        let a1 = try store.history(source: "s", feature: "a", since: 10 * hour, until: 20 * hour, limit: 3)
        let a2 = try store.history(source: "s", feature: "a", since: 10 * hour, until: 20 * hour, limit: 100,
                                   after: a1.next)
        #expect(a1.rows + a2.rows == a.rows)
        // Kinds and severity.
        let nulls = try store.history(source: "s", kinds: [.nullRate])
        #expect(nulls.rows.count == 40 && nulls.rows.allSatisfy { $0.kind == .nullRate })
        let critical = try store.history(source: "s", minimumSeverity: 3)
        #expect(critical.rows.count == all.filter { $0.severity >= 3 }.count)
        #expect(critical.rows.allSatisfy { $0.severity == 3 })
        // One window, all features.
        #expect(try store.history(source: "s", since: 5 * hour, until: 6 * hour).rows.map(\.feature) == ["b", "a", "a", "c"])
        // Unknowns and the other source stay apart.
        #expect(try store.history(source: "s", feature: "zzz").rows.isEmpty)
        #expect(try store.history(source: "nobody").rows.isEmpty)
        #expect(try store.history(source: "other").rows == [verdict("other", "a", window: 3)])
        #expect(HistoryCursor(encoded: "1.2") == nil && HistoryCursor(encoded: "a.b.c") == nil)
    }

    @Test("a recorded verdict with the same identity replaces the earlier one; NaN and infinities round-trip")
    func verdictValues() throws {
        let store = try DriftStore(path: ":memory:")
        try store.createSource(spec("s"))
        var v = verdict("s", "x", window: 1)
        v.statistic = .infinity
        v.p = .nan
        v.pAdjusted = .nan
        v.effect = -.infinity
        v.reasons = "KS p=0 < 0.05 and PSI 0.31 ≥ 0.25"
        v.stale = true
        v.nCurrent = UInt64(Int64.max)
        try store.recordVerdicts([v])
        let stored = try #require(try store.history(source: "s").rows.first)
        #expect(stored == v)
        #expect(stored.p.isNaN && stored.statistic == .infinity && stored.effect == -.infinity)
        var again = v
        again.severity = 3
        try store.recordVerdicts([again])
        #expect(try store.history(source: "s").rows == [again])
        #expect(throws: DriftStoreError.notFound(source: "ghost")) {
            try store.recordVerdicts([verdict("s", "y", window: 1), verdict("ghost", "x", window: 1)])
        }
        #expect(try store.history(source: "s").rows.count == 1)  // all or nothing
        var bad = verdict("s", "x", window: 2)
        bad.nBaseline = UInt64.max
        #expect(throws: DriftStoreError.self) { try store.recordVerdicts([bad]) }
    }

    @Test("retention deletes old verdicts, metrics and freshness checks, and nothing newer")
    func retention() throws {
        let store = try DriftStore(path: ":memory:")
        try store.createSource(spec("s"))
        try store.createSource(spec("t"))
        try store.recordVerdicts((0..<10).flatMap { w in [verdict("s", "x", window: w), verdict("t", "y", window: w)] })
        for w in Int64(0)..<10 {
            try store.putModelMetric(ModelMetricRecord(source: "s", metric: "auc", windowStartMilliseconds: w * hour,
                                                       value: 0.9, reportedMilliseconds: w * hour))
        }
        for c in Int64(0)..<4 {
            try store.recordFreshness(FreshnessRecord(source: "s", checkedMilliseconds: c * 3 * hour,
                                                      newestEventMilliseconds: nil, lastArrivalMilliseconds: nil,
                                                      maximumAgeMilliseconds: hour, maximumIntervalMilliseconds: hour,
                                                      stale: false, reason: ""))
        }
        // Verdicts 0..<4 of both sources (8), metrics 0..<4 (4), checks at 0 and 3h (2).
        #expect(try store.deleteHistory(olderThan: 4 * hour) == 14)
        #expect(try store.history(source: "s").rows.map(\.windowStartMilliseconds).first == 4 * hour)
        #expect(try store.history(source: "t").rows.count == 6)
        #expect(try store.modelMetrics(source: "s", metric: "auc").count == 6)
        #expect(try store.latestFreshness(source: "s")?.checkedMilliseconds == 9 * hour)
        #expect(try store.deleteHistory(olderThan: 4 * hour) == 0)
    }

    @Test("promote and roll back baseline versions; kinds are kept")
    func promoteRollback() throws {
        let store = try DriftStore(path: ":memory:")
        try store.createSource(spec("s"))
        #expect(throws: DriftStoreError.self) { try store.rollbackBaseline(source: "s") }
        #expect(try store.putBaseline(source: "s", rows: 10, state: [1]) == 1)
        #expect(try store.putBaseline(source: "s", rows: 20, state: [2], kind: .rolling) == 2)
        #expect(try store.currentBaseline(source: "s")?.id == 2)
        var list = try store.listBaselines(source: "s")
        #expect(list == [
            BaselineInfo(id: 1, rows: 10, createdMilliseconds: list[0].createdMilliseconds, kind: .fixed,
                         isCurrent: false, isPrevious: true),
            BaselineInfo(id: 2, rows: 20, createdMilliseconds: list[1].createdMilliseconds, kind: .rolling,
                         isCurrent: true, isPrevious: false),
        ])
        #expect(try store.rollbackBaseline(source: "s") == 1)
        #expect(try store.currentBaseline(source: "s")?.state == [1])
        #expect(throws: DriftStoreError.self) { try store.rollbackBaseline(source: "s") }
        try store.putBaseline(source: "s", rows: 30, state: [3])
        try store.promoteBaseline(source: "s", id: 2)
        list = try store.listBaselines(source: "s")
        #expect(list.map(\.isCurrent) == [false, true, false])
        #expect(list.map(\.isPrevious) == [false, false, true])
        try store.promoteBaseline(source: "s", id: 2)  // promoting the current one keeps the rollback target
        #expect(try store.rollbackBaseline(source: "s") == 3)
        #expect(throws: DriftStoreError.notFound(source: "s")) { try store.promoteBaseline(source: "s", id: 9) }
        #expect(throws: DriftStoreError.notFound(source: "ghost")) {
            try store.putBaseline(source: "ghost", rows: 1, state: [], kind: .rolling)
        }
        #expect(try store.listBaselines(source: "ghost").isEmpty)
        #expect(try store.currentBaseline(source: "s")?.id == 3)
    }

    @Test("a late model metric replaces the earlier value; freshness and feature status round-trip")
    func metricsAndFreshness() throws {
        let store = try DriftStore(path: ":memory:")
        try store.createSource(spec("s"))
        try store.putModelMetric(ModelMetricRecord(source: "s", metric: "m/auc", windowStartMilliseconds: hour,
                                                   value: 0.8, reportedMilliseconds: 10))
        try store.putModelMetric(ModelMetricRecord(source: "s", metric: "m/auc", windowStartMilliseconds: 0,
                                                   value: 0.7, reportedMilliseconds: 11))
        try store.putModelMetric(ModelMetricRecord(source: "s", metric: "m/auc", windowStartMilliseconds: hour,
                                                   value: 0.75, reportedMilliseconds: 20))
        try store.putModelMetric(ModelMetricRecord(source: "s", metric: "m/rmse", windowStartMilliseconds: hour,
                                                   value: .nan, reportedMilliseconds: 20))
        let auc = try store.modelMetrics(source: "s", metric: "m/auc")
        #expect(auc.map(\.value) == [0.7, 0.75] && auc.map(\.reportedMilliseconds) == [11, 20])
        #expect(try store.modelMetrics(source: "s", metric: "m/auc", since: hour).count == 1)
        #expect(try store.modelMetrics(source: "s", metric: "m/rmse").first?.value.isNaN == true)
        #expect(throws: DriftStoreError.notFound(source: "ghost")) {
            try store.putModelMetric(ModelMetricRecord(source: "ghost", metric: "a", windowStartMilliseconds: 0,
                                                       value: 1, reportedMilliseconds: 0))
        }
        #expect(try store.latestFreshness(source: "s") == nil)
        let stale = FreshnessRecord(source: "s", checkedMilliseconds: 5, newestEventMilliseconds: 1,
                                    lastArrivalMilliseconds: nil, maximumAgeMilliseconds: 24 * hour,
                                    maximumIntervalMilliseconds: hour, stale: true, reason: "no batch for 2 h")
        try store.recordFreshness(stale)
        try store.recordFreshness(FreshnessRecord(source: "s", checkedMilliseconds: 2, newestEventMilliseconds: nil,
                                                  lastArrivalMilliseconds: 0, maximumAgeMilliseconds: 1,
                                                  maximumIntervalMilliseconds: 1, stale: false, reason: ""))
        #expect(try store.latestFreshness(source: "s") == stale)
        try store.putFeatureStatus(source: "s", feature: "x", state: [1, 2])
        try store.putFeatureStatus(source: "s", feature: "x", state: [3])
        try store.putFeatureStatus(source: "s", feature: "y", state: [])
        #expect(try store.featureStatuses(source: "s") == ["x": [3], "y": []])
    }

    @Test("hostile names round-trip through windows, keys, verdicts, metrics and status")
    func hostileNames() throws {
        try withTempDirectory { dir in
            let path = dir + "/d.db"
            let names = ["'; DROP TABLE verdicts; --", "O'Brien \"q\"", "naïve-日本語-🚀", "a%_*?\\", "tab\there",
                         "nul\u{0}inside", "line\nbreak", " "]
            do {
                let store = try DriftStore(path: path)
                for n in names {
                    try store.createSource(spec(n))
                    #expect(try store.applyIngest(source: n, key: n, windowUpdates: [update(0, rows: 1, state: [1])])
                        == .applied)
                    try store.recordVerdicts([verdict(n, n, window: 0), verdict(n, n + "2", window: 0)])
                    try store.putModelMetric(ModelMetricRecord(source: n, metric: n, windowStartMilliseconds: 0,
                                                               value: 1, reportedMilliseconds: 0))
                    try store.putFeatureStatus(source: n, feature: n, state: [9])
                }
            }
            let store = try DriftStore(path: path)
            for n in names {
                #expect(try store.applyIngest(source: n, key: n, windowUpdates: []) != .applied)
                #expect(try store.window(source: n, start: 0)?.source == n)
                #expect(try store.history(source: n, feature: n).rows == [verdict(n, n, window: 0)])
                #expect(try store.history(source: n).rows.map(\.feature) == [n, n + "2"])
                #expect(try store.modelMetrics(source: n, metric: n).count == 1)
                #expect(try store.featureStatuses(source: n) == [n: [9]])
            }
            #expect(try count(store, "SELECT count(*) FROM verdicts") == Int64(2 * names.count))
        }
    }

    @Test("everything survives close and reopen")
    func reopen() throws {
        try withTempDirectory { dir in
            let path = dir + "/d.db"
            let rows = (0..<5).map { verdict("s", "f\($0 % 2)", window: Int64($0)) }
            do {
                let store = try DriftStore(path: path)
                try store.createSource(spec("s"))
                try store.applyIngest(source: "s", key: "k", windowUpdates: [update(0, rows: 3, state: [1, 2])])
                try store.markAlerted(source: "s", start: 0)
                try store.recordVerdicts(rows)
                try store.putBaseline(source: "s", rows: 1, state: [1])
                try store.putBaseline(source: "s", rows: 2, state: [2], kind: .rolling)
                try store.putModelMetric(ModelMetricRecord(source: "s", metric: "acc", windowStartMilliseconds: 0,
                                                           value: 0.5, reportedMilliseconds: 1))
                try store.putFeatureStatus(source: "s", feature: "f0", state: [7])
            }
            let store = try DriftStore(path: path)
            #expect(try store.connection.userVersion() == DriftStore.schemaVersion)
            #expect(try store.window(source: "s", start: 0)?.alerted == true)
            #expect(try store.history(source: "s").rows.sorted { $0.windowStartMilliseconds < $1.windowStartMilliseconds } == rows)
            #expect(try store.rollbackBaseline(source: "s") == 1)
            #expect(try store.listBaselines(source: "s").map(\.kind) == [.fixed, .rolling])
            #expect(try store.modelMetrics(source: "s", metric: "acc").map(\.value) == [0.5])
            #expect(try store.featureStatuses(source: "s") == ["f0": [7]])
            // New features after reopening get fresh ids, old ones are found again.
            try store.recordVerdicts([verdict("s", "f2", window: 9), verdict("s", "f0", window: 9)])
            #expect(try store.history(source: "s", feature: "f0").rows.count == 4)
        }
    }
}

@Suite("GroupCommitWriter")
struct GroupCommitWriterTests {
    struct Boom: Error, Equatable {}

    @Test("a failing unit is rolled back alone; the others in its group commit")
    func failingUnit() throws {
        try withTempDirectory { dir in
            let path = dir + "/g.db"
            do {
                let store = try DriftStore(path: path)
                try store.createSource(spec("s"))
                let writer = try GroupCommitWriter(store: store)
                let results = try submitConcurrently(writer, count: 64) { i, store in
                    try store.applyIngest(source: "s", key: "k\(i)",
                                          windowUpdates: [update(Int64(i % 4), rows: 1, state: [UInt8(i)])])
                    if i % 8 == 3 { throw Boom() }  // after its writes: the savepoint must undo them
                    return i
                }
                #expect(results.filter { $0 == nil }.count == 8)
                #expect(results.compactMap { $0 }.count == 56)
                #expect(writer.units == 64)
                #expect(writer.commits >= 1 && writer.commits <= 64)
                writer.close()
                #expect(throws: GroupCommitWriter.WriterError.closed) { try writer.perform { _ in 1 } }
            }
            let store = try DriftStore(path: path)
            #expect(try count(store, "SELECT count(*) FROM ingest_keys") == 56)
            #expect(try count(store, "SELECT sum(rows) FROM windows") == 56)
            #expect(try count(store, "SELECT count(*) FROM ingest_keys WHERE key = 'k3' OR key = 'k11'") == 0)
        }
    }

    @Test("errors from the store reach their own caller; duplicates inside one group are recognised")
    func errorsAndDuplicates() throws {
        let store = try DriftStore(path: ":memory:")
        try store.createSource(spec("s"))
        let writer = try GroupCommitWriter(store: store, maximumGroup: 1_000)
        let outcomes = try submitConcurrently(writer, count: 16) { i, store in
            try store.applyIngest(source: i % 5 == 0 ? "ghost" : "s", key: "same",
                                  windowUpdates: [update(0, rows: 2, state: [])])
        }
        #expect(outcomes.filter { $0 == nil }.count == 4)  // 0, 5, 10, 15: notFound
        #expect(outcomes.filter { $0 == .applied }.count == 1)
        #expect(outcomes.filter { if case .duplicate = $0 { true } else { false } }.count == 11)
        let rows = try writer.perform { store in try store.window(source: "s", start: 0)?.rows }
        #expect(rows == 2)
        let error = #expect(throws: DriftStoreError.self) {
            try writer.perform { store in try store.applyIngest(source: "ghost", key: "x", windowUpdates: []) }
        }
        #expect(error == .notFound(source: "ghost"))
        writer.close()
        writer.close()
    }
}

/// Submits `count` units from up to 8 threads at once; nil where the unit threw.
func submitConcurrently<R: Sendable>(_ writer: GroupCommitWriter, count: Int,
                                     _ unit: @escaping @Sendable (Int, DriftStore) throws -> R) throws -> [R?] {
    let results = Mutex<[R?]>(Array(repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: count) { i in
        let value = try? writer.perform { store in try unit(i, store) }
        results.withLock { $0[i] = value }
    }
    return results.withLock { $0 }
}

@Suite("Savepoints")
struct SavepointTests {
    struct Boom: Error {}

    @Test("a nested transaction that throws undoes only its own changes")
    func nested() throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.execute("CREATE TABLE t(x INTEGER)")
        try db.transaction {
            try db.execute("INSERT INTO t VALUES (1)")
            do {
                try db.transaction { () throws -> Void in
                    try db.execute("INSERT INTO t VALUES (2)")
                    try db.savepoint { try db.execute("INSERT INTO t VALUES (3)") }
                    throw Boom()
                }
            } catch is Boom {}
            try db.savepoint {
                try db.execute("INSERT INTO t VALUES (4)")
                do {
                    try db.savepoint { () throws -> Void in
                        try db.execute("INSERT INTO t VALUES (5)")
                        throw Boom()
                    }
                } catch is Boom {}
            }
            #expect(db.isInTransaction)
        }
        #expect(!db.isInTransaction)
        let s = try db.prepare("SELECT group_concat(x) FROM (SELECT x FROM t ORDER BY x)")
        #expect(try s.step())
        #expect(s.text(at: 0) == "1,4")
        // Outside a transaction a savepoint is a transaction of its own.
        try db.savepoint { try db.execute("INSERT INTO t VALUES (6)") }
        #expect(!db.isInTransaction)
    }
}
