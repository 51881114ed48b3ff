extension Route {
    /// Reads a routing tree (the root) from an object with the keys of Alertmanager's `route`:
    /// `receiver` (required at the root), `matchers` (list of matcher strings; not allowed at the root),
    /// `group_by` (label names, or `["..."]` for all labels), `group_wait`, `group_interval`,
    /// `repeat_interval` (Prometheus durations; the interval ones must be positive), `continue` (not at the
    /// root) and `routes` (children). A child inherits every unset setting except `continue` from its parent;
    /// the root's unset timers are Alertmanager's defaults (30s / 5m / 4h) and its unset `group_by` is none
    /// (one group). Errors name the key path under `path` (e.g. `route.routes[0].group_wait`).
    public static func parse(_ value: AlertConfigValue, path: String = "route") throws(AlertConfigError) -> Route {
        var root = try parse(value, path: path, parent: nil)
        root.assignKeys()
        return root
    }

    private static let keys: Set<String> = ["receiver", "matchers", "group_by", "group_wait", "group_interval",
                                            "repeat_interval", "continue", "routes"]

    private static func parse(_ value: AlertConfigValue, path: String, parent: Route?) throws(AlertConfigError) -> Route {
        let o = try value.object(at: path, allowed: keys)
        func p(_ key: String) -> String { AlertConfigValue.join(path, key) }
        var route = Route(receiver: parent?.receiver ?? "", groupBy: parent?.groupBy ?? .labels([]),
                          groupWaitMs: parent?.groupWaitMs ?? defaultGroupWaitMs,
                          groupIntervalMs: parent?.groupIntervalMs ?? defaultGroupIntervalMs,
                          repeatIntervalMs: parent?.repeatIntervalMs ?? defaultRepeatIntervalMs)
        if let v = o["receiver"] {
            route.receiver = try v.string(at: p("receiver"))
            if route.receiver.isEmpty { throw AlertConfigError(path: p("receiver"), message: "empty receiver name") }
        } else if parent == nil {
            throw AlertConfigError(path: p("receiver"), message: "the root route needs a receiver")
        }
        if let v = o["matchers"] {
            if parent == nil { throw AlertConfigError(path: p("matchers"), message: "the root route must not have matchers") }
            route.matchers = try v.matchers(at: p("matchers"))
        }
        if let v = o["group_by"] {
            let names = try v.stringArray(at: p("group_by"))
            if names.contains("...") {
                guard names.count == 1 else {
                    throw AlertConfigError(path: p("group_by"), message: "\"...\" cannot be combined with other labels")
                }
                route.groupBy = .all
            } else {
                var seen = Set<String>()
                for (i, name) in names.enumerated() {
                    guard Matcher.isValidLabelName(name) else {
                        throw AlertConfigError(path: "\(p("group_by"))[\(i)]", message: "invalid label name \"\(name)\"")
                    }
                    guard seen.insert(name).inserted else {
                        throw AlertConfigError(path: "\(p("group_by"))[\(i)]", message: "duplicate label \"\(name)\"")
                    }
                }
                route.groupBy = .labels(names)
            }
        }
        if let v = o["group_wait"] { route.groupWaitMs = try v.duration(at: p("group_wait")) }
        if let v = o["group_interval"] {
            route.groupIntervalMs = try v.duration(at: p("group_interval"))
            if route.groupIntervalMs == 0 { throw AlertConfigError(path: p("group_interval"), message: "must be positive") }
        }
        if let v = o["repeat_interval"] {
            route.repeatIntervalMs = try v.duration(at: p("repeat_interval"))
            if route.repeatIntervalMs == 0 { throw AlertConfigError(path: p("repeat_interval"), message: "must be positive") }
        }
        if let v = o["continue"] {
            if parent == nil { throw AlertConfigError(path: p("continue"), message: "not allowed at the root") }
            route.continueMatching = try v.bool(at: p("continue"))
        }
        if let v = o["routes"] {
            for (i, child) in try v.array(at: p("routes")).enumerated() {
                route.routes.append(try parse(child, path: "\(p("routes"))[\(i)]", parent: route))
            }
        }
        return route
    }
}
