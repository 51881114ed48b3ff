import DriftEngine
import DriftStore
import DriftTransport
import DriftWire

extension ServerCore {
    /// `GET /`: every source as a card, worst first — status badge, drifting features, freshness against its SLA,
    /// the last closed window, and the trend of its first model metric.
    func overviewPage() -> HTTPResponse {
        let sources: [DashboardSource]
        do { sources = try dashboardSources() } catch { return DashboardPage.failure("\(error)") }
        let now = DriftStore.wallClockMilliseconds()
        let order = ["critical": 0, "stale": 1, "warning": 2, "ok": 3]
        let sorted = sources.sorted {
            (order[$0.health] ?? 4, $0.spec.name) < (order[$1.health] ?? 4, $1.spec.name)
        }
        var main = "<h1>Sources</h1>"
        guard !sources.isEmpty else {
            main += """
                <p class="empty">No sources yet. Create one with <code>driftctl source create NAME --from-csv FILE.csv</code>,
                upload a baseline with <code>driftctl baseline put NAME FILE.csv</code> and send data with
                <code>driftctl ingest NAME FILE.csv</code>; it appears here once it exists.</p>
                """
            return DashboardPage.response(title: "Sources", section: .sources, main: main, api: "/api/v1/sources")
        }
        let counts = ["critical", "stale", "warning", "ok"].compactMap { h -> String? in
            let n = sources.filter { $0.health == h }.count
            return n == 0 ? nil : "\(n) \(h)"
        }
        main += "<p class=\"summary\">\(sources.count) source\(sources.count == 1 ? "" : "s") · \(counts.joined(separator: " · "))</p>"
        main += "<div class=\"cards\">"
        for s in sorted { main += card(s, nowMs: now) }
        main += "</div>"
        return DashboardPage.response(title: "Sources", section: .sources, main: main, api: "/api/v1/sources")
    }

    private func card(_ s: DashboardSource, nowMs: Int64) -> String {
        let name = HTMLText.escape(s.spec.name)
        var facts: [(String, String)] = []
        let drifting = s.driftingFeatures
        facts.append(("Drifting", drifting == 0
            ? "none of \(s.spec.features.count) features"
            : "<strong>\(drifting)</strong> of \(s.spec.features.count) feature\(s.spec.features.count == 1 ? "" : "s")"))
        facts.append(("Freshness", Self.freshnessText(s)))
        facts.append(("Last window", s.status.lastClosedWindow.map(Self.windowText) ?? "<span class=\"muted\">none closed yet</span>"))
        if let m = (try? metricSeries(s))?.first, let latest = m.points.last {
            let label = HTMLText.escape(m.model + " / " + m.metric)
            var change = ""
            if m.points.count > 1, let first = m.points.first?.value, first.isFinite, latest.value.isFinite {
                let delta = latest.value - first
                let worse = m.higherIsBetter.map { $0 ? delta < 0 : delta > 0 } ?? false
                let text = (delta > 0 ? "+" : delta < 0 ? "−" : "±") + NumberText.significant(abs(delta), digits: 2)
                    + " over \(m.points.count) windows"
                change = " <span class=\"\(worse && abs(delta) >= 0.02 * abs(first) ? "late" : "muted")\">(\(text))</span>"
            }
            let values = m.points.map { $0.value }.filter(\.isFinite)
            let mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
            facts.append(("Model", "\(label) <strong>\(NumberText.significant(latest.value, digits: 3))</strong>\(change)<br>"
                + SVGChart.sparkline(m.points.map { $0.value }, title: "\(m.model)/\(m.metric) over the last \(m.points.count) windows",
                                     width: 160, height: 26, floor: nil, minimumSpan: max(abs(mean) * 0.1, 1e-9))))
        }
        let rows = facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined()
        return """
            <section class="card \(HTMLText.escape(s.health))"><h3><a href="\(HTMLText.sourcePath(s.spec.name))">\(name)</a>\(DashboardPage.badge(s.health))</h3>
            <dl class="facts">\(rows)</dl></section>
            """
    }

    /// "event age 12 min (SLA 2 h) · last batch 3 min ago (SLA 1 h)", the broken rule in red; "no SLA" otherwise.
    static func freshnessText(_ s: DashboardSource) -> String {
        let m = s.spec.monitoring
        guard s.status.freshness != .unspecified else {
            return "<span class=\"muted\">no SLA set</span>"
        }
        var parts: [String] = []
        let broken = Set(s.status.staleRule.split(separator: ",").map(String.init))
        func part(_ label: String, _ age: UInt64?, _ limit: UInt64?, rule: String) {
            guard let age else { return }
            var text = "\(label) \(NumberText.duration(ms: Int64(clamping: age)))"
            if let limit { text += " (SLA \(NumberText.duration(ms: Int64(clamping: limit))))" }
            let late = broken.contains(rule) || (limit.map { age > $0 } ?? false)
            parts.append(late ? "<span class=\"late\">\(text)</span>" : text)
        }
        part("data age", s.status.eventAgeMs, m?.maxEventAgeMs, rule: "event_age")
        part("last batch", s.status.arrivalAgeMs, m?.maxArrivalIntervalMs, rule: "arrival_interval")
        return parts.isEmpty ? (s.status.freshness == .stale ? "stale" : "fresh") : parts.joined(separator: " · ")
    }

    /// "2026-12-04 09:00 → 10:00 UTC" (or "window 12" for row-count windows).
    static func windowText(_ w: WindowRange) -> String {
        if w.endMs - w.startMs == 1 && w.startMs < 1_000_000_000 { return "row window \(w.startMs)" }
        let start = NumberText.time(ms: w.startMs), end = NumberText.time(ms: w.endMs)
        if start.prefix(10) == end.prefix(10) {
            return String(start.dropLast(4)) + " → " + String(end.dropFirst(11))
        }
        return start + " → " + end
    }
}
