import DriftLoad
import DriftWire
import Foundation

/// The optional `"monitoring"` object of a schema file, mapped onto `MonitoringSpec` (PROTOCOL §13):
///
///     "monitoring": {"window": "1h", "event_time_column": "ts", "grace_ms": 600000, "baseline": "rolling",
///                    "rolling_windows": 24, "persistence_k": 2, "recovery_j": 2, "benjamini_hochberg": true,
///                    "max_event_age_ms": "2h", "correlation_groups": [["income", "age"]]}
///
/// Every key is optional (absent = the server's default). `window` is a duration ("1h", "15m", "1d") and the
/// readable form of `window_length_ms` (give one of them); the `*_ms` keys take milliseconds or a duration
/// string. `window_rows` makes row-count windows instead of event-time ones. `baseline` is "fixed" or "rolling".
/// Unknown keys and wrong values are errors that name the key.
extension SchemaFile {
    static let monitoringKeys = ["window_length_ms", "window", "window_rows", "event_time_column", "grace_ms", "value_cap",
                                 "max_event_age_ms", "max_arrival_interval_ms", "baseline", "rolling_windows",
                                 "persistence_k", "recovery_j", "benjamini_hochberg", "correlation_groups"]

    /// Parses a `"monitoring"` object; `features` are the source's feature names (correlation groups must use them).
    static func parseMonitoring(_ value: Any, features: [String]) throws(SchemaError) -> MonitoringSpec {
        let at = "monitoring"
        guard let m = value as? [String: Any] else { throw SchemaError("\"\(at)\" must be a JSON object") }
        if let unknown = m.keys.sorted().first(where: { !monitoringKeys.contains($0) }) {
            throw SchemaError("\(at): unknown key '\(unknown)' (allowed: \(monitoringKeys.joined(separator: ", ")))")
        }

        /// A whole number ≥ `minimum` up to `maximum`, from a JSON number (or, when `durations`, a duration string).
        func whole(_ key: String, minimum: UInt64 = 0, maximum: UInt64 = UInt64.max,
                   durations: Bool = false) throws(SchemaError) -> UInt64? {
            guard let v = m[key] else { return nil }
            let range = maximum == UInt64.max ? "≥ \(minimum)" : "in \(minimum)…\(maximum)"
            if durations, let text = v as? String {
                let ms: Int64
                do { ms = try TimeArgument.duration(text, what: "\"\(text)\"") } catch {
                    throw SchemaError("\(at): \"\(key)\": \(error.message)")
                }
                guard ms >= 0, UInt64(ms) >= minimum, UInt64(ms) <= maximum else {
                    throw SchemaError("\(at): \"\(key)\" must be \(range) ms (got \(text))")
                }
                return UInt64(ms)
            }
            guard let n = v as? NSNumber, !isBool(n) else {
                throw SchemaError("\(at): \"\(key)\" must be a whole number\(durations ? " of milliseconds or a duration like \"10m\"" : "")")
            }
            let d = n.doubleValue
            guard d == d.rounded(), d >= Double(minimum), d <= Double(maximum), d < 1.8e19 else {
                throw SchemaError("\(at): \"\(key)\" must be a whole number \(range) (got \(n))")
            }
            return UInt64(d)
        }

        var spec = MonitoringSpec()
        if m["window"] != nil && m["window_length_ms"] != nil {
            throw SchemaError("\(at): give \"window\" or \"window_length_ms\", not both")
        }
        if let w = m["window"] {
            guard let text = w as? String else { throw SchemaError("\(at): \"window\" must be a duration string like \"1h\"") }
            let ms: Int64
            do { ms = try TimeArgument.duration(text, what: "\"\(text)\"") } catch {
                throw SchemaError("\(at): \"window\": \(error.message)")
            }
            guard ms > 0 else { throw SchemaError("\(at): \"window\" must be longer than 0") }
            spec.windowLengthMs = UInt64(ms)
        }
        if let ms = try whole("window_length_ms", minimum: 1, durations: true) { spec.windowLengthMs = ms }
        spec.windowRows = try whole("window_rows", minimum: 1)
        if let c = m["event_time_column"] {
            guard let name = c as? String, !name.isEmpty else {
                throw SchemaError("\(at): \"event_time_column\" must be a column name")
            }
            guard !features.contains(name) else {
                throw SchemaError("\(at): \"event_time_column\" (\(name)) must not be a feature: it holds each row's event "
                                  + "time (ms since the epoch), which is not monitored")
            }
            spec.eventTimeColumn = name
        }
        spec.graceMs = try whole("grace_ms", durations: true)
        spec.valueCap = try whole("value_cap", minimum: 1)
        spec.maxEventAgeMs = try whole("max_event_age_ms", minimum: 1, durations: true)
        spec.maxArrivalIntervalMs = try whole("max_arrival_interval_ms", minimum: 1, durations: true)
        if let b = m["baseline"] {
            switch b as? String {
            case "fixed": spec.baselineMode = .fixed
            case "rolling": spec.baselineMode = .rolling
            default: throw SchemaError("\(at): \"baseline\" must be \"fixed\" or \"rolling\" (got \(b))")
            }
        }
        let u32 = UInt64(UInt32.max)
        spec.rollingWindows = try whole("rolling_windows", minimum: 1, maximum: u32).map { UInt32($0) }
        spec.persistenceK = try whole("persistence_k", minimum: 1, maximum: u32).map { UInt32($0) }
        spec.recoveryJ = try whole("recovery_j", minimum: 1, maximum: u32).map { UInt32($0) }
        if let bh = m["benjamini_hochberg"] {
            guard let n = bh as? NSNumber, isBool(n) else {
                throw SchemaError("\(at): \"benjamini_hochberg\" must be true or false")
            }
            spec.benjaminiHochberg = n.boolValue
        }
        if let g = m["correlation_groups"] {
            guard let groups = g as? [Any] else {
                throw SchemaError("\(at): \"correlation_groups\" must be a list of feature lists, e.g. [[\"a\", \"b\"]]")
            }
            for (i, item) in groups.enumerated() {
                let here = "\(at).correlation_groups[\(i)]"
                guard let names = item as? [Any], let strings = names as? [String] else {
                    throw SchemaError("\(here) must be a list of feature names")
                }
                guard strings.count >= 2 else { throw SchemaError("\(here) needs at least two features") }
                if let unknown = strings.first(where: { !features.contains($0) }) {
                    throw SchemaError("\(here): '\(unknown)' is not a feature of the source")
                }
                if Set(strings).count != strings.count { throw SchemaError("\(here) names a feature twice") }
                spec.correlationGroups.append(CorrelationGroup(features: strings))
            }
        }
        if spec.rollingWindows != nil && spec.baselineMode == .fixed {
            throw SchemaError("\(at): \"rolling_windows\" needs \"baseline\": \"rolling\"")
        }
        return spec
    }

    /// The schema-file form of a `MonitoringSpec` (what `source get --json` prints under "monitoring"): the set
    /// fields only, durations in milliseconds, so it reads back to an equal spec.
    static func monitoringJSON(_ m: MonitoringSpec) -> JSONValue {
        var f: [(String, JSONValue)] = []
        if let v = m.windowLengthMs { f.append(("window_length_ms", .uint(v))) }
        if let v = m.windowRows { f.append(("window_rows", .uint(v))) }
        if !m.eventTimeColumn.isEmpty { f.append(("event_time_column", .string(m.eventTimeColumn))) }
        if let v = m.graceMs { f.append(("grace_ms", .uint(v))) }
        if let v = m.valueCap { f.append(("value_cap", .uint(v))) }
        if let v = m.maxEventAgeMs { f.append(("max_event_age_ms", .uint(v))) }
        if let v = m.maxArrivalIntervalMs { f.append(("max_arrival_interval_ms", .uint(v))) }
        switch m.baselineMode {
        case .fixed: f.append(("baseline", .string("fixed")))
        case .rolling: f.append(("baseline", .string("rolling")))
        default: break
        }
        if let v = m.rollingWindows { f.append(("rolling_windows", .uint(UInt64(v)))) }
        if let v = m.persistenceK { f.append(("persistence_k", .uint(UInt64(v)))) }
        if let v = m.recoveryJ { f.append(("recovery_j", .uint(UInt64(v)))) }
        if let v = m.benjaminiHochberg { f.append(("benjamini_hochberg", .bool(v))) }
        if !m.correlationGroups.isEmpty {
            f.append(("correlation_groups", .array(m.correlationGroups.map { .array($0.features.map(JSONValue.string)) })))
        }
        return .object(f)
    }

    /// One line for people: "windows 1h by event time (ts), grace 10m, rolling baseline of 24 windows, k 2, j 2".
    static func monitoringSummary(_ m: MonitoringSpec) -> String {
        var parts: [String] = []
        if let rows = m.windowRows {
            parts.append("windows of \(Format.grouped(rows)) rows")
        } else {
            let length = m.windowLengthMs.map(TimeArgument.formatDuration) ?? "default length"
            parts.append("windows \(length) by " + (m.eventTimeColumn.isEmpty ? "block time" : "event time (\(m.eventTimeColumn))"))
        }
        if let g = m.graceMs { parts.append("grace \(TimeArgument.formatDuration(g))") }
        if let c = m.valueCap { parts.append("value cap \(Format.grouped(c))") }
        if let a = m.maxEventAgeMs { parts.append("max event age \(TimeArgument.formatDuration(a))") }
        if let a = m.maxArrivalIntervalMs { parts.append("max arrival interval \(TimeArgument.formatDuration(a))") }
        switch m.baselineMode {
        case .fixed: parts.append("fixed baseline")
        case .rolling: parts.append("rolling baseline" + (m.rollingWindows.map { " of \($0) windows" } ?? ""))
        default: if let r = m.rollingWindows { parts.append("rolling windows \(r)") }
        }
        if let k = m.persistenceK { parts.append("persistence k \(k)") }
        if let j = m.recoveryJ { parts.append("recovery j \(j)") }
        if let bh = m.benjaminiHochberg { parts.append("Benjamini–Hochberg \(bh ? "on" : "off")") }
        for g in m.correlationGroups { parts.append("correlation group [\(g.features.joined(separator: ", "))]") }
        return parts.joined(separator: ", ")
    }
}
