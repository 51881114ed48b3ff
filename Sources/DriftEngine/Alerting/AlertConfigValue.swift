/// An already-parsed configuration tree (the shape of JSON), the input of ``AlertConfig/parse(_:)``,
/// ``Route/parse(_:)`` and friends. DriftEngine reads no text: the server's JSON reader produces this value.
public enum AlertConfigValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([AlertConfigValue])
    case object([String: AlertConfigValue])

    /// "object", "array", "string", "number", "bool", "null" — for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
