/// A receiver integration with its stable id (`"slack_configs[0]"`), as ``CurlAlertSender`` keeps it.
public struct IdentifiedIntegration: Sendable, Equatable {
    public var id: String
    public var integration: ReceiverIntegration

    public init(id: String, integration: ReceiverIntegration) {
        self.id = id
        self.integration = integration
    }
}
