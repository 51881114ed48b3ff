import DriftEngine

/// One `slack_configs` entry: POSTs a Block Kit message (``SlackMessage``) to a Slack incoming webhook.
///
/// Keys: `api_url` or `api_url_file` (a secret), `channel` and `username` (optional overrides, honoured by
/// legacy webhooks only), `send_resolved` (default true, as for ``WebhookIntegration``), `tls_config`
/// (``TLSConfig``).
public struct SlackIntegration: Sendable, Equatable {
    public var apiURL: SecretReference
    public var channel: String?
    public var username: String?
    public var sendResolved: Bool
    public var tls: TLSConfig

    public init(apiURL: SecretReference, channel: String? = nil, username: String? = nil, sendResolved: Bool = true,
                tls: TLSConfig = TLSConfig()) {
        self.apiURL = apiURL
        self.channel = channel
        self.username = username
        self.sendResolved = sendResolved
        self.tls = tls
    }

    static func parse(_ value: AlertConfigValue, path: String) throws(AlertConfigError) -> SlackIntegration {
        let o = try value.object(at: path, allowed: ["api_url", "api_url_file", "channel", "username",
                                                     "send_resolved", "tls_config"])
        let url = try SecretReference.parse(value: o["api_url"], fileValue: o["api_url_file"], path: path,
                                            key: "api_url", fileKey: "api_url_file")
        try IntegrationReading.checkHTTPURL(url, path: path + ".api_url")
        return SlackIntegration(
            apiURL: url,
            channel: try o["channel"]?.string(at: path + ".channel"),
            username: try o["username"]?.string(at: path + ".username"),
            sendResolved: try o["send_resolved"]?.bool(at: path + ".send_resolved") ?? true,
            tls: try TLSConfig.parse(o["tls_config"], path: path + ".tls_config"))
    }
}
