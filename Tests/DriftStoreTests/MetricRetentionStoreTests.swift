import CSQLite
import DriftStore
import DriftWire
import Foundation
import Testing

@Suite("Model metric paging and window retention")
struct MetricRetentionStoreTests {
    @Test("retention deletes closed windows older than the cutoff, keeps open and newer ones")
    func retentionDeletesClosedWindows() throws {
        let store = try DriftStore(path: ":memory:")
        try store.createSource(spec("s"))
        try store.createSource(spec("t"))
        for w in Int64(0)..<6 {
            try store.applyIngest(source: "s", key: nil, windowUpdates: [update(w, rows: 1, state: [1])])
            if w != 2 { try store.closeWindow(source: "s", start: w * hour) }  // window 2 is still open
        }
        try store.applyIngest(source: "t", key: nil, windowUpdates: [update(0, rows: 1, state: [1])])
        try store.closeWindow(source: "t", start: 0)
        // Closed windows 0, 1, 3 of s and 0 of t start before 4 h: 4 rows; open window 2 stays.
        #expect(try store.deleteHistory(olderThan: 4 * hour) == 4)
        #expect(try store.windows(source: "s", from: .min, to: .max).map(\.startMilliseconds)
                == [2 * hour, 4 * hour, 5 * hour])
        #expect(try store.windows(source: "t", from: .min, to: .max).isEmpty)
        #expect(try store.deleteHistory(olderThan: 4 * hour) == 0)
    }

    @Test("putModelMetric says whether it replaced a value; the direction round-trips and is replaced too")
    func replacedAndDirection() throws {
        let store = try DriftStore(path: ":memory:")
        try store.createSource(spec("s"))
        let first = ModelMetricRecord(source: "s", metric: "m/auc", windowStartMilliseconds: hour, value: 0.9,
                                      reportedMilliseconds: 1, higherIsBetter: true)
        #expect(try store.putModelMetric(first) == false)
        #expect(try store.modelMetrics(source: "s", metric: "m/auc") == [first])
        var late = first
        late.value = 0.7
        late.reportedMilliseconds = 2
        late.higherIsBetter = false
        #expect(try store.putModelMetric(late) == true)
        #expect(try store.modelMetrics(source: "s", metric: "m/auc") == [late])
        var unknown = first
        unknown.windowStartMilliseconds = 0
        unknown.higherIsBetter = nil
        #expect(try store.putModelMetric(unknown) == false)
        #expect(try store.modelMetrics(source: "s", metric: "m/auc").first?.higherIsBetter == nil)
    }

    @Test("modelMetricPage pages every metric of a source in (window, metric) order without gaps or repeats")
    func metricPaging() throws {
        let store = try DriftStore(path: ":memory:")
        try store.createSource(spec("s"))
        try store.createSource(spec("t"))
        var all: [ModelMetricRecord] = []
        for w in Int64(0)..<7 {
            for name in ["m/rmse", "m/auc", "z|odd"] where !(name == "m/auc" && w == 3) {
                let r = ModelMetricRecord(source: "s", metric: name, windowStartMilliseconds: w * hour,
                                          value: Double(w), reportedMilliseconds: w)
                try store.putModelMetric(r)
                all.append(r)
            }
            try store.putModelMetric(ModelMetricRecord(source: "t", metric: "m/auc", windowStartMilliseconds: w * hour,
                                                       value: 1, reportedMilliseconds: 0))
        }
        let expected = all.sorted { a, b in
            a.windowStartMilliseconds != b.windowStartMilliseconds ? a.windowStartMilliseconds < b.windowStartMilliseconds
                : a.metric.utf8.lexicographicallyPrecedes(b.metric.utf8)
        }
        #expect(try store.modelMetricPage(source: "s", limit: 1_000) == expected)
        for size in [1, 2, 5] {
            var pages: [ModelMetricRecord] = []
            var after: (windowStartMilliseconds: Int64, metric: String)? = nil
            while true {
                let page = try store.modelMetricPage(source: "s", after: after, limit: size)
                pages += page
                guard page.count == size, let last = page.last else { break }
                after = (last.windowStartMilliseconds, last.metric)
            }
            #expect(pages == expected)
        }
        let window = try store.modelMetricPage(source: "s", since: 2 * hour, until: 4 * hour, limit: 100)
        #expect(window.map(\.windowStartMilliseconds) == [2, 2, 2, 3, 3].map { $0 * hour })
        #expect(try store.modelMetricPage(source: "ghost", limit: 10).isEmpty)
    }

    @Test("a schema-2 database migrates to 3 keeping its metrics (direction unknown)")
    func migratesFromTwo() throws {
        try withTempDirectory { dir in
            let path = dir + "/d.db"
            do {
                let db = try SQLiteConnection(path: path)
                try Migrations.migrate(db, steps: Array(DriftStore.migrations.prefix(2)))
                try db.execute("INSERT INTO sources(name, spec, created_ms) VALUES('s', x'0a0173', 0)")
                try db.execute("""
                    INSERT INTO model_metrics(source, metric, window_start_ms, value, reported_ms)
                    VALUES('s', 'm/auc', 0, 0.5, 1)
                    """)
            }
            let store = try DriftStore(path: path)
            #expect(try store.connection.userVersion() == DriftStore.schemaVersion)
            #expect(try store.modelMetrics(source: "s", metric: "m/auc")
                    == [ModelMetricRecord(source: "s", metric: "m/auc", windowStartMilliseconds: 0, value: 0.5,
                                          reportedMilliseconds: 1)])
        }
    }
}
