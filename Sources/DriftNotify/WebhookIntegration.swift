import DriftEngine

/// One `webhook_configs` entry: POSTs the Alertmanager webhook JSON (``AlertWebhookPayload``) to a URL.
///
/// Keys: `url` or `url_file` (a secret: the URL often carries a token), `max_alerts` (0 = all, default),
/// `send_resolved` (default true; the receiver's own `send_resolved` has already filtered resolved alerts,
/// false here drops them for this integration only), `tls_config` (how an `https://` server's certificate is
/// checked: ``TLSConfig``).
public struct WebhookIntegration: Sendable, Equatable {
    public var url: SecretReference
    public var maxAlerts: Int
    public var sendResolved: Bool
    public var tls: TLSConfig

    public init(url: SecretReference, maxAlerts: Int = 0, sendResolved: Bool = true, tls: TLSConfig = TLSConfig()) {
        self.url = url
        self.maxAlerts = maxAlerts
        self.sendResolved = sendResolved
        self.tls = tls
    }

    static func parse(_ value: AlertConfigValue, path: String) throws(AlertConfigError) -> WebhookIntegration {
        let o = try value.object(at: path, allowed: ["url", "url_file", "max_alerts", "send_resolved", "tls_config"])
        let url = try SecretReference.parse(value: o["url"], fileValue: o["url_file"], path: path, key: "url",
                                            fileKey: "url_file")
        try IntegrationReading.checkHTTPURL(url, path: path + ".url")
        return WebhookIntegration(
            url: url,
            maxAlerts: try o["max_alerts"].map { v throws(AlertConfigError) in
                try IntegrationReading.count(v, at: path + ".max_alerts")
            } ?? 0,
            sendResolved: try o["send_resolved"]?.bool(at: path + ".send_resolved") ?? true,
            tls: try TLSConfig.parse(o["tls_config"], path: path + ".tls_config"))
    }
}
