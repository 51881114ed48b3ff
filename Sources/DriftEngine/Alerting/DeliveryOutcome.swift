/// What one attempt to hand a notification to one receiver integration (a Slack webhook, an SMTP server, a
/// generic webhook) came to. The delivery layer classifies; the outbox decides what happens next.
///
/// - `delivered`: the receiver accepted it (HTTP 2xx, SMTP 250 after DATA).
/// - `retryable`: worth trying again later with backoff — network errors, timeouts, HTTP 5xx, 408 and 429,
///   SMTP 4xx replies.
/// - `permanent`: trying again cannot help — HTTP 4xx other than 408/429, SMTP 5xx replies, a receiver whose
///   configuration is unusable (missing secret file, bad URL). Recorded and given up.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered(status: Int)
    case retryable(status: Int?, message: String)
    case permanent(status: Int?, message: String)

    /// "delivered", "retryable" or "permanent": the `outcome` label of the delivery counters.
    public var name: String {
        switch self {
        case .delivered: "delivered"
        case .retryable: "retryable"
        case .permanent: "permanent"
        }
    }

    /// The protocol status the receiver answered with (HTTP status, SMTP reply code), nil when none arrived.
    public var status: Int? {
        switch self {
        case .delivered(let s): s
        case .retryable(let s, _), .permanent(let s, _): s
        }
    }

    /// A one-line description for the attempt record; never contains a secret (URLs are not included).
    public var message: String {
        switch self {
        case .delivered(let s): "delivered (\(s))"
        case .retryable(_, let m), .permanent(_, let m): m
        }
    }
}
