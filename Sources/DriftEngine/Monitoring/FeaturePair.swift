/// Two features whose correlation is monitored (declared in ``MonitoringPolicy/correlationGroups``).
public struct FeaturePair: Sendable, Hashable {
    public var first: String
    public var second: String

    public init(_ first: String, _ second: String) {
        self.first = first
        self.second = second
    }
}
