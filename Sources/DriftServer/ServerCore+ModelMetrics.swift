import DriftEngine
import DriftStore
import DriftWire

/// PerformanceCorrelation limits (PROTOCOL §13).
enum CorrelationLimits {
    /// K when the request's `windows` is 0.
    static let defaultWindows = 48
    /// The most windows considered; a larger `windows` is lowered to it.
    static let maxWindows = 1_000
    /// The largest `max_lag` (windows); above it INVALID_ARGUMENT.
    static let maxLag = 100
    /// Drift verdicts read per store query while collecting scores.
    static let historyPage = 10_000
}

extension ServerCore {
    /// ReportModelMetric (8): the value joins one window of the source (by its start, or the window containing
    /// `event_time_ms`); a second value for the same (model, metric, window) replaces the first.
    func reportModelMetric(_ req: ReportModelMetricRequest) throws -> ReportModelMetricResponse {
        let key = try Self.metricKey(model: req.model, metric: req.metric)
        guard req.value.isFinite else {
            throw RequestError(.invalidArgument, "value must be finite, not \(req.value)", fieldPath: "value")
        }
        switch (req.windowStartMs, req.eventTimeMs) {
        case (nil, nil), (.some, .some):
            throw RequestError(.invalidArgument, "give exactly one of window_start_ms and event_time_ms",
                               fieldPath: req.windowStartMs == nil ? "window_start_ms" : "event_time_ms")
        default: break
        }
        let response = try withStore { store in
            guard let spec = try store.source(named: req.source) else {
                throw RequestError(.notFound, "no source named \(req.source)", fieldPath: "source")
            }
            let window = try Self.metricWindow(req, spec: spec, store: store)
            let replaced = try store.putModelMetric(ModelMetricRecord(
                source: req.source, metric: key, windowStartMilliseconds: window.startMs, value: req.value,
                reportedMilliseconds: DriftStore.wallClockMilliseconds(), higherIsBetter: req.higherIsBetter))
            return ReportModelMetricResponse(window: window, replaced: replaced)
        }
        // The metric is stored; its performance alert follows in its own unit (a failure there is counted, and
        // the next report of the metric decides again).
        do { try updatePerformanceAlert(source: req.source, metric: key, nowMs: DriftStore.wallClockMilliseconds()) } catch {
            stats.errors.add(1, ordering: .relaxed)
        }
        return response
    }

    /// The window a metric report names. Event-time sources: `window_start_ms` must be a multiple of the window
    /// length; `event_time_ms` goes to the window containing it (windows need not hold rows yet — labels may come
    /// first). Row-count sources: a stored window starting at `window_start_ms`, or containing `event_time_ms`.
    static func metricWindow(_ req: ReportModelMetricRequest, spec: SourceSpec, store: DriftStore) throws -> WindowRange {
        guard let length = windowLengthMs(spec) else {
            if let start = req.windowStartMs {
                guard let w = try store.window(source: req.source, start: start) else {
                    throw RequestError(.invalidArgument, "window_start_ms \(start) is not the start of a window of "
                        + "\(req.source) (row-count windows: report against a window that has rows)",
                        fieldPath: "window_start_ms")
                }
                return WindowRange(startMs: w.startMilliseconds, endMs: w.endMilliseconds)
            }
            let t = req.eventTimeMs!
            let until = t == .max ? Int64.max : t + 1
            guard let w = try store.windows(source: req.source, from: .min, to: until).last, t < w.endMilliseconds else {
                throw RequestError(.invalidArgument, "no window of \(req.source) contains event_time_ms \(t) "
                    + "(row-count windows: report against a window that has rows)", fieldPath: "event_time_ms")
            }
            return WindowRange(startMs: w.startMilliseconds, endMs: w.endMilliseconds)
        }
        let start: Int64
        if let s = req.windowStartMs {
            let offset = floorMod(s, length)
            guard offset == 0 else {
                throw RequestError(.invalidArgument, "window_start_ms \(s) is not a window boundary of \(req.source) "
                    + "(windows of \(length) ms from the epoch; the window containing it starts at \(s - offset))",
                    fieldPath: "window_start_ms")
            }
            start = s
        } else {
            let t = req.eventTimeMs!
            start = t - floorMod(t, length)
        }
        let (end, overflow) = start.addingReportingOverflow(length)
        guard !overflow else {
            throw RequestError(.invalidArgument, "the window starting at \(start) ends past the largest time",
                               fieldPath: req.windowStartMs == nil ? "event_time_ms" : "window_start_ms")
        }
        return WindowRange(startMs: start, endMs: end)
    }

    /// "model/metric" after the name checks: each 1…256 bytes without control characters; the metric without "/"
    /// (the stored key splits at its last "/").
    static func metricKey(model: String, metric: String) throws -> String {
        for (field, name) in [("model", model), ("metric", metric)] {
            guard !name.isEmpty, name.utf8.count <= 256 else {
                throw RequestError(.invalidArgument, "\(field) must be 1…256 bytes", fieldPath: field)
            }
            guard !hasControlCharacters(name) else {
                throw RequestError(.invalidArgument, "\(field) contains control characters", fieldPath: field)
            }
        }
        guard !metric.contains("/") else {
            throw RequestError(.invalidArgument, "metric names have no '/' (it separates model and metric)",
                               fieldPath: "metric")
        }
        return VerdictCodes.metricKey(model: model, metric: metric)
    }

    // MARK: PerformanceCorrelation

    /// PerformanceCorrelation (15): per declared feature, Spearman's ρ between its drift score — the effect value
    /// of its drift verdict (kind drift: PSI, W/σ or JS, whichever the policy gated on), which grows with the size
    /// of a shift but not with the window's row count, unlike KS D or χ² — and the metric over the last K windows
    /// (ending at the latest window with a metric) at lags 0…L, ranked by association with degradation.
    func performanceCorrelation(_ req: PerformanceCorrelationRequest) throws -> PerformanceCorrelationResponse {
        let key = try Self.metricKey(model: req.model, metric: req.metric)
        guard req.maxLag <= UInt32(CorrelationLimits.maxLag) else {
            throw RequestError(.invalidArgument, "max_lag \(req.maxLag) is over \(CorrelationLimits.maxLag) windows",
                               fieldPath: "max_lag")
        }
        let k = req.windows == 0 ? CorrelationLimits.defaultWindows : min(Int(req.windows), CorrelationLimits.maxWindows)
        let lags = Int(req.maxLag)
        let (spec, series, drift) = try withStore { store -> (SourceSpec, [ModelMetricRecord], [VerdictRow]) in
            guard let spec = try store.source(named: req.source) else {
                throw RequestError(.notFound, "no source named \(req.source)", fieldPath: "source")
            }
            let series = try store.modelMetrics(source: req.source, metric: key)
            guard let anchor = series.last(where: { $0.value.isFinite })?.windowStartMilliseconds else {
                throw RequestError(.notFound, "no metric \(req.metric) of model \(req.model) was reported for "
                    + "\(req.source)", fieldPath: "metric")
            }
            // The drift verdicts the K windows and their lags can use.
            let since: Int64
            if let length = Self.windowLengthMs(spec) {
                let (span, o1) = Int64(k - 1 + lags).multipliedReportingOverflow(by: length)
                let (s, o2) = anchor.subtractingReportingOverflow(span)
                since = o1 || o2 ? .min : s
            } else {
                let windows = try store.windows(source: req.source, from: .min, to: anchor.addingReportingOverflow(1)
                    .overflow ? .max : anchor + 1)
                let starts = Set(windows.map(\.startMilliseconds)).union(series.map(\.windowStartMilliseconds))
                    .filter { $0 <= anchor }.sorted()
                since = starts.suffix(k + lags).first ?? anchor
            }
            var rows: [VerdictRow] = []
            var after: HistoryCursor? = nil
            repeat {
                let page = try store.history(source: req.source, kinds: [.drift], since: since,
                                             until: anchor == .max ? .max : anchor + 1,
                                             limit: CorrelationLimits.historyPage, after: after)
                rows += page.rows
                after = page.next
            } while after != nil
            return (spec, series, rows)
        }

        // The window grid: event-time windows by start; row-count windows by their position in time order.
        let declared = spec.features.map(\.name)
        let length: Int64
        var index: (Int64) -> Int64 = { $0 }
        if let l = Self.windowLengthMs(spec) {
            length = l
        } else {
            length = 1
            let starts = Set(series.map(\.windowStartMilliseconds)).union(drift.map(\.windowStartMilliseconds)).sorted()
            var position: [Int64: Int64] = [:]
            for (i, s) in starts.enumerated() { position[s] = Int64(i) }
            index = { position[$0]! }
        }
        var metric: [Int64: Double] = [:]
        var higherIsBetter: Bool? = nil
        var latestReport = Int64.min
        for m in series {
            metric[index(m.windowStartMilliseconds)] = m.value
            if let h = m.higherIsBetter, m.reportedMilliseconds >= latestReport {
                higherIsBetter = h
                latestReport = m.reportedMilliseconds
            }
        }
        var scores: [String: [Int64: Double]] = Dictionary(uniqueKeysWithValues: declared.map { ($0, [:]) })
        for r in drift where r.kind == .drift && r.effect.isFinite && scores[r.feature] != nil {
            scores[r.feature]![index(r.windowStartMilliseconds)] = r.effect
        }

        let correlation = PerformanceCorrelation(windowLengthMs: length, windowCount: k, maxLag: lags,
                                                 direction: higherIsBetter == false ? .lowerIsBetter : .higherIsBetter)
        let span = correlation.windows(metric: metric)
        let used = span.filter { w in
            guard let m = metric[w], m.isFinite else { return false }
            return (0...lags).contains { lag in
                let source = w &- Int64(lag) &* length
                return scores.values.contains { $0[source] != nil }
            }
        }.count
        guard used >= 3 else {
            throw RequestError(.failedPrecondition, "only \(used) of the last \(k) windows of \(req.source) carry both "
                + "drift scores and a value of \(key); at least 3 are needed", fieldPath: "windows")
        }

        let ranking = correlation.ranking(driftScores: scores, metric: metric)
        var out: [FeatureCorrelation] = []
        for (i, r) in ranking.enumerated() {
            out.append(FeatureCorrelation(feature: r.best.feature, rho: r.best.spearman?.rho, lag: UInt32(r.best.lag),
                                          n: UInt64(r.best.count), pValue: r.lagAdjustedPValue, rank: UInt32(i + 1)))
        }
        let ranked = Set(ranking.map(\.best.feature))
        for f in declared where !ranked.contains(f) {
            let pairs = correlation.associations(feature: f, scores: scores[f] ?? [:], metric: metric)
                .map(\.count).max() ?? 0
            out.append(FeatureCorrelation(feature: f, n: UInt64(pairs)))
        }
        // Cut to fit the response metadata (a source with thousands of features); the best ranks come first.
        let budget = configuration.limits.maxMetadata - 16
        var bytes = 0
        var fitting: [FeatureCorrelation] = []
        for f in out {
            let size = f.encode().count + 4
            if bytes + size > budget { break }
            bytes += size
            fitting.append(f)
        }
        return PerformanceCorrelationResponse(features: fitting, windowsUsed: UInt64(used))
    }
}

/// x mod m in 0 ..< m for m > 0 (floor division, so negative times align too).
func floorMod(_ x: Int64, _ m: Int64) -> Int64 {
    let r = x % m
    return r < 0 ? r + m : r
}
