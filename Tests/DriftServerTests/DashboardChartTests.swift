import DriftEngine
@testable import DriftServer
import Testing

/// The dashboard's pure parts: number text, escaping and the SVG chart builder (deterministic markup).
@Suite("Dashboard: charts, numbers, escaping")
struct DashboardChartTests {
    @Test("numbers: significant digits, scientific beyond 1e6 and below 1e-3, carries, durations without breaks")
    func numbers() {
        #expect(NumberText.significant(0.12845) == "0.128")
        #expect(NumberText.significant(1.74e-40) == "1.74e-40")
        #expect(NumberText.significant(9.996e-5) == "1e-4")
        #expect(NumberText.significant(-2.5e7) == "-2.5e7")
        #expect(NumberText.significant(777.3) == "777")
        #expect(NumberText.significant(1) == "1" && NumberText.significant(0) == "0")
        #expect(NumberText.significant(.nan) == "–" && NumberText.significant(-.infinity) == "−∞")
        #expect(NumberText.fixed(-0.04, decimals: 1) == "0" && NumberText.fixed(2.25, decimals: 1) == "2.3")
        #expect(NumberText.percent(0.0172) == "1.72 %" && NumberText.percent(0.134) == "13.4 %")
        #expect(NumberText.duration(ms: 59_999) == "59\u{A0}s")
        #expect(NumberText.duration(ms: 3 * 3_600_000 + 5 * 60_000) == "3\u{A0}h\u{A0}5\u{A0}min")
        #expect(NumberText.duration(ms: 50 * 3_600_000) == "2\u{A0}d\u{A0}2\u{A0}h")
        #expect(NumberText.time(ms: 1_796_083_200_000) == "2026-12-01 00:00 UTC")
        #expect(NumberText.shortTime(ms: 1_796_083_200_000 + 3_600_000) == "12-01 01:00")
    }

    @Test("escaping: HTML text and attributes, path segments percent-encoded byte by byte")
    func escaping() {
        #expect(HTMLText.escape("<script>alert('1')</script> & \"x\"")
                == "&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt; &amp; &quot;x&quot;")
        #expect(HTMLText.pathSegment("a/b c<é>%?#") == "a%2Fb%20c%3C%C3%A9%3E%25%3F%23")
        #expect(HTMLText.featurePath("s 1", "f/2") == "/sources/s%201/features/f%2F2")
        #expect(HTMLText.pathSegment("Az09-._~") == "Az09-._~")
    }

    @Test("sparkline: deterministic, gaps break the line, threshold raises the scale, title escaped, empty → dash")
    func sparkline() {
        let a = SVGChart.sparkline([0.1, 0.2, nil, 0.3, 0.25], title: "<b>x</b>", width: 100, height: 20)
        #expect(a == SVGChart.sparkline([0.1, 0.2, nil, 0.3, 0.25], title: "<b>x</b>", width: 100, height: 20))
        #expect(a.hasPrefix("<svg class=\"spark\"") && a.hasSuffix("</svg>"))
        #expect(a.components("<polyline") == 2 && a.contains("<title>&lt;b&gt;x&lt;/b&gt;</title>") && !a.contains("<b>"))
        // Points: x from 3 to 97 over 5 positions, y from 17 (0) to 3 (0.3).
        #expect(a.contains("points=\"3,12.3 26.5,7.7\""))
        let low = SVGChart.sparkline([0.01, 0.02], title: "t", width: 100, height: 20, threshold: 0.1)
        #expect(low.contains("stroke-dasharray=\"3 2\"") && low.contains("points=\"3,15.9 97,14.8\""))
        #expect(SVGChart.sparkline([nil, .nan], title: "t").contains("–"))
    }

    @Test("line chart: nice ticks, thresholds with labels, severity markers, thinned x labels, escaped text")
    func lineChart() {
        #expect(SVGChart.niceTicks(lo: 0, hi: 0.93) == [0, 0.5, 1])
        #expect(SVGChart.niceTicks(lo: 0, hi: 1.15) == [0, 0.5, 1, 1.5])
        #expect(SVGChart.niceTicks(lo: 0.82, hi: 0.93) == [0.8, 0.85, 0.9, 0.95])
        #expect(SVGChart.niceTicks(lo: 0, hi: 0.4, headroom: true) == [0, 0.1, 0.2, 0.3, 0.4, 0.5])
        #expect(SVGChart.niceTicks(lo: 0, hi: 0.4) == [0, 0.1, 0.2, 0.3, 0.4])
        #expect(SVGChart.labelIndices(count: 24, room: 4) == [0, 8, 16, 23])
        #expect(SVGChart.labelIndices(count: 3, room: 5) == [0, 1, 2])
        let chart = SVGChart.lineChart(
            title: "PSI of <f>", series: [.init(name: "PSI", values: [0.01, 0.3, nil, 0.4], colour: "#111",
                                                 markers: [nil, "#c00", nil, "#c00"])],
            thresholds: [.init(label: "warning 0.1", value: 0.1, colour: "#aa0")],
            xLabels: ["a", "b", "c", "<d>"], yTitle: "PSI")
        #expect(chart == SVGChart.lineChart(
            title: "PSI of <f>", series: [.init(name: "PSI", values: [0.01, 0.3, nil, 0.4], colour: "#111",
                                                 markers: [nil, "#c00", nil, "#c00"])],
            thresholds: [.init(label: "warning 0.1", value: 0.1, colour: "#aa0")],
            xLabels: ["a", "b", "c", "<d>"], yTitle: "PSI"))
        #expect(chart.contains(">warning 0.1</text>") && chart.contains("stroke-dasharray=\"6 4\""))
        #expect(chart.components("fill=\"#c00\"") == 2 && chart.components("<polyline") == 1)
        #expect(chart.contains("&lt;d&gt;") && chart.contains("PSI of &lt;f&gt;") && !chart.contains("<d>"))
        #expect(chart.contains(">0.5</text>") && chart.contains(">0</text>"))
    }

    @Test("histogram: one wide baseline bar and one narrow current bar per bin, edge and category labels")
    func histogram() {
        let h = SVGChart.histogram(title: "h", baseline: [0, 0.5, 0.5, 0], current: [0.1, 0.2, 0.3, 0.4],
                                   edgeLabels: ["1", "2", "3"])
        #expect(h.components("<rect") == 4 * 2 + 2)  // bars + the legend's two swatches
        #expect(h.contains(">current 40 %</title>") && h.contains(">baseline 50 %</title>"))
        #expect(h.contains(">2</text>"))
        let c = SVGChart.histogram(title: "c", baseline: [1], current: [0], barLabels: ["<script>alert(1)</script>"])
        #expect(!c.contains("<script>") && c.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }
}

extension String {
    /// Occurrences of `s` (non-overlapping).
    func components(_ s: String) -> Int { ranges(of: s).count }
}
