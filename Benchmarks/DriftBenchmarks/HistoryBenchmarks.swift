import DriftStore

#if canImport(Glibc)
import Glibc
#endif

/// `drift-bench history`: a year of hourly verdicts for `features` features of one source in a fresh database
/// (`DriftStore.recordVerdicts`, one prepared statement, `windowsPerTransaction` windows per transaction), then the
/// typical history queries, each the median of `reps` runs after a warm-up. Prints one JSON line per phase and
/// query, and the file size and bytes per verdict row after a WAL checkpoint.
///
/// Verdict values are seeded random (statistics and p-values are full doubles, as real ones are); about 1 % of the
/// rows are critical.
struct HistoryBenchmarks {
    var features = 1_000
    var windows = 8_760
    var windowsPerTransaction = 24
    var reps = 7
    var path = "/tmp/drift-bench-history.db"

    static let hour: Int64 = 3_600_000
    /// 2026-01-01T00:00Z: a realistic magnitude for event times in milliseconds.
    static let epoch: Int64 = 1_767_225_600_000

    func run() {
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        let store: DriftStore
        do {
            store = try DriftStore(path: path)
            // The bench has no DriftWire dependency for `SourceSpec`: the source row is written directly (an
            // empty spec blob decodes as the empty spec).
            try store.connection.execute("INSERT INTO sources(name, spec, created_ms) VALUES('bench', x'', 0)")
        } catch {
            writeStderr("drift-bench history: \(error)\n")
            exit(1)
        }
        let names = (0..<features).map { "feature_\($0)" }
        var rng = SplitMix64(seed: 42)
        let tests = ["ks", "chi2"], effects = ["psi", "js"]

        let t0 = now()
        var written = 0
        var window = 0
        while window < windows {
            let upper = min(windows, window + windowsPerTransaction)
            var batch: [VerdictRow] = []
            batch.reserveCapacity((upper - window) * features)
            for w in window..<upper {
                let start = Self.epoch + Int64(w) * Self.hour
                for (f, name) in names.enumerated() {
                    let p = Double(rng.next() >> 11) * 0x1p-53
                    let roll = rng.next() % 100
                    let severity: UInt8 = roll == 0 ? 3 : (roll < 3 ? 2 : (roll < 6 ? 1 : 0))
                    batch.append(VerdictRow(
                        source: "bench", feature: name, windowStartMilliseconds: start,
                        windowEndMilliseconds: start + Self.hour, baselineID: 1, kind: .drift, test: tests[f & 1],
                        statistic: Double(rng.next() >> 11) * 0x1p-53 * 0.1, p: p, pAdjusted: min(1, p * 3),
                        effectName: effects[f & 1], effect: Double(rng.next() >> 11) * 0x1p-53 * 0.3,
                        warningThreshold: 0.1, criticalThreshold: 0.25, nBaseline: 100_000,
                        nCurrent: 10_000 + rng.next() % 1_000, decision: severity > 0 ? 1 : 0, severity: severity,
                        status: severity > 1 ? 2 : 0, stale: false, reasons: "",
                        createdMilliseconds: start + Self.hour + 1_000))
                }
            }
            do { try store.recordVerdicts(batch) } catch {
                writeStderr("drift-bench history: \(error)\n")
                exit(1)
            }
            written += batch.count
            window = upper
        }
        let fill = now() - t0
        print("{\"phase\": \"fill\", \"rows\": \(written), \"seconds\": \(fill), \"rows_per_s\": \(Double(written) / fill)}")
        fflush(nil)
        do { try store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)") } catch {}
        var st = stat()
        stat(path, &st)
        let size = Int(st.st_size)
        print("{\"phase\": \"size\", \"file_bytes\": \(size), \"bytes_per_row\": \(Double(size) / Double(written))}")
        fflush(nil)

        let last = Self.epoch + Int64(windows) * Self.hour
        let mid = names[features / 2]
        let midWindow = Self.epoch + Int64(windows / 2) * Self.hour
        let cursor = try! store.history(source: "bench", since: midWindow, limit: 1_000).next
        let queries: [(String, () throws -> HistoryPage)] = [
            ("one_feature_all", { try store.history(source: "bench", feature: mid, limit: 1_000_000) }),
            ("one_feature_week", {
                try store.history(source: "bench", feature: mid, since: last - 168 * Self.hour, limit: 1_000_000)
            }),
            ("one_window_all_features", {
                try store.history(source: "bench", since: midWindow, until: midWindow + Self.hour, limit: 1_000_000)
            }),
            ("last_24h_critical", {
                try store.history(source: "bench", since: last - 24 * Self.hour, minimumSeverity: 3, limit: 1_000_000)
            }),
            ("page_1000_after_cursor", { try store.history(source: "bench", limit: 1_000, after: cursor) }),
        ]
        for (name, query) in queries {
            var rows = 0
            let t = medianTime(reps: reps) { rows = (try? query().rows.count) ?? -1 }
            print("{\"query\": \"\(name)\", \"rows\": \(rows), \"median_s\": \(t.wall), \"cpu_s\": \(t.cpu)}")
            fflush(nil)
        }
    }
}
