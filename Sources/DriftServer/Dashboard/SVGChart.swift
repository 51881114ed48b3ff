import DriftEngine

/// Inline SVG charts for the dashboard: pure functions from numbers to markup (no I/O, no clock, no randomness),
/// so the same input always gives the same bytes. Every text that reaches the markup is escaped with
/// ``HTMLText/escape(_:)``; numbers are written by ``NumberText``. Charts have a `viewBox` and a natural size,
/// which the style sheet shrinks on small screens (`max-width: 100%; height: auto`).
enum SVGChart {
    /// Colours (presentation attributes, so the charts need no style sheet).
    enum Colour {
        static let line = "#2f6fdf"
        static let secondLine = "#8e44ad"
        static let baseline = "#9db4d6"
        static let current = "#e8803a"
        static let warning = "#c98a00"
        static let critical = "#c0392b"
        static let axis = "#8a94a6"
        static let grid = "#e3e7ee"
        static let text = "#4a5568"
    }

    /// One line of a line chart: a value per x position (nil = no value: the line breaks there), and optionally a
    /// marker colour per point (e.g. by severity).
    struct Series: Sendable, Equatable {
        var name: String
        var values: [Double?]
        var colour: String
        var markers: [String?] = []
    }

    /// A horizontal dashed line at `value` with its label.
    struct Threshold: Sendable, Equatable {
        var label: String
        var value: Double
        var colour: String
    }

    // MARK: Sparkline

    /// A small trend line (fixed `width` × `height` pixels) over `values` (nil breaks the line), scaled from
    /// `floor` (or the smallest value when nil) to the largest value; the last value gets a dot. With a
    /// `threshold`, the scale reaches at least a quarter above it and a dashed line marks it, so noise far below
    /// a threshold stays flat at the bottom instead of filling the box. `title` is the accessible name (and
    /// tooltip). `minimumSpan` widens a narrower value range around its middle, so noise of a metric that hardly
    /// moves (an accuracy of 0.88 ± 0.004) stays a flat line instead of filling the box. No finite value: a dash
    /// in a span.
    static func sparkline(_ values: [Double?], title: String, width: Int = 100, height: Int = 28, floor: Double? = 0,
                          threshold: Double? = nil, minimumSpan: Double? = nil, colour: String = Colour.line) -> String {
        let finite = values.compactMap { $0 }.filter(\.isFinite)
        guard !finite.isEmpty else { return "<span class=\"muted\" title=\"no data\">–</span>" }
        var lo = min(floor ?? finite.min()!, finite.min()!)
        var hi = finite.max()!
        if let span = minimumSpan, span.isFinite, hi - lo < span {
            let middle = (hi + lo) / 2
            lo = middle - span / 2
            hi = middle + span / 2
        }
        if let t = threshold, t.isFinite, t > lo { hi = max(hi, lo + (t - lo) * 1.25) }
        if hi <= lo { hi = lo + 1 }
        let pad = 3.0
        let w = Double(width), h = Double(height)
        func x(_ i: Int) -> Double { values.count == 1 ? w / 2 : pad + (w - 2 * pad) * Double(i) / Double(values.count - 1) }
        func y(_ v: Double) -> Double { h - pad - (h - 2 * pad) * (v - lo) / (hi - lo) }
        var out = "<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\">"
            + "<title>\(HTMLText.escape(title))</title>"
        if let t = threshold, t.isFinite, t > lo, t <= hi {
            out += "<line x1=\"0\" y1=\"\(NumberText.coordinate(y(t)))\" x2=\"\(width)\" y2=\"\(NumberText.coordinate(y(t)))\" "
                + "stroke=\"\(Colour.warning)\" stroke-width=\"1\" stroke-dasharray=\"3 2\"/>"
        }
        for run in runs(values) {
            let points = run.map { "\(NumberText.coordinate(x($0))),\(NumberText.coordinate(y(values[$0]!)))" }
            out += points.count == 1
                ? "<circle cx=\"\(NumberText.coordinate(x(run[0])))\" cy=\"\(NumberText.coordinate(y(values[run[0]]!)))\" r=\"1.5\" fill=\"\(colour)\"/>"
                : "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(points.joined(separator: " "))\"/>"
        }
        if let last = values.indices.last(where: { values[$0].map(\.isFinite) ?? false }) {
            out += "<circle cx=\"\(NumberText.coordinate(x(last)))\" cy=\"\(NumberText.coordinate(y(values[last]!)))\" r=\"2.5\" fill=\"\(colour)\"/>"
        }
        return out + "</svg>"
    }

    /// Index runs of consecutive finite values.
    static func runs(_ values: [Double?]) -> [[Int]] {
        var out: [[Int]] = []
        var run: [Int] = []
        for (i, v) in values.enumerated() {
            if let v, v.isFinite {
                run.append(i)
            } else if !run.isEmpty {
                out.append(run)
                run = []
            }
        }
        if !run.isEmpty { out.append(run) }
        return out
    }

    // MARK: Line chart

    /// A line chart over x positions labelled `xLabels` (thinned to fit), y from 0 (or the smallest value when
    /// negative; from a round number below the smallest value unless `zeroBased`) to a round number above every
    /// value and threshold, with grid lines, tick labels, the series as
    /// lines with markers, dashed threshold lines labelled at the right, and a legend. `title` is the accessible
    /// name.
    static func lineChart(title: String, series: [Series], thresholds: [Threshold] = [], xLabels: [String],
                          yTitle: String, zeroBased: Bool = true, width: Int = 480, height: Int = 220) -> String {
        let count = max(xLabels.count, series.map(\.values.count).max() ?? 0)
        let values = series.flatMap { $0.values.compactMap { $0 } }.filter(\.isFinite) + thresholds.map(\.value).filter(\.isFinite)
        let lo = zeroBased ? min(0, values.min() ?? 0) : values.min() ?? 0
        let ticks = niceTicks(lo: lo, hi: max(values.max() ?? 1, lo + 1e-12), headroom: true)
        let top = ticks.last!, bottom = ticks.first!
        let left = 56.0, right = 96.0, upper = 30.0, lower = 34.0
        let w = Double(width), h = Double(height)
        let plotW = w - left - right, plotH = h - upper - lower
        func x(_ i: Int) -> Double { count <= 1 ? left + plotW / 2 : left + plotW * Double(i) / Double(count - 1) }
        func y(_ v: Double) -> Double { upper + plotH * (1 - (v - bottom) / (top - bottom)) }
        let c = NumberText.coordinate
        var out = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" "
            + "role=\"img\" aria-label=\"\(HTMLText.escape(title))\" font-family=\"sans-serif\" font-size=\"12\">"
            + "<title>\(HTMLText.escape(title))</title>"
        for t in ticks {
            out += "<line x1=\"\(c(left))\" y1=\"\(c(y(t)))\" x2=\"\(c(left + plotW))\" y2=\"\(c(y(t)))\" stroke=\"\(Colour.grid)\"/>"
            out += "<text x=\"\(c(left - 6))\" y=\"\(c(y(t) + 4))\" text-anchor=\"end\" fill=\"\(Colour.text)\">\(NumberText.significant(t, digits: 3))</text>"
        }
        out += "<line x1=\"\(c(left))\" y1=\"\(c(upper))\" x2=\"\(c(left))\" y2=\"\(c(upper + plotH))\" stroke=\"\(Colour.axis)\"/>"
        out += "<line x1=\"\(c(left))\" y1=\"\(c(upper + plotH))\" x2=\"\(c(left + plotW))\" y2=\"\(c(upper + plotH))\" stroke=\"\(Colour.axis)\"/>"
        out += "<text x=\"\(c(left))\" y=\"14\" fill=\"\(Colour.text)\">\(HTMLText.escape(yTitle))</text>"
        for i in labelIndices(count: xLabels.count, room: Int(plotW / 90)) {
            let anchor = i == 0 && xLabels.count > 1 ? "start" : i == xLabels.count - 1 && xLabels.count > 1 ? "end" : "middle"
            out += "<text x=\"\(c(x(i)))\" y=\"\(c(h - lower + 18))\" text-anchor=\"\(anchor)\" fill=\"\(Colour.text)\">\(HTMLText.escape(xLabels[i]))</text>"
        }
        for t in thresholds where t.value.isFinite && t.value <= top && t.value >= bottom {
            out += "<line x1=\"\(c(left))\" y1=\"\(c(y(t.value)))\" x2=\"\(c(left + plotW))\" y2=\"\(c(y(t.value)))\" "
                + "stroke=\"\(t.colour)\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>"
            out += "<text x=\"\(c(left + plotW + 6))\" y=\"\(c(y(t.value) + 4))\" fill=\"\(t.colour)\">\(HTMLText.escape(t.label))</text>"
        }
        for s in series {
            for run in runs(s.values) where run.count > 1 {
                let points = run.map { "\(c(x($0))),\(c(y(s.values[$0]!)))" }.joined(separator: " ")
                out += "<polyline fill=\"none\" stroke=\"\(s.colour)\" stroke-width=\"2\" points=\"\(points)\"/>"
            }
            for (i, v) in s.values.enumerated() {
                guard let v, v.isFinite else { continue }
                let marker = i < s.markers.count ? s.markers[i] ?? s.colour : s.colour
                out += "<circle cx=\"\(c(x(i)))\" cy=\"\(c(y(v)))\" r=\"\(marker == s.colour ? "3" : "4.5")\" fill=\"\(marker)\"/>"
            }
        }
        // Legend, top right.
        var lx = left + plotW
        for s in series.reversed() {
            let label = HTMLText.escape(s.name)
            lx -= Double(s.name.count) * 7 + 28
            out += "<line x1=\"\(c(lx))\" y1=\"10\" x2=\"\(c(lx + 16))\" y2=\"10\" stroke=\"\(s.colour)\" stroke-width=\"3\"/>"
            out += "<text x=\"\(c(lx + 20))\" y=\"14\" fill=\"\(Colour.text)\">\(label)</text>"
        }
        return out + "</svg>"
    }

    /// Which of `count` labels to draw so that at most `room` (≥ 2) appear, evenly spaced, first and last included.
    static func labelIndices(count: Int, room: Int) -> [Int] {
        guard count > 0 else { return [] }
        let slots = max(2, room)
        if count <= slots { return Array(0..<count) }
        let step = (count - 1 + slots - 2) / (slots - 1)
        var out = Array(stride(from: 0, to: count - 1, by: max(1, step)))
        if let last = out.last, count - 1 - last < max(1, step) / 2, out.count > 1 { out.removeLast() }
        return out + [count - 1]
    }

    /// 3–6 round tick values (1, 2 or 5 × 10^k apart) from at most `lo` to at least `hi` — strictly above `hi`
    /// with `headroom`, so the largest value never sits on the plot's top edge. Each tick is computed as an
    /// integer multiple of the step divided (or multiplied) by an exact power of ten, so it is the double nearest
    /// the round number (0.85, not 0.8500000000000001) and prints cleanly.
    static func niceTicks(lo: Double, hi: Double, headroom: Bool = false) -> [Double] {
        let span = max(hi - lo, 1e-12)
        let raw = span / 4
        let e = NumberText.exponent(raw)
        let multiple = [1, 2, 5, 10].first { Double($0) * NumberText.power10(e) >= raw } ?? 10
        // tick k = (n + k) · multiple · 10^e, with n · multiple · 10^e the largest such value ≤ lo.
        func value(_ units: Int) -> Double {
            e >= 0 ? Double(units) * NumberText.power10(e) : Double(units) / NumberText.power10(-e)
        }
        let step = value(multiple)
        var n = Int((lo / step).rounded(.down))
        while value(n * multiple) > lo { n -= 1 }
        var ticks: [Double] = []
        while true {
            let t = value(n * multiple)
            ticks.append(t == 0 ? 0 : t)
            if headroom ? t > hi : t >= hi { break }
            n += 1
        }
        return ticks
    }

    // MARK: Histogram

    /// Baseline and current shares per bin, overlaid: the baseline as a wide pale bar, the current window as a
    /// narrower orange bar in front of it, so a shift shows as orange leaving the blue. `edgeLabels` label the
    /// boundaries between bars (numeric bins: `edgeLabels.count == bins − 1`); `barLabels` label the bars
    /// themselves (categories). Both are thinned to fit.
    static func histogram(title: String, baseline: [Double], current: [Double], edgeLabels: [String] = [],
                          barLabels: [String] = [], width: Int = 480, height: Int = 240) -> String {
        let bins = max(baseline.count, current.count)
        let peak = max(baseline.max() ?? 0, current.max() ?? 0, 1e-12)
        let ticks = niceTicks(lo: 0, hi: peak)
        let top = ticks.last!
        let left = 56.0, right = 16.0, upper = 30.0, lower = barLabels.isEmpty ? 34.0 : 48.0
        let w = Double(width), h = Double(height)
        let plotW = w - left - right, plotH = h - upper - lower
        let slot = plotW / Double(max(1, bins))
        func y(_ v: Double) -> Double { upper + plotH * (1 - v / top) }
        let c = NumberText.coordinate
        var out = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" "
            + "role=\"img\" aria-label=\"\(HTMLText.escape(title))\" font-family=\"sans-serif\" font-size=\"12\">"
            + "<title>\(HTMLText.escape(title))</title>"
        for t in ticks {
            out += "<line x1=\"\(c(left))\" y1=\"\(c(y(t)))\" x2=\"\(c(left + plotW))\" y2=\"\(c(y(t)))\" stroke=\"\(Colour.grid)\"/>"
            out += "<text x=\"\(c(left - 6))\" y=\"\(c(y(t) + 4))\" text-anchor=\"end\" fill=\"\(Colour.text)\">\(NumberText.percent(t))</text>"
        }
        for i in 0..<bins {
            let x0 = left + slot * Double(i)
            let b = i < baseline.count ? baseline[i] : 0, cur = i < current.count ? current[i] : 0
            out += "<rect x=\"\(c(x0 + slot * 0.08))\" y=\"\(c(y(b)))\" width=\"\(c(slot * 0.84))\" height=\"\(c(upper + plotH - y(b)))\" "
                + "fill=\"\(Colour.baseline)\"><title>baseline \(NumberText.percent(b))</title></rect>"
            out += "<rect x=\"\(c(x0 + slot * 0.3))\" y=\"\(c(y(cur)))\" width=\"\(c(slot * 0.4))\" height=\"\(c(upper + plotH - y(cur)))\" "
                + "fill=\"\(Colour.current)\" fill-opacity=\"0.85\"><title>current \(NumberText.percent(cur))</title></rect>"
        }
        out += "<line x1=\"\(c(left))\" y1=\"\(c(upper + plotH))\" x2=\"\(c(left + plotW))\" y2=\"\(c(upper + plotH))\" stroke=\"\(Colour.axis)\"/>"
        for i in labelIndices(count: edgeLabels.count, room: Int(plotW / 70)) {
            let x = left + slot * Double(i + 1)
            out += "<line x1=\"\(c(x))\" y1=\"\(c(upper + plotH))\" x2=\"\(c(x))\" y2=\"\(c(upper + plotH + 5))\" stroke=\"\(Colour.axis)\"/>"
            out += "<text x=\"\(c(x))\" y=\"\(c(h - lower + 20))\" text-anchor=\"middle\" fill=\"\(Colour.text)\">\(HTMLText.escape(edgeLabels[i]))</text>"
        }
        for i in labelIndices(count: barLabels.count, room: Int(plotW / 60)) {
            let x = left + slot * (Double(i) + 0.5)
            let label = barLabels[i].count > 10 ? String(barLabels[i].prefix(9)) + "…" : barLabels[i]
            out += "<text x=\"\(c(x))\" y=\"\(c(h - lower + 18))\" text-anchor=\"middle\" fill=\"\(Colour.text)\">"
                + "\(HTMLText.escape(label))<title>\(HTMLText.escape(barLabels[i]))</title></text>"
        }
        // Legend.
        out += "<rect x=\"\(c(left + plotW - 190))\" y=\"4\" width=\"14\" height=\"12\" fill=\"\(Colour.baseline)\"/>"
        out += "<text x=\"\(c(left + plotW - 172))\" y=\"14\" fill=\"\(Colour.text)\">baseline</text>"
        out += "<rect x=\"\(c(left + plotW - 100))\" y=\"4\" width=\"14\" height=\"12\" fill=\"\(Colour.current)\"/>"
        out += "<text x=\"\(c(left + plotW - 82))\" y=\"14\" fill=\"\(Colour.text)\">last window</text>"
        out += "<text x=\"\(c(left))\" y=\"14\" fill=\"\(Colour.text)\">share of rows</text>"
        return out + "</svg>"
    }
}
