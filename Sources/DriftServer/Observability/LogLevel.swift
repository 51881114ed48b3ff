/// How severe a log line is; a `Logger` writes lines at or above its level.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case debug = 0, info, warning, error

    /// The spelling of `--log-level` and of the `level` field.
    public var name: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    /// From `debug`, `info`, `warning` (or `warn`), `error`.
    public init?(name: String) {
        switch name {
        case "debug": self = .debug
        case "info": self = .info
        case "warning", "warn": self = .warning
        case "error": self = .error
        default: return nil
        }
    }

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
}

/// How a log line is written: one JSON object per line, or `ts LEVEL msg key=value …` for people.
public enum LogFormat: String, Sendable, CaseIterable {
    case json, text
}
