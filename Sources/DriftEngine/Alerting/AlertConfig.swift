/// The alerting configuration: the routing tree, the receivers and the inhibition rules.
public struct AlertConfig: Sendable, Equatable {
    public var route: Route
    public var receivers: [AlertReceiver]
    public var inhibitRules: [InhibitionRule]

    public init(route: Route, receivers: [AlertReceiver], inhibitRules: [InhibitionRule] = InhibitionRule.defaults) {
        self.route = route
        self.receivers = receivers
        self.inhibitRules = inhibitRules
    }

    /// The receiver with this name (a default one — send_resolved true — when it is not declared).
    public func receiver(named name: String) -> AlertReceiver {
        receivers.first { $0.name == name } ?? AlertReceiver(name: name)
    }

    /// Reads `{route: {...}, receivers: [{name, send_resolved?, ...}], inhibit_rules?: [...]}`.
    /// Receivers need a unique non-empty `name`; every receiver a route names must be declared. Without
    /// `inhibit_rules` the ``InhibitionRule/defaults`` apply; an explicit empty list turns inhibition off.
    public static func parse(_ value: AlertConfigValue) throws(AlertConfigError) -> AlertConfig {
        let o = try value.object(at: "", allowed: ["route", "receivers", "inhibit_rules"])
        guard let routeValue = o["route"] else { throw AlertConfigError(path: "route", message: "missing") }
        let route = try Route.parse(routeValue, path: "route")
        guard let receiversValue = o["receivers"] else { throw AlertConfigError(path: "receivers", message: "missing") }
        var receivers: [AlertReceiver] = []
        for (i, item) in try receiversValue.array(at: "receivers").enumerated() {
            let path = "receivers[\(i)]"
            guard case .object(var members) = item else {
                throw AlertConfigError(path: path, message: "expected an object, found \(item.typeName)")
            }
            guard let nameValue = members.removeValue(forKey: "name") else {
                throw AlertConfigError(path: path + ".name", message: "missing")
            }
            let name = try nameValue.string(at: path + ".name")
            if name.isEmpty { throw AlertConfigError(path: path + ".name", message: "empty receiver name") }
            if receivers.contains(where: { $0.name == name }) {
                throw AlertConfigError(path: path + ".name", message: "duplicate receiver \"\(name)\"")
            }
            let sendResolved = try members.removeValue(forKey: "send_resolved")?.bool(at: path + ".send_resolved") ?? true
            receivers.append(AlertReceiver(name: name, sendResolved: sendResolved, settings: members))
        }
        var inhibitRules = InhibitionRule.defaults
        if let v = o["inhibit_rules"] {
            inhibitRules = []
            for (i, item) in try v.array(at: "inhibit_rules").enumerated() {
                inhibitRules.append(try InhibitionRule.parse(item, path: "inhibit_rules[\(i)]"))
            }
        }
        try checkReceivers(route, path: "route", declared: Set(receivers.map(\.name)))
        return AlertConfig(route: route, receivers: receivers, inhibitRules: inhibitRules)
    }

    private static func checkReceivers(_ route: Route, path: String, declared: Set<String>) throws(AlertConfigError) {
        guard declared.contains(route.receiver) else {
            throw AlertConfigError(path: path + ".receiver", message: "undefined receiver \"\(route.receiver)\"")
        }
        for (i, child) in route.routes.enumerated() {
            try checkReceivers(child, path: "\(path).routes[\(i)]", declared: declared)
        }
    }
}
