import DriftEngine
import DriftStore
import DriftTransport
import DriftWire

extension JSONText {
    /// A finite double as JSON (Swift's shortest round-trip text); NaN and ±infinity as `null`.
    static func number(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "null" }
        return "\(x)"
    }

    static func optional<T: BinaryInteger>(_ x: T?) -> String { x.map { "\($0)" } ?? "null" }
}

extension ServerCore {
    // MARK: /api/v1/sources/{name}/features/{feature}

    /// `GET /api/v1/sources/{name}/features/{feature}`: the feature page's data — status, the last closed
    /// window's histogram beside the baseline's on its bins, the latest drift and null-rate verdicts, the recent
    /// windows' verdicts, its correlation with each model metric, its firing alerts and the recent notifications
    /// that carried one.
    func featureJSON(_ name: String, _ feature: String) -> HTTPResponse {
        do {
            guard let d = try featureDetail(name, feature) else {
                let known = try withStore { try $0.source(named: name) } != nil
                return HTTPRouter.error(404, "not found", known ? "source \(name) has no feature \(feature)" : "no source named \(name)")
            }
            let windows = d.recent.windowStarts.map { start in
                JSONText.object([
                    ("start_ms", "\(start)"), ("end_ms", JSONText.optional(d.recent.windowEnds[start])),
                    ("drift", d.recent.drift[feature]?[start].map(Self.verdictJSON) ?? "null"),
                    ("null_rate", d.recent.nullRate[feature]?[start].map(Self.verdictJSON) ?? "null"),
                ])
            }
            let correlations = d.correlations.map { m, result in
                var members = [("model", JSONText.string(m.model)), ("metric", JSONText.string(m.metric))]
                switch result {
                case .success(let r):
                    let f = r.features.first { $0.feature == feature }
                    members += [("windows_used", "\(r.windowsUsed)"), ("rho", JSONText.number(f?.rho)),
                                ("lag", JSONText.optional(f?.lag)), ("p_value", JSONText.number(f?.pValue)),
                                ("rank", f.map { $0.rank == 0 ? "null" : "\($0.rank)" } ?? "null"), ("n", JSONText.optional(f?.n))]
                case .failure(let e):
                    members.append(("unavailable", JSONText.string(e.message)))
                }
                return JSONText.object(members)
            }
            return .json(200, JSONText.object([
                ("source", JSONText.string(name)), ("feature", JSONText.string(feature)),
                ("status", JSONText.string(Self.name(d.entry.status))), ("severity", JSONText.string(Self.name(d.entry.severity))),
                ("since_window_start_ms", JSONText.optional(d.entry.sinceWindowStartMs)),
                ("last_closed_window", d.source.status.lastClosedWindow.map {
                    JSONText.object([("start_ms", "\($0.startMs)"), ("end_ms", "\($0.endMs)")])
                } ?? "null"),
                ("histogram", d.histogram.map { Self.histogramJSON($0, baselineID: d.histogramBaselineID) } ?? "null"),
                ("latest", JSONText.object([
                    ("drift", d.recent.latest(feature).map(Self.verdictJSON) ?? "null"),
                    ("null_rate", d.recent.latest(feature, nullRate: true).map(Self.verdictJSON) ?? "null"),
                ])),
                ("windows", JSONText.array(windows)),
                ("correlations", JSONText.array(correlations)),
                ("alerts", JSONText.array(d.alerts.firing.map(Self.alertJSON))),
                ("notifications", JSONText.array(d.alerts.notifications.map { n, status, severity, kind in
                    JSONText.object([("id", "\(n.id)"), ("created_ms", "\(n.createdMs)"), ("status", JSONText.string(status)),
                                     ("severity", JSONText.string(severity)), ("kind", JSONText.string(kind)),
                                     ("receiver", JSONText.string(n.receiver)), ("state", JSONText.string(n.state)),
                                     ("attempts", "\(n.attempts)")])
                })),
            ]) + "\n")
        } catch {
            return Self.errorResponse(error)
        }
    }

    static func histogramJSON(_ h: FeatureHistogram, baselineID: UInt64?) -> String {
        var members: [(String, String)] = [("kind", JSONText.string(h.kind == .numeric ? "numeric" : "categorical"))]
        if h.kind == .numeric {
            members.append(("edges", JSONText.array(h.edges.map { JSONText.number($0) })))
        } else {
            members.append(("categories", JSONText.array(h.categories.map(JSONText.string))))
        }
        members += [
            ("baseline_id", JSONText.optional(baselineID)),
            ("baseline", JSONText.array(h.baseline.map { "\($0)" })), ("current", JSONText.array(h.current.map { "\($0)" })),
            ("baseline_nulls", "\(h.baselineNulls)"), ("current_nulls", "\(h.currentNulls)"),
            ("current_rows", "\(h.currentRows)"), ("current_null_rate", JSONText.number(h.currentNullRate)),
            ("current_sampled", h.currentSampled ? "true" : "false"), ("psi", JSONText.number(h.psi)),
        ]
        return JSONText.object(members)
    }

    /// A stored verdict as the history route writes it, plus its `check` (distribution / null_rate /
    /// correlation / freshness).
    static func verdictJSON(_ v: VerdictRow) -> String {
        let check = switch v.kind {
        case .drift: "distribution"
        case .nullRate: "null_rate"
        case .correlation: "correlation"
        case .freshness: "freshness"
        }
        return historyRowJSON(VerdictCodes.historyRow(v), extra: [("check", JSONText.string(check))])
    }

    /// One QueryHistory row: verdict rows with every number (NaN/absent → null); model-metric rows as
    /// `{kind, window, metric, value}`.
    /// Every verdict row carries its `check` (distribution / null_rate / correlation / freshness): the wire's
    /// `kind` only tells drift from freshness, the test name tells the three drift checks apart.
    static func historyRowJSON(_ r: HistoryRow, extra: [(String, String)] = []) -> String {
        let window = JSONText.object([("start_ms", "\(r.window.startMs)"), ("end_ms", "\(r.window.endMs)")])
        if r.kind == .modelMetric {
            return JSONText.object([("kind", JSONText.string("model_metric")), ("window", window),
                                    ("metric", JSONText.string(r.test)), ("value", JSONText.number(r.statistic))])
        }
        let decision = switch r.decision {
        case .stable: "stable"
        case .drift: "drift"
        case .insufficientData: "insufficient_data"
        default: "unspecified"
        }
        return JSONText.object([
            ("kind", JSONText.string(r.kind == .freshness ? "freshness" : "drift")), ("feature", JSONText.string(r.feature)),
            ("window", window), ("baseline_id", "\(r.baselineID)"), ("test", JSONText.string(r.test)),
            ("statistic", JSONText.number(r.statistic)), ("p", JSONText.number(r.pValue)),
            ("p_adjusted", JSONText.number(r.pAdjusted)), ("effect_name", JSONText.string(r.effectName)),
            ("effect", JSONText.number(r.effectValue)), ("threshold_warning", JSONText.number(r.thresholdWarning)),
            ("threshold_critical", JSONText.number(r.thresholdCritical)), ("n_baseline", "\(r.baselineN)"),
            ("n_current", "\(r.currentN)"), ("decision", JSONText.string(decision)),
            ("severity", JSONText.string(name(r.severity))), ("status", JSONText.string(name(r.status))),
            ("stale", r.stale ? "true" : "false"), ("reasons", JSONText.array(r.reasons.map(JSONText.string))),
        ] + (extra.contains { $0.0 == "check" } ? extra : [("check", JSONText.string(check(r)))] + extra))
    }

    /// The check a history row belongs to, from its kind and wire test name (`VerdictCodes.wireTest`).
    static func check(_ r: HistoryRow) -> String {
        if r.kind == .freshness { return "freshness" }
        switch r.test {
        case "null-rate": return "null_rate"
        case "fisher-z": return "correlation"
        default: return "distribution"
        }
    }

    // MARK: /api/v1/sources/{name}/metrics

    /// `GET /api/v1/sources/{name}/metrics`: every model metric's values over the last windows, and its
    /// PerformanceCorrelation ranking (or why there is none yet).
    func metricsJSON(_ name: String) -> HTTPResponse {
        do {
            guard let s = try dashboardSource(name) else { return HTTPRouter.error(404, "not found", "no source named \(name)") }
            let items = metricCorrelations(s, try metricSeries(s)).map { m, result in
                var members: [(String, String)] = [
                    ("model", JSONText.string(m.model)), ("metric", JSONText.string(m.metric)),
                    ("higher_is_better", m.higherIsBetter.map { $0 ? "true" : "false" } ?? "null"),
                    ("points", JSONText.array(m.points.map {
                        JSONText.object([("window_start_ms", "\($0.windowStartMs)"), ("value", JSONText.number($0.value))])
                    })),
                ]
                switch result {
                case .success(let r):
                    members.append(("correlation", JSONText.object([
                        ("windows_used", "\(r.windowsUsed)"),
                        ("features", JSONText.array(r.features.map { f in
                            JSONText.object([("feature", JSONText.string(f.feature)), ("rho", JSONText.number(f.rho)),
                                             ("lag", "\(f.lag)"), ("n", "\(f.n)"), ("p_value", JSONText.number(f.pValue)),
                                             ("rank", f.rank == 0 ? "null" : "\(f.rank)")])
                        })),
                    ])))
                case .failure(let e):
                    members.append(("correlation", JSONText.object([("unavailable", JSONText.string(e.message))])))
                }
                return JSONText.object(members)
            }
            return .json(200, JSONText.object([("source", JSONText.string(name)), ("metrics", JSONText.array(items))]) + "\n")
        } catch {
            return Self.errorResponse(error)
        }
    }

    // MARK: /api/v1/history

    /// `GET /api/v1/history?source=&feature=&kind=&since=&until=&min_severity=&limit=&cursor=`: QueryHistory over
    /// HTTP — `kind` a comma list of drift, freshness, model_metric; times in ms since the epoch; `cursor` the
    /// previous page's `next_cursor`.
    func historyJSON(_ request: HTTPRequest) -> HTTPResponse {
        func bad(_ detail: String) -> HTTPResponse { HTTPRouter.error(400, "bad request", detail) }
        guard let source = request.queryValue("source"), !source.isEmpty else {
            return bad("source is required: /api/v1/history?source=NAME")
        }
        var req = QueryHistoryRequest(source: source, feature: request.queryValue("feature") ?? "")
        if let kinds = request.queryValue("kind"), !kinds.isEmpty {
            for k in kinds.split(separator: ",") {
                switch k {
                case "drift": req.kinds.append(.drift)
                case "freshness": req.kinds.append(.freshness)
                case "model_metric": req.kinds.append(.modelMetric)
                default: return bad("kind: \(k) is not one of drift, freshness, model_metric")
                }
            }
        }
        for (key, assign) in [("since", { (v: Int64) in req.sinceMs = v }), ("until", { (v: Int64) in req.untilMs = v })] {
            guard let text = request.queryValue(key), !text.isEmpty else { continue }
            guard let v = Int64(text) else { return bad("\(key): \(text) is not a time in ms since the epoch") }
            assign(v)
        }
        if let s = request.queryValue("min_severity"), !s.isEmpty {
            switch s {
            case "none": req.minSeverity = .none
            case "warning": req.minSeverity = .warning
            case "critical": req.minSeverity = .critical
            default: return bad("min_severity: \(s) is not one of none, warning, critical")
            }
        }
        if let l = request.queryValue("limit"), !l.isEmpty {
            guard let v = UInt32(l), v > 0 else { return bad("limit: \(l) is not a positive number") }
            req.limit = min(v, UInt32(HistoryLimits.maxRows))
        }
        if let c = request.queryValue("cursor"), !c.isEmpty { req.pageToken = Array(c.utf8) }
        do {
            let page = try queryHistory(req)
            let next = page.nextPageToken.isEmpty ? "null" : JSONText.string(String(decoding: page.nextPageToken, as: UTF8.self))
            return .json(200, JSONText.object([
                ("source", JSONText.string(source)), ("rows", JSONText.array(page.rows.map { Self.historyRowJSON($0) })),
                ("next_cursor", next),
            ]) + "\n")
        } catch {
            return Self.errorResponse(error)
        }
    }
}
