/// Minimal JSON text builder (objects, arrays, strings, numbers) for reports and receiver messages; non-finite
/// numbers become null.
public struct JSONWriter {
    public private(set) var text = ""
    private var needsComma = [false]

    public init() {}

    public mutating func beginObject(_ key: String? = nil) { open(key, "{") }
    public mutating func endObject() { close("}") }
    public mutating func beginArray(_ key: String? = nil) { open(key, "[") }
    public mutating func endArray() { close("]") }

    public mutating func field(_ key: String?, _ value: String?) {
        prefix(key)
        if let value { text += Self.quote(value) } else { text += "null" }
    }

    public mutating func field(_ key: String?, _ value: Double?) {
        prefix(key)
        if let value, value.isFinite { text += "\(value)" } else { text += "null" }
    }

    public mutating func field(_ key: String?, _ value: Int?) {
        prefix(key)
        text += value.map(String.init) ?? "null"
    }

    public mutating func field(_ key: String?, _ value: Bool) {
        prefix(key)
        text += value ? "true" : "false"
    }

    private mutating func open(_ key: String?, _ bracket: String) {
        prefix(key)
        text += bracket
        needsComma.append(false)
    }

    private mutating func close(_ bracket: String) {
        needsComma.removeLast()
        text += bracket
    }

    private mutating func prefix(_ key: String?) {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
        if let key { text += Self.quote(key) + ":" }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
