/// A named destination of notifications. How it delivers (Slack, email, webhook) is the server's business:
/// the engine keeps the receiver's other configuration keys uninterpreted in ``settings``.
public struct AlertReceiver: Sendable, Equatable {
    public var name: String
    /// Notify when alerts resolve. Default true (Alertmanager's default for webhooks; it is false there for
    /// Slack and email, and set per integration rather than per receiver).
    public var sendResolved: Bool
    /// The receiver object's remaining keys (e.g. `slack_configs`, `webhook_configs`), for the server.
    public var settings: [String: AlertConfigValue]

    public init(name: String, sendResolved: Bool = true, settings: [String: AlertConfigValue] = [:]) {
        self.name = name
        self.sendResolved = sendResolved
        self.settings = settings
    }
}
