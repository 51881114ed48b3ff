import DriftEngine
import DriftStore
import DriftTransport
import DriftWire

/// Everything the feature page and `/api/v1/sources/{name}/features/{feature}` show.
struct FeatureDetail: Sendable {
    var source: DashboardSource
    var feature: String
    var entry: FeatureStatusEntry
    var recent: RecentVerdicts
    var histogram: FeatureHistogram?
    var histogramBaselineID: UInt64?
    var correlations: [(series: MetricSeries, result: Result<PerformanceCorrelationResponse, RequestError>)]
    var alerts: FeatureAlerts
}

extension ServerCore {
    /// The feature's detail, nil when the source or the feature (a declared one) does not exist.
    func featureDetail(_ name: String, _ feature: String) throws -> FeatureDetail? {
        guard let s = try dashboardSource(name), s.spec.features.contains(where: { $0.name == feature }) else { return nil }
        let entry = s.status.features.first { $0.feature == feature } ?? FeatureStatusEntry(feature: feature, status: .ok)
        let recent = try recentVerdicts(s, feature: feature)
        let id = recent.latest(feature)?.baselineID ?? s.status.baselineID
        let histogram = try lastWindowHistograms(s, features: [feature], baselineIDs: id.map { [feature: $0] } ?? [:])[feature]
        return FeatureDetail(source: s, feature: feature, entry: entry, recent: recent, histogram: histogram,
                             histogramBaselineID: histogram == nil ? nil : id,
                             correlations: metricCorrelations(s, try metricSeries(s)),
                             alerts: try featureAlerts(source: name, feature: feature))
    }

    /// `GET /sources/{name}/features/{feature}`: the last verdict, the last closed window's histogram over the
    /// baseline's on its frozen bins, the effect and statistic over time against their thresholds, the
    /// correlation with each model metric, and the recent verdicts. Unknown source or feature: a 404 page.
    func featurePage(_ name: String, _ feature: String) -> HTTPResponse {
        do {
            guard let d = try featureDetail(name, feature) else {
                if try withStore({ try $0.source(named: name) }) == nil {
                    return DashboardPage.notFound("There is no source named “\(name)”.")
                }
                return DashboardPage.notFound("Source “\(name)” has no feature named “\(feature)”.",
                                              back: (HTMLText.sourcePath(name), "source " + name))
            }
            return DashboardPage.response(title: feature + " · " + name, section: .sources, main: featureMain(d),
                                          api: "/api/v1/sources/\(HTMLText.pathSegment(name))/features/\(HTMLText.pathSegment(feature))")
        } catch {
            return DashboardPage.failure("\(error)")
        }
    }

    private func featureMain(_ d: FeatureDetail) -> String {
        let source = HTMLText.escape(d.source.spec.name), feature = HTMLText.escape(d.feature)
        var main = "<div class=\"crumbs\"><a href=\"/\">Sources</a> › <a href=\"\(HTMLText.sourcePath(d.source.spec.name))\">"
            + "\(source)</a> › \(feature)</div>"
        main += "<h1>\(feature) \(Self.featureBadge(d.entry, checks: Self.incidentChecks(d.recent, d.feature)))</h1>"
        var summary = "Feature of \(source)"
        if let since = d.entry.sinceWindowStartMs, d.entry.status == .drifting || d.entry.status == .recovering {
            summary += " · incident since the window of \(NumberText.time(ms: since))"
        }
        main += "<p class=\"summary\">\(summary) · source freshness: \(Self.freshnessText(d.source))</p>"

        main += "<div class=\"grid2\">"
        main += "<div class=\"panel\"><h2>Last verdict</h2>"
            + verdictFacts(d.recent.latest(d.feature), nullRate: d.recent.latest(d.feature, nullRate: true), histogram: d.histogram)
        main += "</div>"
        main += "<div class=\"panel\"><h2>Baseline vs last window</h2>" + histogramPanel(d) + "</div>"
        main += "</div>"

        main += "<h2>History</h2>" + historyCharts(d)
        main += "<h2>Model metric correlation</h2>" + correlationPanel(d)
        main += "<h2>Alerts</h2>" + alertsPanel(d)
        main += "<h2>Recent verdicts</h2>" + verdictTable(d)
        return main
    }

    private func verdictFacts(_ v: VerdictRow?, nullRate n: VerdictRow?, histogram: FeatureHistogram?) -> String {
        guard let v else { return "<p class=\"muted\">No window has closed with a verdict for this feature yet.</p>" }
        let stat = Self.statisticLabel(v.test), effect = Self.effectLabel(v.effectName)
        var nullText = "<span class=\"muted\">not checked</span>"
        if let n {
            let rates = histogram.map { "\(NumberText.percent($0.baselineNullRate)) → \(NumberText.percent($0.currentNullRate)), " }
                ?? "Δ \(NumberText.significant(n.effect)), "
            nullText = Self.decisionText(n) + " " + rates + "p = \(NumberText.significant(n.p))"
            if n.decision == 1 { nullText = "<strong>" + nullText + "</strong>" }
        }
        var facts: [(String, String)] = [
            ("Window", Self.windowText(WindowRange(startMs: v.windowStartMilliseconds, endMs: v.windowEndMilliseconds))),
            ("Distribution", Self.decisionText(v)),

            ("Test", "\(HTMLText.escape(stat)) = \(NumberText.significant(v.statistic, digits: 4)), p = \(NumberText.significant(v.p)), "
                + "adjusted p = \(NumberText.significant(v.pAdjusted))"),
            ("Effect", "\(HTMLText.escape(effect)) = \(NumberText.significant(v.effect, digits: 4)) (warning ≥ "
                + "\(NumberText.significant(v.warningThreshold)), critical ≥ \(NumberText.significant(v.criticalThreshold)))"),
            ("Null rate", nullText),
            ("Rows", "\(v.nCurrent) in the window, \(v.nBaseline) in the baseline"),
            ("Baseline", "#\(v.baselineID)"),
        ]
        if !v.reasons.isEmpty { facts.append(("Why", HTMLText.escape(Self.readableReasons(v.reasons)))) }
        return "<dl class=\"facts\">" + facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined() + "</dl>"
    }

    /// The engine's reasons with window starts in ms ("since window 1796378400000") written as times.
    static func readableReasons(_ reasons: String) -> String {
        var out = ""
        var rest = reasons[...]
        while let r = rest.firstRange(of: "window ") {
            out += rest[..<r.upperBound]
            rest = rest[r.upperBound...]
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            if digits.count >= 10, let ms = Int64(digits) {
                out += NumberText.time(ms: ms)
                rest = rest.dropFirst(digits.count)
            }
        }
        return out + rest
    }

    /// "drift (critical)", "stable", "insufficient data", with the stored codes of ``VerdictCodes``.
    static func decisionText(_ v: VerdictRow) -> String {
        switch v.decision {
        case 1:
            let severity = v.severity >= 3 ? "critical" : v.severity == 2 ? "warning" : "info"
            return DashboardPage.badge(severity == "info" ? "pending" : severity, label: "Drift · " + severity)
        case 2: return "insufficient data"
        default: return v.severity == 1 ? "stable (significant but small: info)" : "stable"
        }
    }

    private func histogramPanel(_ d: FeatureDetail) -> String {
        guard let h = d.histogram else {
            return "<p class=\"muted\">No histogram: no closed window with its state kept, or no baseline with bins "
                + "for this feature.</p>"
        }
        let baseTotal = Double(max(1, h.baseline.reduce(0, +))), curTotal = Double(max(1, h.current.reduce(0, +)))
        var base = h.baseline.map { Double($0) / baseTotal }, cur = h.current.map { Double($0) / curTotal }
        var out = ""
        switch h.kind {
        case .numeric:
            let labels = h.edges.map { NumberText.significant($0, digits: 3) }
            out += SVGChart.histogram(title: "Share of rows per frozen bin of baseline #\(d.histogramBaselineID ?? 0) and of the last window",
                                      baseline: base, current: cur, edgeLabels: labels)
            out += "<p class=\"note\">Bins: the baseline's frozen quantile bins (equal baseline shares), plus a tail bin "
                + "on each side for values outside the baseline's range.</p>"
        case .categorical:
            // Most common baseline categories first; the window's new ones (no baseline share) after them.
            let order = h.categories.indices.sorted { (base[$0], cur[$0]) > (base[$1], cur[$1]) }
            var labels = order.map { h.categories[$0] }
            base = order.map { base[$0] }
            cur = order.map { cur[$0] }
            let limit = 24
            if labels.count > limit {
                let order = labels.indices.sorted { max(base[$0], cur[$0]) > max(base[$1], cur[$1]) }
                let kept = Array(order.prefix(limit - 1)).sorted()
                let rest = Set(labels.indices).subtracting(kept)
                labels = kept.map { labels[$0] } + ["(\(rest.count) others)"]
                base = kept.map { base[$0] } + [rest.reduce(0) { $0 + base[$1] }]
                cur = kept.map { cur[$0] } + [rest.reduce(0) { $0 + cur[$1] }]
            }
            out += SVGChart.histogram(title: "Share of rows per category, baseline #\(d.histogramBaselineID ?? 0) and the last window",
                                      baseline: base, current: cur, barLabels: labels)
        }
        let baseRate = h.baselineNullRate
        if let psi = h.psi { out += "<p class=\"note\">PSI of the last window on these bins: \(NumberText.significant(psi)).</p>" }
        out += "<p class=\"note\">Null rate: \(NumberText.percent(baseRate)) in the baseline, "
            + "\(NumberText.percent(h.currentNullRate)) in the last window (\(h.currentRows) rows)"
            + (h.currentSampled ? "; the window's shares come from its kept sample" : "") + ".</p>"
        return out
    }

    private func historyCharts(_ d: FeatureDetail) -> String {
        let drift = d.recent.series(d.feature)
        guard drift.contains(where: { $0 != nil }) else {
            return "<p class=\"empty\">No closed window has a verdict for this feature yet.</p>"
        }
        let labels = d.recent.windowStarts.map { NumberText.shortTime(ms: $0) }
        let last = d.recent.latest(d.feature)!
        let effect = Self.effectLabel(last.effectName), stat = Self.statisticLabel(last.test)
        let markers = drift.map { v -> String? in
            guard let v, v.decision == 1 else { return nil }
            return v.severity >= 3 ? SVGChart.Colour.critical : SVGChart.Colour.warning
        }
        var thresholds: [SVGChart.Threshold] = []
        if last.warningThreshold.isFinite {
            thresholds.append(.init(label: "warning \(NumberText.significant(last.warningThreshold))", value: last.warningThreshold,
                                    colour: SVGChart.Colour.warning))
        }
        if last.criticalThreshold.isFinite {
            thresholds.append(.init(label: "critical \(NumberText.significant(last.criticalThreshold))", value: last.criticalThreshold,
                                    colour: SVGChart.Colour.critical))
        }
        var out = "<div class=\"grid2 pair\"><div class=\"panel\">"
        out += SVGChart.lineChart(title: "\(effect) of \(d.feature) per window against its thresholds",
                                  series: [.init(name: effect, values: drift.map { $0?.effect.finiteOrNil },
                                                 colour: SVGChart.Colour.line, markers: markers)],
                                  thresholds: thresholds, xLabels: labels, yTitle: effect + " (effect)")
        out += "</div><div class=\"panel\">"
        out += SVGChart.lineChart(title: "\(stat) of \(d.feature) per window",
                                  series: [.init(name: stat, values: drift.map { $0?.statistic.finiteOrNil },
                                                 colour: SVGChart.Colour.secondLine, markers: markers)],
                                  xLabels: labels, yTitle: stat + " (test statistic)")
        out += "</div>"
        let nulls = d.recent.series(d.feature, nullRate: true)
        if let lastNull = nulls.last(where: { $0 != nil }) ?? nil,
           nulls.contains(where: { $0.map { $0.decision == 1 || abs($0.effect) >= 0.005 } ?? false }) {
            let nullMarkers = nulls.map { v -> String? in
                guard let v, v.decision == 1 else { return nil }
                return v.severity >= 3 ? SVGChart.Colour.critical : SVGChart.Colour.warning
            }
            var nullThresholds: [SVGChart.Threshold] = []
            for (word, value, colour) in [("warning", lastNull.warningThreshold, SVGChart.Colour.warning),
                                          ("critical", lastNull.criticalThreshold, SVGChart.Colour.critical)] where value.isFinite {
                nullThresholds.append(.init(label: "\(word) \(NumberText.significant(value))", value: value, colour: colour))
            }
            out += "<div class=\"panel\">" + SVGChart.lineChart(
                title: "Change of the null rate of \(d.feature) against the baseline, per window",
                series: [.init(name: "Δ null rate", values: nulls.map { $0?.effect.finiteOrNil },
                               colour: SVGChart.Colour.current, markers: nullMarkers)],
                thresholds: nullThresholds, xLabels: labels, yTitle: "Δ null rate (share of rows)") + "</div>"
        }
        out += "</div><p class=\"note\">Larger dots: windows that drifted (amber warning, red critical). "
            + "A window drifts when its test is significant after Benjamini–Hochberg <em>and</em> its effect reaches "
            + "the warning threshold.</p>"
        return out
    }

    private func correlationPanel(_ d: FeatureDetail) -> String {
        guard !d.correlations.isEmpty else {
            return "<p class=\"empty\">No model metric reported for this source (<code>driftctl metric report</code>).</p>"
        }
        var rows = ""
        for (m, result) in d.correlations {
            let name = HTMLText.escape(m.model + " / " + m.metric)
            switch result {
            case .success(let r):
                guard let f = r.features.first(where: { $0.feature == d.feature }), let rho = f.rho else {
                    rows += "<tr><td class=\"name\">\(name)</td><td colspan=\"6\" class=\"muted\">not enough windows with both a drift score and the metric</td></tr>"
                    continue
                }
                rows += "<tr><td class=\"name\">\(name)</td><td class=\"num\">\(NumberText.significant(rho, digits: 2))</td>"
                    + "<td class=\"text\">\(Self.correlationReading(rho, pValue: f.pValue, metric: m))</td>"
                    + "<td class=\"num\">\(f.lag)</td><td class=\"num\">\(f.pValue.map { NumberText.significant($0) } ?? "–")</td>"
                    + "<td class=\"num\">\(f.rank) of \(r.features.filter { $0.rho != nil }.count)</td><td class=\"num\">\(f.n) windows</td></tr>"
            case .failure(let e):
                rows += "<tr><td class=\"name\">\(name)</td><td colspan=\"6\" class=\"muted text\">\(HTMLText.escape(e.message))</td></tr>"
            }
        }
        return "<div class=\"scroll\"><table><thead><tr><th>Metric</th><th class=\"num\">Spearman ρ</th><th>Reading</th>"
            + "<th class=\"num\">Lag (windows)</th><th class=\"num\">p</th><th class=\"num\">Rank</th>"
            + "<th class=\"num\">Pairs</th></tr></thead><tbody>\(rows)</tbody></table></div>"
            + "<p class=\"note\">Spearman ρ between this feature's drift score (its effect) and the metric's value, "
            + "per window, at the lag (in windows, drift first) where drift goes most with the metric getting worse; "
            + "p is Bonferroni-adjusted over the lags. Rank 1 = the feature most associated with the metric getting "
            + "worse.</p>"
    }

    /// The feature's firing alerts (with their mute state) and the recent notifications that carried one.
    private func alertsPanel(_ d: FeatureDetail) -> String {
        let now = DriftStore.wallClockMilliseconds()
        var out = d.alerts.firing.isEmpty
            ? "<p class=\"empty\">No alert is firing for this feature.</p>"
            : AlertsPage.table(d.alerts.firing, nowMs: now, showSource: false)
        if !d.alerts.notifications.isEmpty {
            out += "<h3 class=\"group\">Recent notifications about it</h3><div class=\"scroll\"><table><thead><tr>"
                + "<th>Created</th><th>Status</th><th>Kind</th><th>Receiver</th><th>Delivery</th>"
                + "<th class=\"num\">Attempts</th></tr></thead><tbody>"
            for (n, status, severity, kind) in d.alerts.notifications {
                let word = status == "resolved" ? DashboardPage.badge("ok", label: "Resolved")
                    : DashboardPage.badge(severity.isEmpty ? "firing" : severity, label: "Firing · " + (severity.isEmpty ? "?" : severity))
                let delivery = DashboardPage.badge(n.state == "given_up" ? "failed" : n.state,
                                                   label: n.state == "given_up" ? "Given up" : AlertsPage.capitalized(n.state))
                out += "<tr><td>\(AlertsPage.since(n.createdMs, nowMs: now))</td><td>\(word)</td>"
                    + "<td>\(HTMLText.escape(AlertsPage.kindText(kind)))</td><td class=\"name text\">\(HTMLText.escape(n.receiver))</td>"
                    + "<td>\(delivery)</td><td class=\"num\">\(n.attempts)</td></tr>"
            }
            out += "</tbody></table></div>"
        }
        return out + "<p class=\"note\">Every source's alerts, silences and deliveries: <a href=\"/alerts\">Alerts</a>.</p>"
    }

    /// ρ(drift, metric) in words: whether the metric is worse or better when the feature drifts, and how clearly.
    static func correlationReading(_ rho: Double, pValue: Double?, metric: MetricSeries) -> String {
        guard let higher = metric.higherIsBetter else {
            return rho > 0 ? "higher metric when it drifts" : "lower metric when it drifts"
        }
        let worse = higher ? rho < 0 : rho > 0
        let strength = abs(rho) >= 0.7 ? "strongly " : abs(rho) >= 0.4 ? "" : "weakly "
        let significant = (pValue ?? 1) < 0.05
        let text = strength + (worse ? "worse" : "better") + " \(HTMLText.escape(metric.metric)) when it drifts"
        return significant && worse ? "<strong>\(text)</strong>" : significant ? text
            : "<span class=\"muted\">\(text) (not significant)</span>"
    }

    private func verdictTable(_ d: FeatureDetail) -> String {
        var rows: [VerdictRow] = []
        for start in d.recent.windowStarts.reversed() {
            if let v = d.recent.drift[d.feature]?[start] { rows.append(v) }
            if let v = d.recent.nullRate[d.feature]?[start] { rows.append(v) }
        }
        guard !rows.isEmpty else { return "<p class=\"empty\">No verdicts yet.</p>" }
        var out = "<div class=\"scroll\"><table><thead><tr><th>Window</th><th>Check</th><th>Decision</th>"
            + "<th class=\"num\">Statistic</th><th class=\"num wide\">p</th><th class=\"num\">Adjusted p</th>"
            + "<th class=\"num\">Effect</th><th class=\"num wide\">Baseline</th></tr></thead><tbody>"
        for v in rows {
            out += "<tr\(v.decision == 1 ? " class=\"alerting\"" : "")><td>\(NumberText.time(ms: v.windowStartMilliseconds))</td>"
                + "<td>\(v.kind == .nullRate ? "null rate" : "distribution")</td><td>\(Self.decisionText(v))</td>"
                + "<td class=\"num\">\(HTMLText.escape(Self.statisticLabel(v.test))) \(NumberText.significant(v.statistic))</td>"
                + "<td class=\"num wide\">\(NumberText.significant(v.p))</td><td class=\"num\">\(NumberText.significant(v.pAdjusted))</td>"
                + "<td class=\"num\">\(HTMLText.escape(Self.effectLabel(v.effectName))) \(NumberText.significant(v.effect))</td>"
                + "<td class=\"num wide\">#\(v.baselineID)</td></tr>"
        }
        return out + "</tbody></table></div>"
    }
}
