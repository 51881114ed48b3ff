import DriftEngine
import DriftKernels

#if canImport(Glibc)
import Glibc
#endif

/// `drift-bench quality`: the false-alarm and detection figures of the monitoring policy, measured on simulated
/// streams (Benchmarks/README.md, "Statistical quality").
///
/// Every window of every stream goes through the real ``WindowEvaluator`` with the default ``MonitoringPolicy``
/// (Benjamini–Hochberg at q = 0.01 across the window's features, persistence k = 2, recovery j = 2). A window is a
/// fresh sample of `rows` values per feature compared with ``FeatureComparison`` against the feature's own
/// seeded ``FeatureBaseline`` of max(200 000, rows) values — what the server's window state gives when it keeps
/// every value (unsampled).
///
/// - Null streams: `features` independent features of one scenario, `windows` hourly windows each; BH runs across
///   the features of each window.
/// - Drift streams: each run is one source of 100 features: the changed feature (or the declared pair of the
///   correlation flip) plus null features whose reports are drawn from a pool of real null comparisons at the same
///   window size, so BH sees a full window. The change starts at window ``onset`` and persists for ``horizon``
///   windows.
struct QualityBenchmarks {
    var sizes = [1_000, 10_000, 100_000, 1_000_000]
    var seed: UInt64 = 1
    var threads = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    /// Rough figures in about a minute: fewer features, windows and runs.
    var quick = false

    /// The first changed window (windows 0, 1, 2 are unchanged).
    static let onset = 3
    /// Windows observed from the onset on.
    static let horizon = 6
    /// Features of a drift run's source.
    static let sourceFeatures = 100
    static let hourMs: Int64 = 3_600_000

    /// Features × windows of a null stream at `rows` per window: 100 × 720 (a month of hourly windows) up to 10k
    /// rows; scaled down beyond, where a 2-core machine would need hours (the counts used are printed). 24
    /// windows or more cover a whole day of the seasonal scenario.
    func nullShape(rows: Int) -> (features: Int, windows: Int) {
        if rows <= 10_000 { return quick ? (20, 72) : (100, 720) }
        if rows <= 100_000 { return quick ? (4, 24) : (100, 72) }
        return quick ? (2, 4) : (10, 24)
    }

    /// Runs per drift scenario at `rows` per window.
    func driftRuns(rows: Int) -> Int {
        if rows <= 10_000 { return quick ? 20 : 200 }
        if rows <= 100_000 { return quick ? 10 : 100 }
        return quick ? 2 : 20
    }

    /// Null reports per window size in the pool the drift runs draw their null features from.
    func poolSize(rows: Int) -> Int {
        if quick { return rows <= 100_000 ? 50 : 10 }
        return rows <= 10_000 ? 400 : rows <= 100_000 ? 200 : 40
    }

    static func baselineRows(_ rows: Int) -> Int { max(200_000, rows) }

    func run() {
        writeStderr("drift-bench quality: sizes \(sizes), seed \(seed), threads \(threads)\(quick ? ", quick" : "")\n")
        var nullFigures: [NullStreamFigures] = []
        for rows in sizes {
            for scenario in NullScenario.allCases {
                let figures = nullStream(scenario, rows: rows)
                print(figures.jsonLine)
                fflush(nil)  // one line per case as it finishes (all output streams)
                nullFigures.append(figures)
            }
        }
        var driftFigures: [DriftStreamFigures] = []
        for rows in sizes {
            let pool = nullPool(rows: rows)
            for scenario in DriftScenario.all {
                let figures = driftStream(scenario, rows: rows, pool: pool)
                print(figures.jsonLine)
                fflush(nil)  // one line per case as it finishes (all output streams)
                driftFigures.append(figures)
            }
        }
        print("")
        print(NullStreamFigures.tableHeader)
        for f in nullFigures { print(f.tableRow) }
        print("")
        print(DriftStreamFigures.tableHeader)
        for f in driftFigures { print(f.tableRow) }
    }

    /// A seed for one stream, feature or run: SplitMix64 finalisation over the parts.
    func streamSeed(_ parts: UInt64...) -> UInt64 {
        var rng = SplitMix64(seed: seed)
        var h = rng.next()
        for p in parts {
            rng = SplitMix64(seed: h ^ p)
            h = rng.next()
        }
        return h
    }

    /// The baseline of a simulated column (categorical: the 8-category dictionary).
    static func baseline(_ column: SimulatedColumn, seed: UInt64) -> FeatureBaseline {
        switch column {
        case .numeric(let values): return FeatureBaseline.numeric(values: values, seed: seed)
        case .categorical(let codes, _):
            return try! FeatureBaseline.categorical(codes: codes, dictionary: NullScenario.dictionary)
        }
    }

    /// One window's report of a feature against its baseline.
    static func report(_ name: String, baseline: FeatureBaseline, window: SimulatedColumn) -> FeatureReport {
        switch window {
        case .numeric(let values): return FeatureComparison.numeric(name: name, baseline: baseline, current: values)
        case .categorical(let codes, let size):
            return FeatureComparison.categorical(name: name, baseline: baseline, current: codes, dictionarySize: size)
        }
    }
}
