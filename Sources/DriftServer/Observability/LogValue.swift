/// A value of a log field.
public enum LogValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case string(String)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case bool(Bool)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }

    /// The value as JSON (non-finite doubles as strings: JSON has no NaN).
    var json: String {
        switch self {
        case .string(let s): JSONText.string(s)
        case .int(let v): String(v)
        case .uint(let v): String(v)
        case .double(let v): v.isFinite ? String(v) : JSONText.string(String(v))
        case .bool(let v): v ? "true" : "false"
        }
    }

    /// The value in a text line: bare when it is a plain word, else as a JSON string (quoted, escaped).
    var text: String {
        switch self {
        case .string(let s):
            let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { u in
                u.value > 0x20 && u.value < 0x7F && u != "\"" && u != "=" && u != "\\"
            }
            return plain ? s : JSONText.string(s)
        case .int(let v): return String(v)
        case .uint(let v): return String(v)
        case .double(let v): return String(v)
        case .bool(let v): return v ? "true" : "false"
        }
    }
}
