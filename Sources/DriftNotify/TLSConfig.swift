import DriftEngine

/// The `tls_config` object of an email, webhook or Slack integration (Alertmanager's, restricted to what libcurl
/// can honour): how the server's certificate is checked on TLS connections (`https://` URLs, STARTTLS, smtps).
///
/// Keys:
/// - `ca_file`: a PEM bundle of the CA certificates to trust instead of the system's (`CURLOPT_CAINFO`) — for
///   relays and endpoints behind a private CA. The file is read at each delivery, like the `*_file` secrets: a
///   missing or unreadable file fails that delivery permanently with a message naming the key and the path
///   (the configuration is not checked against the filesystem when it is loaded).
/// - `insecure_skip_verify` (default false): accept any certificate for any host name
///   (`CURLOPT_SSL_VERIFYPEER`/`CURLOPT_SSL_VERIFYHOST` 0). For testing only: the connection is still encrypted
///   but no longer authenticated, so anyone on the path can read the alert and the SMTP password.
///
/// Alertmanager's `server_name` is refused: libcurl checks the certificate against the host of the URL or the
/// smarthost, so connect by the name the certificate carries. Client certificates (`cert_file`, `key_file`)
/// and the other Alertmanager keys are refused as unknown.
public struct TLSConfig: Sendable, Equatable {
    /// The CA bundle to trust; nil: the system's CAs.
    public var caFile: String?
    /// Certificate and host-name verification off (testing only).
    public var insecureSkipVerify: Bool

    /// The default: system CAs, full verification.
    public init(caFile: String? = nil, insecureSkipVerify: Bool = false) {
        self.caFile = caFile
        self.insecureSkipVerify = insecureSkipVerify
    }

    /// `value` is the `tls_config` member (nil when absent: the default); `path` names it
    /// (`receivers[0].email_configs[0].tls_config`).
    static func parse(_ value: AlertConfigValue?, path: String) throws(AlertConfigError) -> TLSConfig {
        guard let value else { return TLSConfig() }
        let o = try value.object(at: path, allowed: ["ca_file", "insecure_skip_verify", "server_name"])
        if o["server_name"] != nil {
            throw AlertConfigError(
                path: path + ".server_name",
                message: "not supported (the certificate is checked against the host being connected to)")
        }
        let caFile = try o["ca_file"]?.string(at: path + ".ca_file")
        if let caFile {
            if caFile.isEmpty { throw AlertConfigError(path: path + ".ca_file", message: "empty") }
            if caFile.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                throw AlertConfigError(path: path + ".ca_file", message: "control character")
            }
        }
        let insecure = try o["insecure_skip_verify"]?.bool(at: path + ".insecure_skip_verify") ?? false
        return TLSConfig(caFile: caFile, insecureSkipVerify: insecure)
    }
}
