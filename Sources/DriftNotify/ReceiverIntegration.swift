import DriftEngine

/// One way a receiver delivers: a generic webhook, a Slack webhook or an email, with its stable id
/// (`"webhook_configs[0]"`, `"slack_configs[1]"`, `"email_configs[0]"`).
public enum ReceiverIntegration: Sendable, Equatable {
    case webhook(WebhookIntegration)
    case slack(SlackIntegration)
    case email(EmailIntegration)

    /// The receiver setting keys, in the order the integrations of a receiver are listed.
    static let keys = ["webhook_configs", "slack_configs", "email_configs"]

    public var sendResolved: Bool {
        switch self {
        case .webhook(let w): w.sendResolved
        case .slack(let s): s.sendResolved
        case .email(let e): e.sendResolved
        }
    }

    /// Its `tls_config`.
    public var tls: TLSConfig {
        switch self {
        case .webhook(let w): w.tls
        case .slack(let s): s.tls
        case .email(let e): e.tls
        }
    }

    /// The integrations of a receiver from its settings, with their ids; `path` is where the receiver sits in
    /// the configuration (`receivers[2]`). Unknown setting keys are errors.
    public static func parse(_ receiver: AlertReceiver, path: String) throws(AlertConfigError) -> [IdentifiedIntegration] {
        let settings = try AlertConfigValue.object(receiver.settings).object(at: path, allowed: Set(keys))
        var out: [IdentifiedIntegration] = []
        for key in keys {
            guard let list = settings[key] else { continue }
            for (i, item) in try list.array(at: path + "." + key).enumerated() {
                let id = "\(key)[\(i)]"
                let itemPath = path + "." + id
                let integration: ReceiverIntegration
                switch key {
                case "webhook_configs": integration = .webhook(try WebhookIntegration.parse(item, path: itemPath))
                case "slack_configs": integration = .slack(try SlackIntegration.parse(item, path: itemPath))
                default: integration = .email(try EmailIntegration.parse(item, path: itemPath))
                }
                out.append(IdentifiedIntegration(id: id, integration: integration))
            }
        }
        return out
    }
}
