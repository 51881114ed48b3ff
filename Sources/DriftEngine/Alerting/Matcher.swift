/// One label matcher: `name = value`, `name != value`, `name =~ regex`, `name !~ regex`.
///
/// As in Alertmanager, an absent label has the value "", and regular expressions are **anchored**: `=~ "a|b"`
/// matches exactly "a" or "b", never "xa" (the pattern is matched as a whole, like Alertmanager's
/// `^(?:pattern)$`). Regexes are Swift's standard-library `Regex` (no Foundation), whose syntax is a superset
/// of Go's RE2 for the usual constructs (alternation, classes, repetition, groups, `(?i)`); it also accepts
/// backreferences and lookaround, which RE2 rejects, and it backtracks, so patterns longer than
/// ``maxPatternLength`` are refused.
public struct Matcher: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Longest accepted regex pattern, in UTF-8 bytes.
    public static let maxPatternLength = 1_024

    public let name: String
    public let op: MatchOperator
    public let value: String
    private let compiled: CompiledPattern?

    /// A matcher; throws for an invalid label name or regex.
    public init(name: String, _ op: MatchOperator, _ value: String) throws(AlertConfigError) {
        guard Matcher.isValidLabelName(name) else {
            throw AlertConfigError(path: "", message: "invalid label name \"\(name)\"")
        }
        self.name = name
        self.op = op
        self.value = value
        switch op {
        case .equal, .notEqual:
            compiled = nil
        case .regexMatch, .regexNoMatch:
            guard value.utf8.count <= Matcher.maxPatternLength else {
                throw AlertConfigError(path: "", message: "regex longer than \(Matcher.maxPatternLength) bytes")
            }
            do {
                compiled = CompiledPattern(try Regex("(?:" + value + ")"))
            } catch {
                throw AlertConfigError(path: "", message: "invalid regex \"\(value)\": \(error)")
            }
        }
    }

    /// Whether `labelValue` (the label's value, "" when absent) satisfies the matcher.
    public func matches(value labelValue: String) -> Bool {
        switch op {
        case .equal: return labelValue == value
        case .notEqual: return labelValue != value
        case .regexMatch: return compiled!.wholeMatches(labelValue)
        case .regexNoMatch: return !compiled!.wholeMatches(labelValue)
        }
    }

    /// Whether the label set satisfies the matcher.
    public func matches(_ labels: [String: String]) -> Bool { matches(value: labels[name] ?? "") }

    /// True when every matcher matches (an empty list matches everything).
    public static func all(_ matchers: [Matcher], match labels: [String: String]) -> Bool {
        matchers.allSatisfy { $0.matches(labels) }
    }

    /// `name op "value"` with the value quoted and `\`, `"` and newlines escaped — ``parse(_:)`` reads it back.
    public var description: String {
        var quoted = "\""
        for c in value.unicodeScalars {
            switch c {
            case "\\": quoted += "\\\\"
            case "\"": quoted += "\\\""
            case "\n": quoted += "\\n"
            default: quoted.unicodeScalars.append(c)
            }
        }
        return name + op.rawValue + quoted + "\""
    }

    public static func == (a: Matcher, b: Matcher) -> Bool { a.name == b.name && a.op == b.op && a.value == b.value }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(op)
        hasher.combine(value)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, Prometheus's label names.
    public static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        func letter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 }
        return letter(first) && name.utf8.allSatisfy { letter($0) || ($0 >= 48 && $0 <= 57) }
    }
}

/// A compiled regex; the standard library's `Regex` is not declared `Sendable`, but a compiled pattern is
/// immutable and matching does not mutate it.
final class CompiledPattern: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>
    init(_ regex: Regex<AnyRegexOutput>) { self.regex = regex }
    func wholeMatches(_ s: String) -> Bool { s.wholeMatch(of: regex) != nil }
}
