import DriftEngine
import DriftStore
import DriftTransport
import DriftWire

extension ServerCore {
    /// `GET /sources/{name}`: the source's freshness and windows, then every feature — status, effect (PSI) and
    /// test-statistic (KS D) sparklines over the last windows, null rate, the last verdict's numbers and the
    /// baseline it used — then its model metrics. An unknown source is a 404 page.
    func sourcePage(_ name: String) -> HTTPResponse {
        do {
            guard let s = try dashboardSource(name) else {
                return DashboardPage.notFound("There is no source named “\(name)”.")
            }
            let recent = try recentVerdicts(s)
            let declared = s.spec.features.map(\.name)
            let ids = Dictionary(declared.compactMap { f in recent.latest(f).map { (f, $0.baselineID) } },
                                 uniquingKeysWith: { a, _ in a })
            let histograms = try lastWindowHistograms(s, features: declared, baselineIDs: ids)
            let metrics = try metricSeries(s)
            return DashboardPage.response(title: s.spec.name, section: .sources,
                                          main: sourceMain(s, recent, histograms: histograms, metrics: metrics),
                                          api: "/api/v1/sources/" + HTMLText.pathSegment(s.spec.name))
        } catch {
            return DashboardPage.failure("\(error)")
        }
    }

    private func sourceMain(_ s: DashboardSource, _ recent: RecentVerdicts, histograms: [String: FeatureHistogram],
                            metrics: [MetricSeries]) -> String {
        let name = HTMLText.escape(s.spec.name)
        var main = "<div class=\"crumbs\"><a href=\"/\">Sources</a> › \(name)</div>"
        main += "<h1>\(name) \(DashboardPage.badge(s.health))</h1>"
        let drifting = s.driftingFeatures
        main += "<p class=\"summary\">\(s.spec.features.count) features · "
            + (drifting == 0 ? "none drifting" : "\(drifting) drifting") + "</p>"
        if s.health == "stale" {
            main += "<p class=\"banner stale\"><strong>◷ Stale:</strong> no fresh data within the source's SLA "
                + "(\(Self.freshnessText(s))). The verdicts below are those of the last window that closed"
                + (s.status.lastClosedWindow.map { ", " + Self.windowText($0) } ?? "") + ".</p>"
        }
        var facts: [(String, String)] = [
            ("Freshness", Self.freshnessText(s)),
            ("Last window", s.status.lastClosedWindow.map(Self.windowText) ?? "<span class=\"muted\">none closed yet</span>"),
            ("Baseline", s.status.baselineID.map { "#\($0) (current)" } ?? "<span class=\"muted\">none yet</span>"),
        ]
        if s.status.lateRows > 0 { facts.append(("Late rows", "\(s.status.lateRows)")) }
        if !recent.windowStarts.isEmpty {
            facts.append(("Trends over", "the last \(recent.windowStarts.count) closed window\(recent.windowStarts.count == 1 ? "" : "s")"))
        }
        main += "<div class=\"panel\"><dl class=\"facts\">"
            + facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined() + "</dl></div>"

        main += "<h2>Features</h2>"
        let declared = Set(s.spec.features.map(\.name))
        // The baseline column only when some latest verdict used another baseline than the current one (named in
        // the panel above): a column of the same "#1" on every row would only push the table past a laptop screen.
        let baselines = Set(s.status.features.filter { declared.contains($0.feature) }
            .compactMap { recent.latest($0.feature)?.baselineID })
        let showBaseline = baselines.count > 1 || baselines.first.map { $0 != s.status.baselineID } ?? false
        main += "<div class=\"scroll\"><table class=\"stack\"><thead><tr><th>Feature</th><th>Status</th><th>Effect trend</th>"
            + "<th>Statistic trend</th><th class=\"num\">Null rate</th><th class=\"num wide\">Statistic</th><th class=\"num wide\">p</th>"
            + "<th class=\"num\">Adjusted p</th><th class=\"num\">Effect</th>"
            + (showBaseline ? "<th class=\"num wide\">Baseline</th>" : "") + "</tr></thead><tbody>"
        for entry in s.status.features where declared.contains(entry.feature) {
            main += featureRow(s, entry, recent, histogram: histograms[entry.feature], showBaseline: showBaseline)
        }
        main += "</tbody></table></div>"
        main += "<p class=\"note\">Trends over the last windows, the dot on the newest. Effect: the effect size the "
            + "verdict was gated on — PSI, W/σ (Wasserstein distance in baseline standard deviations) or JS; "
            + "dashed: its warning threshold. Statistic: the test's (KS D for numeric features, χ² for categorical "
            + "ones). Null rate: the last closed window's.</p>"

        let pairs = s.status.features.filter { !declared.contains($0.feature) }
        if !pairs.isEmpty {
            main += "<h2>Correlation pairs</h2><div class=\"scroll\"><table><thead><tr><th>Pair</th><th>Status</th>"
                + "<th>Since</th></tr></thead><tbody>"
            for p in pairs {
                main += "<tr><td class=\"name\">\(HTMLText.escape(p.feature.replacingBar))</td><td>\(Self.featureBadge(p))</td>"
                    + "<td>\(p.sinceWindowStartMs.map { NumberText.time(ms: $0) } ?? "–")</td></tr>"
            }
            main += "</tbody></table></div>"
        }

        if !metrics.isEmpty {
            main += "<h2>Model metrics</h2><div class=\"grid2 pair\">"
            for m in metrics {
                let title = m.model + " / " + m.metric
                main += "<div class=\"panel\">" + SVGChart.lineChart(
                    title: "\(title) per window",
                    series: [SVGChart.Series(name: m.metric, values: m.points.map { $0.value }, colour: SVGChart.Colour.line)],
                    xLabels: m.points.map { NumberText.shortTime(ms: $0.windowStartMs) }, yTitle: title,
                    zeroBased: false) + "</div>"
            }
            main += "</div>"
        }
        return main
    }

    private func featureRow(_ s: DashboardSource, _ entry: FeatureStatusEntry, _ recent: RecentVerdicts,
                            histogram: FeatureHistogram?, showBaseline: Bool) -> String {
        let drift = recent.series(entry.feature)
        let last = recent.latest(entry.feature)
        let effectName = last.map { Self.effectLabel($0.effectName) } ?? "effect"
        let statName = last.map { Self.statisticLabel($0.test) } ?? "statistic"
        let link = HTMLText.featurePath(s.spec.name, entry.feature)
        let checks = Self.incidentChecks(recent, entry.feature)
        var cells = "<td class=\"name\"><a href=\"\(link)\">\(HTMLText.escape(entry.feature))</a></td>"
        cells += "<td>\(Self.featureBadge(entry, checks: checks))</td>"
        cells += "<td data-label=\"\(HTMLText.escape(effectName)) trend\">" + SVGChart.sparkline(drift.map { $0?.effect.finiteOrNil },
                                             title: "\(effectName) of \(entry.feature), last \(drift.count) windows "
                                                 + "(dashed: the warning threshold)",
                                             threshold: last?.warningThreshold) + "</td>"
        cells += "<td data-label=\"\(HTMLText.escape(statName)) trend\">" + SVGChart.sparkline(drift.map { $0?.statistic.finiteOrNil }, title:
                                             "\(statName) of \(entry.feature), last \(drift.count) windows",
                                             colour: SVGChart.Colour.secondLine) + "</td>"
        var nullRate = histogram.map { NumberText.percent($0.currentNullRate) } ?? "–"
        if let h = histogram, checks.contains("null rate") {
            nullRate = "<span class=\"late\">\(NumberText.percent(h.baselineNullRate)) → \(nullRate)</span>"
        }
        cells += "<td class=\"num\" data-label=\"Null rate\">" + nullRate + "</td>"
        if let v = last {
            cells += "<td class=\"num wide\">\(HTMLText.escape(statName)) \(NumberText.significant(v.statistic))</td>"
            cells += "<td class=\"num wide\">\(NumberText.significant(v.p))</td>"
            cells += "<td class=\"num\" data-label=\"Adjusted p\">\(NumberText.significant(v.pAdjusted))</td>"
            cells += "<td class=\"num\" data-label=\"Effect\">\(HTMLText.escape(effectName)) \(NumberText.significant(v.effect))</td>"
            if showBaseline { cells += "<td class=\"num wide\">#\(v.baselineID)</td>" }
        } else {
            cells += "<td class=\"muted wide\" colspan=\"2\">no verdict yet</td><td class=\"muted\">–</td><td class=\"muted\">–</td>"
                + (showBaseline ? "<td class=\"wide\"></td>" : "")
        }
        let alerting = entry.status == .drifting || entry.status == .recovering
        return "<tr\(alerting ? " class=\"alerting\"" : "")>\(cells)</tr>"
    }

    /// A feature's status badge: OK, or Drifting / Recovering with the incident's severity, and which checks
    /// are in the incident ("null rate") when known.
    static func featureBadge(_ e: FeatureStatusEntry, checks: [String] = []) -> String {
        let note = checks.isEmpty ? "" : " <span class=\"check\">\(checks.joined(separator: ", "))</span>"
        switch e.status {
        case .drifting:
            let severity = e.severity == .critical ? "critical" : "warning"
            return DashboardPage.badge(severity, label: "Drifting · " + severity) + note
        case .recovering: return DashboardPage.badge("recovering") + note
        default: return DashboardPage.badge("ok")
        }
    }

    /// The checks of `feature` whose latest verdict left them in an incident (drifting or recovering):
    /// "distribution", "null rate".
    static func incidentChecks(_ recent: RecentVerdicts, _ feature: String) -> [String] {
        func incident(_ v: VerdictRow?) -> Bool { v.map { $0.status == 2 || $0.status == 3 } ?? false }
        return (incident(recent.latest(feature)) ? ["distribution"] : [])
            + (incident(recent.latest(feature, nullRate: true)) ? ["null rate"] : [])
    }

    /// An effect size as people say it (`StatisticLabels`).
    static func effectLabel(_ name: String) -> String { StatisticLabels.effect(name) }

    /// The test's statistic as people say it (`StatisticLabels`).
    static func statisticLabel(_ test: String) -> String { StatisticLabels.statistic(ofTest: test) }
}

extension FeatureHistogram {
    /// The baseline's share of nulls among its rows.
    var baselineNullRate: Double {
        Double(baselineNulls) / Double(max(1, baselineNulls + baseline.reduce(0, +)))
    }
}

extension Double {
    /// nil for NaN and ±infinity.
    var finiteOrNil: Double? { isFinite ? self : nil }
}

extension String {
    /// "a|b" → "a ↔ b" (correlation pair labels).
    var replacingBar: String { split(separator: "|", maxSplits: 1).joined(separator: " ↔ ") }
}
