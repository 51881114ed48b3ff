import DriftEngine
import DriftStore
import DriftWire

/// A model metric's values over recent windows ("model/metric" split at its last "/").
struct MetricSeries: Sendable {
    var model: String
    var metric: String
    var higherIsBetter: Bool?
    var points: [(windowStartMs: Int64, value: Double)]
}

/// One source as the dashboard shows it: its spec, GetSourceStatus answer and health word.
struct DashboardSource: Sendable {
    var spec: SourceSpec
    var status: GetSourceStatusResponse
    /// ok / warning / critical / stale (stale wins; else the worst severity among features drifting or recovering).
    var health: String
    var driftingFeatures: Int { status.features.filter { $0.status == .drifting }.count }
}

/// The drift and null-rate verdicts of a source's recent closed windows, aligned on the window starts.
struct RecentVerdicts: Sendable {
    /// Starts of the windows with verdicts, oldest first (at most ``ServerCore/dashboardWindows``).
    var windowStarts: [Int64]
    var windowEnds: [Int64: Int64]
    /// feature → window start → verdict, per check.
    var drift: [String: [Int64: VerdictRow]]
    var nullRate: [String: [Int64: VerdictRow]]

    /// The verdicts of `feature` per window, oldest first (nil where the window has none).
    func series(_ feature: String, nullRate: Bool = false) -> [VerdictRow?] {
        let rows = (nullRate ? self.nullRate : drift)[feature] ?? [:]
        return windowStarts.map { rows[$0] }
    }

    /// The newest verdict of `feature` for the check.
    func latest(_ feature: String, nullRate: Bool = false) -> VerdictRow? {
        series(feature, nullRate: nullRate).last(where: { $0 != nil }) ?? nil
    }
}

extension ServerCore {
    /// Closed windows the source and feature pages chart (sparklines, history, metric trends).
    static let dashboardWindows = 24

    /// ok / warning / critical / stale for a GetSourceStatus answer (the `/api/v1/sources` `status`).
    static func health(_ s: GetSourceStatusResponse) -> String {
        let incidents = s.features.filter { $0.status == .drifting || $0.status == .recovering }
        let worst = incidents.map(\.severity.rawValue).max() ?? 0
        return s.freshness == .stale ? "stale"
            : worst >= FeatureVerdict.Severity.critical.rawValue ? "critical"
            : worst >= FeatureVerdict.Severity.warning.rawValue ? "warning" : "ok"
    }

    /// The source with its status, or nil when there is no such source.
    func dashboardSource(_ name: String) throws -> DashboardSource? {
        guard let spec = try withStore({ try $0.source(named: name) }) else { return nil }
        let status = try sourceStatus(GetSourceStatusRequest(source: name))
        return DashboardSource(spec: spec, status: status, health: Self.health(status))
    }

    /// Every source (name order, up to 10,000), with its status.
    func dashboardSources() throws -> [DashboardSource] {
        var out: [DashboardSource] = []
        var after: String? = nil
        while out.count < 10_000 {
            let page = try withStore { try $0.listSources(after: after, limit: 500) }
            for spec in page {
                let status = try sourceStatus(GetSourceStatusRequest(source: spec.name))
                out.append(DashboardSource(spec: spec, status: status, health: Self.health(status)))
            }
            guard page.count == 500 else { break }
            after = page.last!.name
        }
        return out
    }

    /// The first window start of the last `count` windows ending with the one starting at `last` (event-time
    /// windows by length, row-count windows by index).
    static func firstOfLast(_ count: Int, endingAt last: Int64, spec: SourceSpec) -> Int64 {
        let step = windowLengthMs(spec) ?? 1
        let (span, o1) = Int64(count - 1).multipliedReportingOverflow(by: step)
        let (first, o2) = last.subtractingReportingOverflow(span)
        return o1 || o2 ? .min : first
    }

    /// Drift and null-rate verdicts of the last ``dashboardWindows`` closed windows (of one feature when given).
    func recentVerdicts(_ source: DashboardSource, feature: String? = nil) throws -> RecentVerdicts {
        var recent = RecentVerdicts(windowStarts: [], windowEnds: [:], drift: [:], nullRate: [:])
        guard let last = source.status.lastClosedWindow else { return recent }
        let since = Self.firstOfLast(Self.dashboardWindows, endingAt: last.startMs, spec: source.spec)
        var after: HistoryCursor? = nil
        var starts = Set<Int64>()
        repeat {
            let page = try withStore {
                try $0.history(source: source.spec.name, feature: feature, kinds: [.drift, .nullRate], since: since,
                               until: last.startMs == .max ? .max : last.startMs + 1, limit: 5_000, after: after)
            }
            for r in page.rows {
                starts.insert(r.windowStartMilliseconds)
                recent.windowEnds[r.windowStartMilliseconds] = r.windowEndMilliseconds
                if r.kind == .drift {
                    recent.drift[r.feature, default: [:]][r.windowStartMilliseconds] = r
                } else {
                    recent.nullRate[r.feature, default: [:]][r.windowStartMilliseconds] = r
                }
            }
            after = page.next
        } while after != nil
        recent.windowStarts = Array(starts.sorted().suffix(Self.dashboardWindows))
        return recent
    }

    /// The last closed window's distribution of `features` beside the baseline each was compared against (the
    /// drift verdict's baseline id, else the current baseline). Empty when the window's state is no longer kept
    /// or the baseline is gone.
    func lastWindowHistograms(_ source: DashboardSource, features: [String], baselineIDs: [String: UInt64])
        throws -> [String: FeatureHistogram] {
        guard let last = source.status.lastClosedWindow,
              let stored = try withStore({ try $0.window(source: source.spec.name, start: last.startMs) }),
              !stored.state.isEmpty, let window = try? WindowState.decode(stored.state) else { return [:] }
        let current = try comparisonBaseline(source.spec.name)
        var decoded: [UInt64: BaselineState] = [:]
        if let current { decoded[current.id] = current.state }
        var out: [String: FeatureHistogram] = [:]
        for f in features {
            guard let id = baselineIDs[f] ?? current?.id else { continue }
            if decoded[id] == nil {
                guard let bytes = try withStore({ try $0.baseline(source: source.spec.name, id: id) })?.state,
                      let state = try? BaselineState.decode(bytes) else { continue }
                decoded[id] = state
            }
            out[f] = window.histogram(feature: f, against: decoded[id]!, baselineId: id)
        }
        return out
    }

    /// Every model metric of the source over the last ``dashboardWindows`` windows up to `last` (all of them when
    /// nil), in metric-name order.
    func metricSeries(_ source: DashboardSource, last: Int64? = nil) throws -> [MetricSeries] {
        let anchor = last ?? source.status.lastClosedWindow?.startMs
        let since = anchor.map { Self.firstOfLast(Self.dashboardWindows, endingAt: $0, spec: source.spec) } ?? .min
        var records: [ModelMetricRecord] = []
        var after: (windowStartMilliseconds: Int64, metric: String)? = nil
        while records.count < 100_000 {
            let page = try withStore { try $0.modelMetricPage(source: source.spec.name, since: since, after: after, limit: 5_000) }
            records += page
            guard page.count == 5_000, let l = page.last else { break }
            after = (l.windowStartMilliseconds, l.metric)
        }
        var byKey: [String: MetricSeries] = [:]
        for r in records {
            let cut = r.metric.lastIndex(of: "/") ?? r.metric.startIndex
            let model = String(r.metric[..<cut])
            let metric = cut == r.metric.endIndex ? r.metric : String(r.metric[r.metric.index(after: cut)...])
            byKey[r.metric, default: MetricSeries(model: model, metric: metric, points: [])].points
                .append((r.windowStartMilliseconds, r.value))
            if let h = r.higherIsBetter { byKey[r.metric]!.higherIsBetter = h }
        }
        return byKey.keys.sorted().map { key in
            var s = byKey[key]!
            s.points = Array(s.points.sorted { $0.windowStartMs < $1.windowStartMs }.suffix(Self.dashboardWindows))
            return s
        }
    }

    /// PerformanceCorrelation of each metric (lags 0…2 over the default windows), or why it is not available.
    func metricCorrelations(_ source: DashboardSource, _ metrics: [MetricSeries])
        -> [(series: MetricSeries, result: Result<PerformanceCorrelationResponse, RequestError>)] {
        metrics.map { m in
            do {
                let r = try performanceCorrelation(PerformanceCorrelationRequest(
                    source: source.spec.name, model: m.model, metric: m.metric, windows: 0, maxLag: 2))
                return (m, .success(r))
            } catch let e as RequestError {
                return (m, .failure(e))
            } catch {
                return (m, .failure(RequestError(.internal, "\(error)")))
            }
        }
    }
}
