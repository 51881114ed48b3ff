/// Mutes *target* alerts while a *source* alert fires that has equal values of the `equal` labels
/// (Alertmanager's `inhibit_rules`).
///
/// An alert is inhibited when it matches ``targetMatchers`` and some other firing alert matches
/// ``sourceMatchers`` and has the same value for every label in ``equal`` (an absent label equals an absent
/// one). An alert never inhibits itself, and, as in Alertmanager, when the target also matches the source
/// matchers, a source that also matches the target matchers does not count (two alerts that each match both
/// sides do not inhibit each other). Source alerts count while they fire, even when silenced or inhibited
/// themselves (as in Alertmanager).
public struct InhibitionRule: Sendable, Equatable {
    public var sourceMatchers: [Matcher]
    public var targetMatchers: [Matcher]
    public var equal: [String]

    public init(sourceMatchers: [Matcher], targetMatchers: [Matcher], equal: [String]) {
        self.sourceMatchers = sourceMatchers
        self.targetMatchers = targetMatchers
        self.equal = equal
    }

    /// Whether `source` (a firing alert) inhibits `target` under this rule.
    public func inhibits(_ target: Alert, by source: Alert) -> Bool {
        guard source.fingerprint != target.fingerprint,
              Matcher.all(targetMatchers, match: target.labels),
              Matcher.all(sourceMatchers, match: source.labels) else { return false }
        if Matcher.all(sourceMatchers, match: target.labels) && Matcher.all(targetMatchers, match: source.labels) {
            return false
        }
        return equal.allSatisfy { source[label: $0] == target[label: $0] }
    }

    /// The defaults, used when the configuration has no `inhibit_rules`:
    /// 1. a stale source (`kind="freshness"` firing) inhibits the `drift` and `null_rate` alerts of the same
    ///    `source` — their windows are doubtful while data is missing or late;
    /// 2. a `critical` alert inhibits the `warning` alert of the same `source`, `feature`, `partner` and `kind`.
    public static let defaults: [InhibitionRule] = {
        func m(_ name: String, _ op: MatchOperator, _ value: String) -> Matcher { try! Matcher(name: name, op, value) }
        return [
            InhibitionRule(sourceMatchers: [m(Alert.kindLabel, .equal, AlertKind.freshness.rawValue)],
                           targetMatchers: [m(Alert.kindLabel, .regexMatch, "drift|null_rate")],
                           equal: [Alert.sourceLabel]),
            InhibitionRule(sourceMatchers: [m(Alert.severityLabel, .equal, "critical")],
                           targetMatchers: [m(Alert.severityLabel, .equal, "warning")],
                           equal: [Alert.sourceLabel, Alert.featureLabel, Alert.partnerLabel, Alert.kindLabel]),
        ]
    }()

    /// Reads `{source_matchers: [...], target_matchers: [...], equal: [...]}`.
    public static func parse(_ value: AlertConfigValue, path: String) throws(AlertConfigError) -> InhibitionRule {
        let o = try value.object(at: path, allowed: ["source_matchers", "target_matchers", "equal"])
        func p(_ key: String) -> String { AlertConfigValue.join(path, key) }
        let source = try o["source_matchers"]?.matchers(at: p("source_matchers")) ?? []
        let target = try o["target_matchers"]?.matchers(at: p("target_matchers")) ?? []
        if target.isEmpty {
            throw AlertConfigError(path: p("target_matchers"), message: "at least one target matcher is required")
        }
        let equal = try o["equal"]?.stringArray(at: p("equal")) ?? []
        for (i, name) in equal.enumerated() where !Matcher.isValidLabelName(name) {
            throw AlertConfigError(path: "\(p("equal"))[\(i)]", message: "invalid label name \"\(name)\"")
        }
        return InhibitionRule(sourceMatchers: source, targetMatchers: target, equal: equal)
    }
}
