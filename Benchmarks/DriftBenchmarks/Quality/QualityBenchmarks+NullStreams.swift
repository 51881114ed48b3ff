import DriftEngine

/// Null streams: false alarms.
extension QualityBenchmarks {
    /// One scenario at one window size: every feature's reports (in parallel over features, each with its own
    /// seeded generator), then the windows in order through one evaluator and tracker.
    func nullStream(_ scenario: NullScenario, rows: Int) -> NullStreamFigures {
        let start = now()
        let (features, windows) = nullShape(rows: rows)
        let scenarioIndex = UInt64(NullScenario.allCases.firstIndex(of: scenario)!)
        let streams: [[FeatureReport]] = parallelMap(features, threads: threads) { f in
            var rng = SplitMix64(seed: streamSeed(1, scenarioIndex, UInt64(rows), UInt64(f)))
            let baseline = Self.baseline(scenario.column(rows: Self.baselineRows(rows), hour: nil, rng: &rng),
                                         seed: rng.next())
            return (0..<windows).map { w in
                Self.report("f\(f)", baseline: baseline, window: scenario.column(rows: rows, hour: w % 24, rng: &rng))
            }
        }
        var figures = NullStreamFigures(scenario: scenario, rows: rows, features: features, windows: windows)
        let evaluator = WindowEvaluator()
        var tracker = FeatureStatusTracker()
        for w in 0..<windows {
            let before = tracker
            let verdicts = evaluator.evaluate(
                source: "quality", windowStartMs: Int64(w) * Self.hourMs, windowEndMs: Int64(w + 1) * Self.hourMs,
                baselineId: 1, reports: streams.map { $0[w] }, tracker: &tracker)
            var alert = Set<String>(), drifting = Set<String>(), raw = Set<String>(), info = Set<String>()
            for v in verdicts {
                if v.status.state == .drifting && !before.status(of: v.signal).state.isIncident { alert.insert(v.feature) }
                if v.status.state == .drifting { drifting.insert(v.feature) }
                if v.decision == .drifting { raw.insert(v.feature) }
                if v.severity == .info { info.insert(v.feature) }
            }
            figures.alerts += alert.count
            figures.drifting += drifting.count
            figures.rawFired += raw.count
            figures.info += info.count
        }
        figures.seconds = now() - start
        return figures
    }
}
