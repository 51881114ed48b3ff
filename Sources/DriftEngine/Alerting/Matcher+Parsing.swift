extension Matcher {
    /// Reads one matcher in Alertmanager's string form: `name op value` with `op` one of `=~`, `!~`, `!=`, `=`,
    /// optional spaces around the operator, and the value either double-quoted (escapes `\\`, `\"`, `\n`) or
    /// unquoted (the rest of the text, spaces trimmed), e.g. `severity="critical"`, `source=~"pay.*"`,
    /// `kind != drift`.
    public static func parse(_ text: String) throws(AlertConfigError) -> Matcher {
        let s = Array(text.unicodeScalars)
        var i = 0
        func skipSpaces() { while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 } }
        skipSpaces()
        let nameStart = i
        while i < s.count, s[i] != "=", s[i] != "!", s[i] != " ", s[i] != "\t" { i += 1 }
        var name = ""
        name.unicodeScalars.append(contentsOf: s[nameStart..<i])
        skipSpaces()
        let op: MatchOperator
        func at(_ k: Int, _ c: Unicode.Scalar) -> Bool { k < s.count && s[k] == c }
        if at(i, "=") && at(i + 1, "~") { op = .regexMatch; i += 2 }
        else if at(i, "!") && at(i + 1, "~") { op = .regexNoMatch; i += 2 }
        else if at(i, "!") && at(i + 1, "=") { op = .notEqual; i += 2 }
        else if at(i, "=") { op = .equal; i += 1 }
        else { throw AlertConfigError(path: "", message: "no operator (=, !=, =~, !~) in matcher \"\(text)\"") }
        skipSpaces()
        var value = ""
        if at(i, "\"") {
            i += 1
            var closed = false
            while i < s.count {
                let c = s[i]
                if c == "\"" { closed = true; i += 1; break }
                if c == "\\" {
                    guard i + 1 < s.count else { break }
                    switch s[i + 1] {
                    case "n": value += "\n"
                    case "\\": value += "\\"
                    case "\"": value += "\""
                    default:
                        throw AlertConfigError(path: "", message: "invalid escape in matcher \"\(text)\"")
                    }
                    i += 2
                    continue
                }
                value.unicodeScalars.append(c)
                i += 1
            }
            guard closed else { throw AlertConfigError(path: "", message: "unterminated quote in matcher \"\(text)\"") }
            skipSpaces()
            guard i == s.count else {
                throw AlertConfigError(path: "", message: "text after the quoted value in matcher \"\(text)\"")
            }
        } else {
            var end = s.count
            while end > i, s[end - 1] == " " || s[end - 1] == "\t" { end -= 1 }
            value.unicodeScalars.append(contentsOf: s[i..<end])
        }
        return try Matcher(name: name, op, value)
    }
}
