import DriftEngine
import DriftKernels

/// Drift streams: detection and delay.
extension QualityBenchmarks {
    /// Reports of N(0, 1) windows against an N(0, 1) baseline: the null features of the drift runs' sources.
    func nullPool(rows: Int) -> [FeatureReport] {
        let count = poolSize(rows: rows)
        var rng = SplitMix64(seed: streamSeed(2, UInt64(rows)))
        let baseline = Self.baseline(NullScenario.normal.column(rows: Self.baselineRows(rows), hour: nil, rng: &rng),
                                     seed: rng.next())
        let seeds = (0..<count).map { _ in rng.next() }
        return parallelMap(count, threads: threads) { i in
            var rng = SplitMix64(seed: seeds[i])
            return Self.report("pool", baseline: baseline, window: NullScenario.normal.column(rows: rows, hour: 0, rng: &rng))
        }
    }

    /// All runs of one scenario at one window size (in parallel over runs).
    func driftStream(_ scenario: DriftScenario, rows: Int, pool: [FeatureReport]) -> DriftStreamFigures {
        let start = now()
        let runs = driftRuns(rows: rows)
        let scenarioIndex = UInt64(DriftScenario.all.firstIndex(of: scenario)!)
        let outcomes = parallelMap(runs, threads: threads) { run in
            driftRun(scenario, rows: rows, pool: pool, seed: streamSeed(3, scenarioIndex, UInt64(rows), UInt64(run)))
        }
        var figures = DriftStreamFigures(scenario: scenario, rows: rows, runs: runs, onset: Self.onset,
                                         horizon: Self.horizon)
        for o in outcomes {
            figures.delays.append(o.delay)
            figures.rawDelays.append(o.rawDelay)
            figures.alertsBeforeOnset += o.alertsBeforeOnset
            figures.rawBeforeOnset += o.rawBeforeOnset
        }
        figures.seconds = now() - start
        return figures
    }

    /// One run: one source of ``sourceFeatures`` features, the monitored one(s) changing at ``onset``.
    func driftRun(_ scenario: DriftScenario, rows: Int, pool: [FeatureReport], seed: UInt64)
        -> (delay: Int?, rawDelay: Int?, alertsBeforeOnset: Int, rawBeforeOnset: Int)
    {
        var rng = SplitMix64(seed: seed)
        var policy = MonitoringPolicy()
        let baselineRows = Self.baselineRows(rows)
        var monitored: Set<MonitoredSignal>
        var windowReports: (inout SplitMix64, Bool) -> ([FeatureReport], [CorrelationObservation])
        if case .correlationFlip = scenario {
            policy.correlationGroups = [["x", "y"]]
            monitored = [MonitoredSignal(feature: "x", partner: "y", kind: .correlation)]
            let (bx, by) = scenario.pair(rows: baselineRows, changed: false, rng: &rng)
            let baseX = FeatureBaseline.numeric(values: bx, seed: rng.next())
            let baseY = FeatureBaseline.numeric(values: by, seed: rng.next())
            let baseMoments = try! CoMoments(columns: [bx, by])
            windowReports = { rng, changed in
                let (x, y) = scenario.pair(rows: rows, changed: changed, rng: &rng)
                let observation = CorrelationObservation(pair: FeaturePair("x", "y"), baseline: baseMoments,
                                                         current: try! CoMoments(columns: [x, y]))
                return ([FeatureComparison.numeric(name: "x", baseline: baseX, current: x),
                         FeatureComparison.numeric(name: "y", baseline: baseY, current: y)], [observation])
            }
        } else {
            monitored = [MonitoredSignal(feature: "x", kind: .drift), MonitoredSignal(feature: "x", kind: .nullRate)]
            let base = Self.baseline(scenario.column(rows: baselineRows, changed: false, rng: &rng), seed: rng.next())
            windowReports = { rng, changed in
                ([Self.report("x", baseline: base, window: scenario.column(rows: rows, changed: changed, rng: &rng))], [])
            }
        }
        let evaluator = WindowEvaluator(policy: policy)
        var tracker = FeatureStatusTracker()
        var delay: Int?, rawDelay: Int?, alertsBeforeOnset = 0, rawBeforeOnset = 0
        for w in 0..<(Self.onset + Self.horizon) {
            let changed = w >= Self.onset
            var (reports, correlations) = windowReports(&rng, changed)
            for j in reports.count..<Self.sourceFeatures {
                var null = pool[Int(rng.next() % UInt64(pool.count))]
                null.name = "n\(j)"
                reports.append(null)
            }
            let before = tracker
            let verdicts = evaluator.evaluate(
                source: "quality", windowStartMs: Int64(w) * Self.hourMs, windowEndMs: Int64(w + 1) * Self.hourMs,
                baselineId: 1, reports: reports, correlations: correlations, tracker: &tracker)
            let mine = verdicts.filter { monitored.contains($0.signal) }
            let drifting = mine.contains { $0.status.state == .drifting }
            let opened = mine.contains { $0.status.state == .drifting && !before.status(of: $0.signal).state.isIncident }
            let raw = mine.contains { $0.decision == .drifting }
            if changed {
                if drifting && delay == nil { delay = w - Self.onset + 1 }
                if raw && rawDelay == nil { rawDelay = w - Self.onset + 1 }
                if delay != nil && rawDelay != nil { break }
            } else {
                if opened { alertsBeforeOnset += 1 }
                if raw { rawBeforeOnset += 1 }
            }
        }
        return (delay, rawDelay, alertsBeforeOnset, rawBeforeOnset)
    }
}
