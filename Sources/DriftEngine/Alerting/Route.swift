/// One node of the routing tree: which alerts it takes, where they go, how they are grouped and timed.
///
/// Matching follows Alertmanager (`dispatch/route.go`): a node matches when all its matchers match; its
/// children are tried in order, and the first matching child ends the search unless that child has
/// `continue: true`; when no child matches, the node itself is the match. The root has no matchers, so every
/// alert reaches at least one route. Settings (receiver, group_by, the three timers) are already resolved:
/// ``parse(_:)`` fills a child's unset settings from its parent.
public struct Route: Sendable, Equatable {
    /// Alertmanager's defaults: 30 s.
    public static let defaultGroupWaitMs: Int64 = 30_000
    /// 5 min.
    public static let defaultGroupIntervalMs: Int64 = 300_000
    /// 4 h.
    public static let defaultRepeatIntervalMs: Int64 = 14_400_000

    public var matchers: [Matcher]
    public var receiver: String
    public var groupBy: GroupBy
    /// Wait before the first notification of a new group (collects the alerts that fire together).
    public var groupWaitMs: Int64
    /// Minimum time between two notifications of one group that carry a change.
    public var groupIntervalMs: Int64
    /// Time after which an unchanged group is notified again.
    public var repeatIntervalMs: Int64
    /// Keep trying the following siblings after this route matched.
    public var continueMatching: Bool
    public var routes: [Route]
    /// The route's identity in group keys: the parent's key, "/", and the matchers in braces (`{}` for the root,
    /// `{}/{severity="critical"}` below it), with `#i` (the sibling index) appended when siblings would
    /// otherwise share a key. Set by ``parse(_:)`` and ``assignKeys()``.
    public internal(set) var key: String

    public init(matchers: [Matcher] = [], receiver: String, groupBy: GroupBy = .labels([]),
                groupWaitMs: Int64 = Route.defaultGroupWaitMs, groupIntervalMs: Int64 = Route.defaultGroupIntervalMs,
                repeatIntervalMs: Int64 = Route.defaultRepeatIntervalMs, continueMatching: Bool = false,
                routes: [Route] = []) {
        self.matchers = matchers
        self.receiver = receiver
        self.groupBy = groupBy
        self.groupWaitMs = groupWaitMs
        self.groupIntervalMs = groupIntervalMs
        self.repeatIntervalMs = repeatIntervalMs
        self.continueMatching = continueMatching
        self.routes = routes
        self.key = ""
        assignKeys()
    }

    /// Recomputes ``key`` of this node (as the root) and all its descendants.
    public mutating func assignKeys() { assignKeys(parentKey: nil) }

    mutating func assignKeys(parentKey: String?) {
        let own = "{" + matchers.map(\.description).joined(separator: ",") + "}"
        if parentKey == nil { key = own }
        var seen: [String: Int] = [:]
        for i in routes.indices {
            let base = key + "/" + "{" + routes[i].matchers.map(\.description).joined(separator: ",") + "}"
            seen[base, default: 0] += 1
        }
        for i in routes.indices {
            let base = key + "/" + "{" + routes[i].matchers.map(\.description).joined(separator: ",") + "}"
            routes[i].key = seen[base]! > 1 ? base + "#\(i)" : base
            routes[i].assignKeys(parentKey: key)
        }
    }

    /// The routes an alert with these labels goes to, in tree order (empty only when this node's own matchers
    /// fail).
    public func match(_ labels: [String: String]) -> [Route] {
        guard Matcher.all(matchers, match: labels) else { return [] }
        var all: [Route] = []
        for child in routes {
            let found = child.match(labels)
            all += found
            if !found.isEmpty && !child.continueMatching { break }
        }
        return all.isEmpty ? [self] : all
    }

    /// This node and its descendants, depth first.
    public var flattened: [Route] { [self] + routes.flatMap(\.flattened) }
}
