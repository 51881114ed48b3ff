/// A writer of the Prometheus text exposition format 0.0.4 (`text/plain; version=0.0.4`): `# HELP` and `# TYPE`
/// lines, then the samples of each family, in exactly the order they are written (so the output is
/// deterministic when the caller's order is).
///
///     var out = PrometheusExposition()
///     out.family("driftd_requests_total", .counter, "RPC requests answered, by method and status.")
///     out.sample("driftd_requests_total", labels: [("method", "CheckDrift"), ("status", "OK")], count: 12)
///     out.text   // # HELP …\n# TYPE …\ndriftd_requests_total{method="CheckDrift",status="OK"} 12\n
///
/// Metric names must match `[a-zA-Z_:][a-zA-Z0-9_:]*` and label names `[a-zA-Z_][a-zA-Z0-9_]*` (not starting
/// with `__`, which Prometheus reserves): they are the program's own constants, so a bad one is a programming
/// error (precondition). Label values are free text (source and feature names): `\`, `"` and newline are escaped.
struct PrometheusExposition {
    enum MetricType: String {
        case counter, gauge, histogram
    }

    /// The content type of the format.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private(set) var text = ""

    /// `# HELP` and `# TYPE` of a family; its samples follow.
    mutating func family(_ name: String, _ type: MetricType, _ help: String) {
        precondition(Self.isValidMetricName(name), "invalid metric name \(name)")
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(type.rawValue)\n"
    }

    /// One sample line; `labels` in the order given.
    mutating func sample(_ name: String, labels: [(String, String)] = [], _ value: Double) {
        line(name, labels, Self.format(value))
    }

    /// One sample line of an integer value (a counter), written exactly.
    mutating func sample(_ name: String, labels: [(String, String)] = [], count: UInt64) {
        line(name, labels, String(count))
    }

    /// The samples of one histogram: `counts[i]` observations fell at or below `bounds[i]` and above the bound
    /// before it, `counts[bounds.count]` above the last bound. Written cumulatively (`_bucket{le=…}` for each
    /// bound, then `le="+Inf"` = `_count`), then `_sum` and `_count`.
    mutating func histogram(_ name: String, labels: [(String, String)], bounds: [Double], counts: [UInt64], sum: Double) {
        precondition(counts.count == bounds.count + 1, "one count per bound plus the overflow")
        var cumulative: UInt64 = 0
        for (i, bound) in bounds.enumerated() {
            cumulative &+= counts[i]
            line(name + "_bucket", labels + [("le", Self.format(bound))], String(cumulative))
        }
        cumulative &+= counts[bounds.count]
        line(name + "_bucket", labels + [("le", "+Inf")], String(cumulative))
        line(name + "_sum", labels, Self.format(sum))
        line(name + "_count", labels, String(cumulative))
    }

    private mutating func line(_ name: String, _ labels: [(String, String)], _ value: String) {
        precondition(Self.isValidMetricName(name), "invalid metric name \(name)")
        text += name
        if !labels.isEmpty {
            text += "{"
            for (i, (k, v)) in labels.enumerated() {
                precondition(Self.isValidLabelName(k), "invalid label name \(k)")
                text += (i == 0 ? "" : ",") + k + "=\"" + Self.escapeLabelValue(v) + "\""
            }
            text += "}"
        }
        text += " " + value + "\n"
    }

    // MARK: Rules of the format

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    static func isValidMetricName(_ name: String) -> Bool {
        var first = true
        for b in name.utf8 {
            let ok = isLetter(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || (!first && isDigit(b))
            if !ok { return false }
            first = false
        }
        return !first
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`.
    static func isValidLabelName(_ name: String) -> Bool {
        var first = true
        for b in name.utf8 {
            let ok = isLetter(b) || b == UInt8(ascii: "_") || (!first && isDigit(b))
            if !ok { return false }
            first = false
        }
        return !first && !name.hasPrefix("__")
    }

    /// A label value: `\` → `\\`, `"` → `\"`, newline → `\n`; everything else (UTF-8) as is.
    static func escapeLabelValue(_ value: String) -> String {
        var out = ""
        for u in value.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// HELP text: `\` → `\\`, newline → `\n`.
    static func escapeHelp(_ help: String) -> String {
        var out = ""
        for u in help.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// A sample value as Prometheus reads it: `+Inf`, `-Inf`, `NaN`, integers without a fraction, otherwise
    /// Swift's shortest round-tripping decimal.
    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    private static func isLetter(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
}
