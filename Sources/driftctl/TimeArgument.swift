import DriftLoad

/// Times and durations as driftctl's monitoring commands take them (no Foundation, no time zones but UTC):
///
///     1733306400000              milliseconds since the Unix epoch
///     2026-12-04T10:00:00Z       ISO-8601: date, T (or a space), HH:MM[:SS[.fff]], then Z or an offset ±HH:MM
///     2026-12-04                 a date alone is midnight UTC
///     -24h  -7d  -90m  -1h30m    relative to now (also +…); units ms s m h d w
///     now
///
/// Durations (`--window 1h` in schema files, the relative forms above) are one or more number–unit pairs
/// ("1h30m", "500ms", "2d"); a plain number is milliseconds.
enum TimeArgument {
    /// Milliseconds since the epoch that `text` denotes, relative forms counted from `nowMs`.
    static func parse(_ text: String, nowMs: Int64) throws(TimeArgumentError) -> Int64 {
        let t = text.trimmed
        guard !t.isEmpty else { throw TimeArgumentError("an empty time") }
        if t.lowercased() == "now" { return nowMs }
        if let first = t.first, first == "-" || first == "+" {
            let rest = String(t.dropFirst())
            guard rest.contains(where: \.isLetter) else {
                throw TimeArgumentError("'\(t)': a relative time needs a unit (ms, s, m, h, d, w), e.g. -24h")
            }
            let d = try duration(rest, what: "'\(t)'")
            let (r, overflow) = first == "-" ? nowMs.subtractingReportingOverflow(d) : nowMs.addingReportingOverflow(d)
            guard !overflow else { throw TimeArgumentError("'\(t)' is out of range") }
            return r
        }
        if t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }) {
            guard let ms = Int64(t.replacingUnderscores) else { throw TimeArgumentError("'\(t)' is out of range") }
            return ms
        }
        return try iso(t)
    }

    /// A duration in milliseconds: number–unit pairs ("1h30m", "500ms", "7d") or a plain number of ms.
    static func duration(_ text: String, what: String? = nil) throws(TimeArgumentError) -> Int64 {
        let label = what ?? "'\(text)'"
        let s = Array(text.trimmed.lowercased().replacingUnderscores)
        guard !s.isEmpty else { throw TimeArgumentError("\(label): an empty duration") }
        if s.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let ms = Int64(String(s)) else { throw TimeArgumentError("\(label) is out of range") }
            return ms
        }
        var total: Int64 = 0, i = 0
        while i < s.count {
            while i < s.count, s[i].isWhitespace { i += 1 }
            let numberStart = i
            while i < s.count, s[i].isASCII, s[i].isNumber || s[i] == "." { i += 1 }
            let numberText = String(s[numberStart..<i])
            while i < s.count, s[i].isWhitespace { i += 1 }
            let unitStart = i
            while i < s.count, s[i].isLetter { i += 1 }
            let unit = String(s[unitStart..<i])
            guard !numberText.isEmpty, let number = Double(numberText), number.isFinite else {
                let at = unit.isEmpty ? String(s[i...]) : unit
                throw TimeArgumentError("\(label): expected a number before '\(at)'; write durations like 90s, 15m, 1h30m, 7d")
            }
            guard !unit.isEmpty else {
                throw TimeArgumentError("\(label): \(numberText) needs a unit (ms, s, m, h, d or w)")
            }
            guard let scale = unitMs[unit] else {
                throw TimeArgumentError("\(label): unknown unit '\(unit)'; use ms, s, m, h, d or w")
            }
            let ms = (number * Double(scale)).rounded()
            guard ms < 9e18, total <= Int64.max - Int64(ms) else { throw TimeArgumentError("\(label) is out of range") }
            total += Int64(ms)
        }
        return total
    }

    static let unitMs: [String: Int64] = ["ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000,
                                          "w": 604_800_000]

    /// ISO-8601 with a zone designator (or a date alone, midnight UTC).
    static func iso(_ text: String) throws(TimeArgumentError) -> Int64 {
        let bad = TimeArgumentError("'\(text)' is not a time: use ms since the epoch, ISO-8601 UTC "
                                    + "(2026-12-04T10:00:00Z) or a relative time (-24h, -7d)")
        var p = Scanner(Array(text))
        guard let year = p.digits(4), p.take("-"), let month = p.digits(2), p.take("-"), let day = p.digits(2) else {
            throw bad
        }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else {
            throw TimeArgumentError("'\(text)': there is no day \(year)-\(two(month))-\(two(day))")
        }
        var ms = daysFromCivil(year: year, month: month, day: day) * 86_400_000
        if p.atEnd { return ms }
        guard p.take("T") || p.take("t") || p.take(" "), let hour = p.digits(2), p.take(":"), let minute = p.digits(2) else {
            throw bad
        }
        var second = 0, fraction = 0
        if p.take(":") {
            guard let s = p.digits(2) else { throw bad }
            second = s
            if p.take(".") || p.take(",") {
                var digits = 0, value = 0
                while let d = p.digit() {
                    if digits < 3 { value = value * 10 + d }
                    digits += 1
                }
                guard digits > 0 else { throw bad }
                if digits < 3 { for _ in digits..<3 { value *= 10 } }
                fraction = value
            }
        }
        guard hour < 24, minute < 60, second < 60 else { throw TimeArgumentError("'\(text)': no such time of day") }
        ms += Int64(((hour * 60 + minute) * 60 + second) * 1000 + fraction)
        if p.take("Z") || p.take("z") { guard p.atEnd else { throw bad }; return ms }
        let sign: Int64
        if p.take("+") { sign = 1 } else if p.take("-") { sign = -1 } else {
            throw TimeArgumentError("'\(text)': add the zone, e.g. Z for UTC (2026-12-04T10:00:00Z)")
        }
        guard let oh = p.digits(2), oh < 24 else { throw bad }
        var om = 0
        if p.take(":") { guard let m = p.digits(2) else { throw bad }; om = m } else if let m = p.digits(2) { om = m }
        guard om < 60, p.atEnd else { throw bad }
        return ms - sign * Int64((oh * 60 + om) * 60_000)
    }

    /// `ms` as ISO-8601 UTC: "2026-12-04T10:00:00Z", with ".123" when not a whole second.
    static func format(_ ms: Int64) -> String {
        let (days, rest) = floorDivide(ms, 86_400_000)
        let (y, m, d) = civilFromDays(days)
        let seconds = rest / 1000, millis = rest % 1000
        var out = "\(y < 0 ? "-" : "")\(four(abs(y)))-\(two(m))-\(two(d))T"
        out += "\(two(Int(seconds / 3600))):\(two(Int(seconds / 60 % 60))):\(two(Int(seconds % 60)))"
        if millis != 0 { out += "." + String(String(1000 + millis).dropFirst()) }
        return out + "Z"
    }

    /// A duration for people: 3 600 000 → "1h", 5 400 000 → "1h30m", 1 500 → "1.5s", 0 → "0s".
    static func formatDuration(_ ms: UInt64) -> String {
        guard ms > 0 else { return "0s" }
        if ms < 60_000 { return ms % 1000 == 0 ? "\(ms / 1000)s" : ms < 1000 ? "\(ms)ms" : Format.compact(Double(ms) / 1000) + "s" }
        var rest = ms / 1000, out = ""
        for (unit, size) in [("d", UInt64(86_400)), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        return out
    }

    // MARK: - Civil calendar (proleptic Gregorian; H. Hinnant's algorithms)

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64(month > 2 ? month - 3 : month + 9)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(yoe + era * 400 + (m <= 2 ? 1 : 0)), Int(m), Int(d))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b, r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    private static func four(_ n: Int) -> String { String(repeating: "0", count: max(0, 4 - String(n).count)) + String(n) }

    /// A cursor over the characters of an ISO time.
    private struct Scanner {
        let chars: [Character]
        var i = 0
        init(_ chars: [Character]) { self.chars = chars }
        var atEnd: Bool { i == chars.count }
        mutating func take(_ c: Character) -> Bool {
            guard i < chars.count, chars[i] == c else { return false }
            i += 1
            return true
        }
        mutating func digit() -> Int? {
            guard i < chars.count, chars[i].isASCII, let d = chars[i].wholeNumberValue else { return nil }
            i += 1
            return d
        }
        mutating func digits(_ n: Int) -> Int? {
            var v = 0
            for _ in 0..<n {
                guard let d = digit() else { return nil }
                v = v * 10 + d
            }
            return v
        }
    }
}

/// A time or duration argument that cannot be read; the message quotes it and shows the accepted forms.
struct TimeArgumentError: Error, Equatable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
