/// Sends notifications to receivers. The server's delivery worker calls it outside every lock, one attempt at
/// a time per outbox item, and records the outcome; retries and backoff are the outbox's, not the sender's.
///
/// A receiver has zero or more integrations, each named by a stable id made of its configuration key and index
/// (`"webhook_configs[0]"`, `"slack_configs[1]"`, `"email_configs[0]"`), so an outbox item written before a
/// restart still names the same integration afterwards. Implementations resolve secrets (webhook URLs, SMTP
/// passwords) when they send, never put them in a ``DeliveryOutcome`` message, and return within their own
/// timeout.
public protocol AlertDelivering: Sendable {
    /// The integration ids of a receiver, in configuration order; empty for an unknown receiver or one with
    /// no integrations (a "blackhole").
    func integrations(ofReceiver receiver: String) -> [String]

    /// One attempt to deliver `notification` through one integration of `receiver`.
    /// `dashboardURL` (e.g. `http://127.0.0.1:7401`), when known, is used for links in the message.
    func deliver(_ notification: AlertNotification, receiver: String, integration: String,
                 dashboardURL: String?) -> DeliveryOutcome
}
