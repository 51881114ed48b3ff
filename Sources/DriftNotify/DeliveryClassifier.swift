import CCurl
import DriftEngine

/// Turns a libcurl result into a ``DeliveryOutcome`` by the table of `DeliveryOutcome.swift`. Messages name the
/// status or curl's generic error text, never the URL or host (webhook URLs are secrets).
enum DeliveryClassifier {
    /// An HTTP attempt: 2xx delivered; 408, 429, 5xx, network errors and timeouts retryable; other statuses
    /// (4xx, and 3xx: redirects are not followed) and URLs curl refuses permanent.
    static func http(_ r: CurlResult, timeoutMs: Int) -> DeliveryOutcome {
        guard r.succeeded else { return transportFailure(r, timeoutMs: timeoutMs) }
        let s = r.responseCode
        switch s {
        case 200..<300: return .delivered(status: s)
        case 408, 429, 500..<600: return .retryable(status: s, message: "HTTP \(s)")
        case 300..<400: return .permanent(status: s, message: "HTTP \(s) (redirects are not followed)")
        case 400..<500: return .permanent(status: s, message: "HTTP \(s)")
        default: return .retryable(status: s, message: "unexpected HTTP status \(s)")
        }
    }

    /// An SMTP attempt: success (250 after DATA) delivered; a 4xx reply retryable, a 5xx reply permanent (also
    /// failed AUTH, 535); no STARTTLS while `require_tls` permanent; network errors and timeouts retryable.
    static func smtp(_ r: CurlResult, timeoutMs: Int) -> DeliveryOutcome {
        let s = r.responseCode
        if r.succeeded { return .delivered(status: s == 0 ? 250 : s) }
        if r.code == CURLE_USE_SSL_FAILED {
            return .permanent(status: s == 0 ? nil : s,
                              message: "SMTP server does not offer STARTTLS (require_tls is true)")
        }
        if r.code == CURLE_LOGIN_DENIED {
            return .permanent(status: s == 0 ? nil : s, message: "SMTP authentication failed (\(s))")
        }
        switch s {
        case 400..<500: return .retryable(status: s, message: "SMTP \(s) (\(r.curlMessage))")
        case 500..<600: return .permanent(status: s, message: "SMTP \(s) (\(r.curlMessage))")
        default: return transportFailure(r, timeoutMs: timeoutMs)
        }
    }

    private static func transportFailure(_ r: CurlResult, timeoutMs: Int) -> DeliveryOutcome {
        let status = r.responseCode == 0 ? nil : r.responseCode
        if r.isTimeout { return .retryable(status: status, message: "timed out after \(timeoutMs) ms") }
        switch r.code {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN, CURLE_FAILED_INIT:
            return .permanent(status: status, message: "unusable URL (curl: \(r.curlMessage))")
        default:
            return .retryable(status: status, message: "network error (curl: \(r.curlMessage))")
        }
    }
}
