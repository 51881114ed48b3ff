/// Which labels split a route's alerts into groups.
public enum GroupBy: Sendable, Equatable {
    /// Alerts with equal values of these labels share a group (absent labels are left out of the group's
    /// labels); an empty list puts all of the route's alerts in one group.
    case labels([String])
    /// `...`: every label — one group per alert (aggregation off).
    case all

    /// The group labels of an alert under this rule.
    public func groupLabels(of labels: [String: String]) -> [String: String] {
        switch self {
        case .all:
            return labels
        case .labels(let names):
            var out: [String: String] = [:]
            for name in names { if let v = labels[name], !v.isEmpty { out[name] = v } }
            return out
        }
    }
}
