/// The command-line words after the command, consumed option by option; what is left are the positionals.
///
///     var args = Arguments(["NAME", "--schema", "s.json", "--json"])
///     let schema = args.value("--schema")     // "s.json"
///     let json = args.flag("--json")          // true
///     let names = args.positionals(count: 1, usage: "source create NAME")   // ["NAME"]
struct Arguments {
    private(set) var words: [String]

    init(_ words: [String]) { self.words = words }

    /// Whether `name` was given (every occurrence is consumed).
    mutating func flag(_ name: String) -> Bool {
        let before = words.count
        words.removeAll { $0 == name }
        return words.count != before
    }

    /// The value of `name VALUE` or `name=VALUE` (the last one wins); nil when absent. A missing value fails.
    mutating func value(_ name: String) -> String? {
        var found: String?
        var i = 0
        while i < words.count {
            if words[i] == name {
                guard i + 1 < words.count else { Output.fail("\(name) needs a value") }
                found = words[i + 1]
                words.removeSubrange(i...(i + 1))
            } else if words[i].hasPrefix(name + "=") {
                found = String(words[i].dropFirst(name.count + 1))
                words.remove(at: i)
            } else {
                i += 1
            }
        }
        return found
    }

    /// Every value of `name VALUE` / `name=VALUE`, in order, each split at commas ("--kind a,b --kind c" → a, b, c).
    mutating func values(_ name: String) -> [String] {
        var found: [String] = []
        var i = 0
        while i < words.count {
            if words[i] == name {
                guard i + 1 < words.count else { Output.fail("\(name) needs a value") }
                found.append(words[i + 1])
                words.removeSubrange(i...(i + 1))
            } else if words[i].hasPrefix(name + "=") {
                found.append(String(words[i].dropFirst(name.count + 1)))
                words.remove(at: i)
            } else {
                i += 1
            }
        }
        return found.flatMap { $0.split(separator: ",").map { String($0).trimmed } }.filter { !$0.isEmpty }
    }

    /// A time option (ms since the epoch, ISO-8601 UTC, or relative to `nowMs` like -24h); nil when absent.
    mutating func time(_ name: String, nowMs: Int64) -> Int64? {
        guard let text = value(name) else { return nil }
        do { return try TimeArgument.parse(text, nowMs: nowMs) } catch { Output.fail("\(name): \(error.message)") }
    }

    /// An integer option within `range`; nil when absent.
    mutating func integer(_ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = value(name) else { return nil }
        guard let n = Int(text.replacingUnderscores), range.contains(n) else {
            Output.fail("\(name) needs an integer in \(range.lowerBound)…\(range.upperBound) (got '\(text)')")
        }
        return n
    }

    /// A number option within `range`; nil when absent.
    mutating func number(_ name: String, in range: ClosedRange<Double>) -> Double? {
        guard let text = value(name) else { return nil }
        guard let x = Double(text.replacingUnderscores), range.contains(x) else {
            Output.fail("\(name) needs a number in \(range.lowerBound)…\(range.upperBound) (got '\(text)')")
        }
        return x
    }

    /// The words left, which must be exactly `count` positionals (no unknown options).
    mutating func positionals(count: Int, usage: String) -> [String] {
        if let unknown = words.first(where: { $0.hasPrefix("-") && $0 != "-" && Double($0) == nil }) {
            Output.fail("unknown option '\(unknown)'; usage: driftctl \(usage)")
        }
        guard words.count == count else {
            Output.fail("expected \(count) argument\(count == 1 ? "" : "s"), got \(words.count); usage: driftctl \(usage)")
        }
        return words
    }
}

extension String {
    /// `1_000_000` → `1000000`, so big numbers can be written readably.
    var replacingUnderscores: String { String(filter { $0 != "_" }) }
}

/// An option value that cannot be used; the message names the option.
struct ArgumentError: Error, Equatable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
