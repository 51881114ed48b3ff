import DriftEngine
import DriftNotify

/// driftd's alerting configuration, read from the `alerting` object of the `--config` file or from the file
/// named by `--alerts-config` (which wins): the shape `AlertConfig.parse` reads — `route`, `receivers` (with
/// their `webhook_configs`, `slack_configs`, `email_configs`, which `CurlAlertSender` reads), `inhibit_rules` —
/// plus an optional `delivery` object for the delivery worker:
///
///     "delivery": {"initial_backoff_ms": 1000, "max_backoff_ms": 300000, "max_age_ms": 86400000,
///                  "timeout_ms": 10000}
///
/// Every error names the file, the line and the key path (`alerting.route.routes[0].group_wait`). Secrets
/// (`env:NAME`, `*_file` keys) are resolved at send time, never here, and never appear in an error.
public struct AlertingOptions: Sendable {
    public var config: AlertConfig
    public var sender: CurlAlertSender
    public var deliverySettings: AlertDeliverySettings

    /// The keys of the `delivery` object and their ranges.
    static let deliveryKeys: [(key: String, range: ClosedRange<Int64>)] = [
        ("initial_backoff_ms", 1...3_600_000), ("max_backoff_ms", 1...86_400_000),
        ("max_age_ms", 1...(366 * 86_400_000)), ("timeout_ms", 100...600_000),
    ]

    /// Reads a parsed alerting object. `file` and `prefix` (`"alerting"` inside the main config, `""` in an
    /// alerts file) place errors.
    static func read(_ doc: ConfigJSON.Located, file: String, prefix: String) throws(DriftdOptionsError) -> AlertingOptions {
        func fail(_ e: AlertConfigError) -> DriftdOptionsError {
            let placed = prefix.isEmpty ? e : e.under(prefix)
            let line = doc.line(at: e.path) ?? doc.line
            return DriftdOptionsError("\(file): line \(line): \(placed.description)")
        }
        guard case .object(var members) = doc.value.alertConfigValue else {
            throw fail(AlertConfigError(path: "", message: "the alerting configuration must be an object"))
        }
        var settings = AlertDeliverySettings()
        var timeoutMs = CurlAlertSender.defaultTimeoutMs
        if let delivery = members.removeValue(forKey: "delivery") {
            let o: [String: AlertConfigValue]
            do { o = try delivery.object(at: "delivery", allowed: Set(deliveryKeys.map(\.key))) } catch { throw fail(error) }
            var values: [String: Int64] = [:]
            for (key, range) in deliveryKeys {
                guard let v = o[key] else { continue }
                guard case .number(let d) = v, d == d.rounded(), d >= Double(range.lowerBound), d <= Double(range.upperBound)
                else {
                    throw fail(AlertConfigError(path: "delivery." + key,
                                                message: "expected an integer from \(range.lowerBound) to \(range.upperBound)"))
                }
                values[key] = Int64(d)
            }
            let initial = values["initial_backoff_ms"] ?? settings.initialBackoffMs
            let maximum = values["max_backoff_ms"] ?? max(settings.maximumBackoffMs, initial)
            guard maximum >= initial else {
                throw fail(AlertConfigError(path: "delivery.max_backoff_ms", message: "smaller than initial_backoff_ms"))
            }
            settings = AlertDeliverySettings(initialBackoffMs: initial, maximumBackoffMs: maximum,
                                             maximumAgeMs: values["max_age_ms"] ?? settings.maximumAgeMs)
            timeoutMs = Int(values["timeout_ms"] ?? Int64(timeoutMs))
        }
        do {
            let config = try AlertConfig.parse(.object(members))
            let sender = try CurlAlertSender(config: config, timeoutMs: timeoutMs)
            return AlertingOptions(config: config, sender: sender, deliverySettings: settings)
        } catch {
            throw fail(error)
        }
    }
}

extension ConfigJSON {
    /// The same tree as the alerting parsers read it (numbers as Doubles; a repeated key keeps the last value).
    var alertConfigValue: AlertConfigValue {
        switch self {
        case .object(let members):
            var out: [String: AlertConfigValue] = [:]
            for m in members { out[m.key] = m.value.value.alertConfigValue }
            return .object(out)
        case .array(let items): return .array(items.map(\.value.alertConfigValue))
        case .string(let s): return .string(s)
        case .number(let n): return .number(Double(n) ?? .nan)
        case .bool(let b): return .bool(b)
        case .null: return .null
        }
    }
}

extension ConfigJSON.Located {
    /// The line of the value at a key path such as `route.routes[1].group_wait` (the deepest value found on
    /// the way when the path goes further than the document).
    func line(at path: String) -> Int? {
        var node = self
        var rest = Substring(path)
        while !rest.isEmpty {
            if rest.first == "." { rest = rest.dropFirst() }
            if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"), let i = Int(rest[rest.index(after: rest.startIndex)..<close]),
                      case .array(let items) = node.value, items.indices.contains(i) else { return node.line }
                node = items[i]
                rest = rest[rest.index(after: close)...]
            } else {
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                let key = String(rest[..<end])
                guard case .object(let members) = node.value, let m = members.last(where: { $0.key == key }) else {
                    return node.line
                }
                node = m.value
                rest = rest[end...]
            }
        }
        return node.line
    }
}

/// Where an alerting configuration was found: its file, its key path prefix there, and the parsed object.
struct AlertingSection: Sendable, Equatable {
    var file: String
    var prefix: String
    var value: ConfigJSON.Located
}

extension DriftdOptions {
    /// The alerting configuration: the file named by `alerts_config` when set, else the config file's
    /// `alerting` object; nil when neither is given (alerts are derived and listed, nothing is delivered).
    /// - Throws: an unreadable file, bad JSON, or a bad value — with the file, line and key path.
    public func alertingOptions() throws(DriftdOptionsError) -> AlertingOptions? {
        let section: AlertingSection
        if !alertsConfig.isEmpty {
            let text: String
            do { text = try readTextFile(alertsConfig) } catch {
                throw DriftdOptionsError("cannot read alerts config \(alertsConfig): \(error)")
            }
            let doc: ConfigJSON.Located
            do { doc = try ConfigJSON.parse(text) } catch { throw DriftdOptionsError("\(alertsConfig): \(error.description)") }
            section = AlertingSection(file: alertsConfig, prefix: "", value: doc)
        } else if let s = alertingSection {
            section = s
        } else {
            return nil
        }
        return try AlertingOptions.read(section.value, file: section.file, prefix: section.prefix)
    }
}
