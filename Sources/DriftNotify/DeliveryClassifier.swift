import CCurl
import DriftEngine

/// Turns a libcurl result into a ``DeliveryOutcome`` by the table of `DeliveryOutcome.swift`. Messages name the
/// status or curl's generic error text, never the URL or host (webhook URLs are secrets).
enum DeliveryClassifier {
    /// An HTTP attempt: 2xx delivered; 408, 429, 5xx, network errors and timeouts retryable; other statuses
    /// (4xx, and 3xx: redirects are not followed), URLs curl refuses and certificate problems (``tls(_:)``)
    /// permanent.
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
    /// failed AUTH, 535); no STARTTLS while `require_tls` permanent; certificate problems (``tls(_:)``) permanent;
    /// network errors and timeouts retryable.
    static func smtp(_ r: CurlResult, timeoutMs: Int) -> DeliveryOutcome {
        let s = r.responseCode
        if r.succeeded { return .delivered(status: s == 0 ? 250 : s) }
        if let outcome = tls(r) { return outcome }
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

    /// A TLS failure, or nil for any other result. A certificate that is not trusted or does not match the host,
    /// and a CA bundle that cannot be loaded, are configuration problems: permanent, the problem named (from
    /// OpenSSL's verification result), never the host or the URL. A handshake that breaks off otherwise (the
    /// connection reset, no common protocol version) is retryable. No status: the last reply, if any, is only
    /// SMTP's 220 to STARTTLS.
    static func tls(_ r: CurlResult) -> DeliveryOutcome? {
        switch r.code {
        case CURLE_PEER_FAILED_VERIFICATION:
            let (problem, untrustedIssuer) = certificateProblem(r.certificateVerifyResult)
            return .permanent(status: nil, message: "TLS certificate rejected: " + problem
                              + (untrustedIssuer ? " (trust a private CA with tls_config.ca_file)" : ""))
        case CURLE_SSL_CACERT_BADFILE:
            return .permanent(status: nil, message: "TLS CA certificates could not be loaded: tls_config.ca_file "
                              + "(or, without it, the system's CA bundle) is not a PEM bundle")
        case CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CRL_BADFILE:
            return .permanent(status: nil, message: "TLS configuration error (curl: \(r.curlMessage))")
        case CURLE_SSL_CONNECT_ERROR:
            return .retryable(status: nil, message: "TLS handshake failed (curl: \(r.curlMessage))")
        default:
            return nil
        }
    }

    /// OpenSSL's X509 verification result (`X509_V_ERR_*`) in words. A chain OpenSSL refuses fails the handshake
    /// and curl stores its result; curl's own host-name check runs after the handshake, before curl stores the
    /// (then good) result, so a failed verification that still reports curl's initial `!X509_V_OK` (1) is a
    /// host-name mismatch. `untrustedIssuer`: the problem is one `tls_config.ca_file` can solve.
    static func certificateProblem(_ verifyResult: Int) -> (problem: String, untrustedIssuer: Bool) {
        switch verifyResult {
        case 1, 62, 64: ("it does not match the host name", false)
        case 2, 20: ("it is signed by an unknown CA", true)
        case 9: ("it is not yet valid", false)
        case 10: ("it has expired", false)
        case 18: ("it is self-signed", true)
        case 19: ("its chain ends in an untrusted self-signed CA", true)
        case 21: ("its issuer could not be verified", true)
        case 23: ("it has been revoked", false)
        case 26: ("it is not meant for a TLS server", false)
        default: ("verification failed (X509 error \(verifyResult))", false)
        }
    }

    private static func transportFailure(_ r: CurlResult, timeoutMs: Int) -> DeliveryOutcome {
        let status = r.responseCode == 0 ? nil : r.responseCode
        if r.isTimeout { return .retryable(status: status, message: "timed out after \(timeoutMs) ms") }
        if let outcome = tls(r) { return outcome }
        switch r.code {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN, CURLE_FAILED_INIT:
            return .permanent(status: status, message: "unusable URL (curl: \(r.curlMessage))")
        default:
            return .retryable(status: status, message: "network error (curl: \(r.curlMessage))")
        }
    }
}
