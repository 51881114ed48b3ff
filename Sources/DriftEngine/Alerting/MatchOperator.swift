/// The four matcher operators of Alertmanager.
public enum MatchOperator: String, Sendable, Equatable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case regexMatch = "=~"
    case regexNoMatch = "!~"

    /// The byte stored by ``AlertDispatcher/encode()``.
    var code: UInt8 {
        switch self {
        case .equal: 0
        case .notEqual: 1
        case .regexMatch: 2
        case .regexNoMatch: 3
        }
    }

    init?(code: UInt8) {
        guard let op = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = op
    }
}
