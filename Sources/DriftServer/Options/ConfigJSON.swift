/// A small JSON reader for driftd's config file that remembers where every value starts, so an error can name
/// the key and the line. RFC 8259 syntax; numbers keep their source text (integers are read exactly).
enum ConfigJSON: Equatable, Sendable {
    case object([Member])
    case array([Located])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    struct Member: Equatable, Sendable {
        var key: String
        var value: Located
    }

    struct Located: Equatable, Sendable {
        var value: ConfigJSON
        var line: Int
    }

    struct SyntaxError: Error, Equatable, CustomStringConvertible {
        var line: Int
        var column: Int
        var message: String
        var description: String { "line \(line), column \(column): \(message)" }
    }

    static func parse(_ text: String) throws(SyntaxError) -> Located {
        var p = Parser(bytes: Array(text.utf8))
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == p.bytes.count else { throw p.error("unexpected text after the end of the document") }
        return v
    }

    var typeName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0
        var line = 1
        var lineStart = 0

        func error(_ message: String) -> SyntaxError {
            SyntaxError(line: line, column: i - lineStart + 1, message: message)
        }

        mutating func skipSpace() {
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): i += 1
                case UInt8(ascii: "\n"):
                    i += 1
                    line += 1
                    lineStart = i
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(SyntaxError) -> Located {
            guard depth < 64 else { throw error("nested too deeply") }
            guard i < bytes.count else { throw error("unexpected end of the document") }
            let at = line
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [Member] = []
                skipSpace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "}") { i += 1; return Located(value: .object(members), line: at) }
                while true {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a key in double quotes") }
                    let key = try string()
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after the key \"\(key)\"") }
                    i += 1
                    skipSpace()
                    members.append(Member(key: key, value: try value(depth: depth + 1)))
                    skipSpace()
                    guard i < bytes.count else { throw error("unexpected end of the document: missing '}'") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return Located(value: .object(members), line: at) }
                    throw error("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [Located] = []
                skipSpace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "]") { i += 1; return Located(value: .array(items), line: at) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < bytes.count else { throw error("unexpected end of the document: missing ']'") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return Located(value: .array(items), line: at) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                return Located(value: .string(try string()), line: at)
            case UInt8(ascii: "t"): try literal("true"); return Located(value: .bool(true), line: at)
            case UInt8(ascii: "f"): try literal("false"); return Located(value: .bool(false), line: at)
            case UInt8(ascii: "n"): try literal("null"); return Located(value: .null, line: at)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return Located(value: .number(try number()), line: at)
            default:
                throw error("unexpected character '\(Character(Unicode.Scalar(bytes[i])))'")
            }
        }

        mutating func literal(_ word: String) throws(SyntaxError) {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { throw error("expected \(word)") }
            i += w.count
        }

        mutating func number() throws(SyntaxError) -> String {
            let start = i
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            func digits(_ p: inout Parser) -> Int {
                let s = p.i
                while p.i < p.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p.bytes[p.i]) { p.i += 1 }
                return p.i - s
            }
            guard digits(&self) > 0 else { throw error("malformed number") }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                guard digits(&self) > 0 else { throw error("malformed number") }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard digits(&self) > 0 else { throw error("malformed number") }
            }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        mutating func string() throws(SyntaxError) -> String {
            i += 1  // opening quote
            var out: [UInt8] = []
            while i < bytes.count {
                let c = bytes[i]
                switch c {
                case UInt8(ascii: "\""):
                    i += 1
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard i + 1 < bytes.count else { throw error("unterminated string") }
                    let e = bytes[i + 1]
                    i += 2
                    switch e {
                    case UInt8(ascii: "\""): out.append(e)
                    case UInt8(ascii: "\\"): out.append(e)
                    case UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "b"): out.append(8)
                    case UInt8(ascii: "f"): out.append(12)
                    case UInt8(ascii: "n"): out.append(10)
                    case UInt8(ascii: "r"): out.append(13)
                    case UInt8(ascii: "t"): out.append(9)
                    case UInt8(ascii: "u"):
                        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16),
                              let scalar = Unicode.Scalar(v) else { throw error("bad \\u escape (surrogates are not accepted)") }
                        i += 4
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default: throw error("bad escape")
                    }
                case 0..<0x20:
                    throw error("control character in a string")
                default:
                    out.append(c)
                    i += 1
                }
            }
            throw error("unterminated string")
        }
    }
}
