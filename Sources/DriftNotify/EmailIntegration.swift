import DriftEngine

/// One `email_configs` entry: sends a MIME message (``EmailMessage``) through an SMTP smarthost.
///
/// Keys: `to` (one or more addresses, comma-separated, `Name <addr>` allowed), `from` (one address),
/// `smarthost` (`host:port`; port 465 means implicit TLS — smtps —, any other port plain SMTP upgraded with
/// STARTTLS), `require_tls` (default true: STARTTLS is required and a server without it fails the delivery
/// permanently; false: STARTTLS when the server offers it, plain text otherwise), `auth_username` with
/// `auth_password` or `auth_password_file` (a secret; AUTH is used when a username is set), `hello` (the
/// EHLO name, default curl's), `send_resolved` (default true, as for ``WebhookIntegration``), `tls_config` (how the
/// server's certificate is checked: ``TLSConfig``).
public struct EmailIntegration: Sendable, Equatable {
    /// The `to` header value as configured.
    public var to: String
    /// The bare addresses of `to`, for RCPT TO.
    public var recipients: [String]
    /// The `from` header value as configured.
    public var from: String
    /// The bare address of `from`, for MAIL FROM.
    public var sender: String
    public var host: String
    public var port: Int
    public var requireTLS: Bool
    public var authUsername: String?
    public var authPassword: SecretReference?
    public var hello: String?
    public var sendResolved: Bool
    public var tls: TLSConfig

    public init(to: String, from: String, host: String, port: Int, requireTLS: Bool = true,
                authUsername: String? = nil, authPassword: SecretReference? = nil, hello: String? = nil,
                sendResolved: Bool = true, tls: TLSConfig = TLSConfig()) {
        self.to = to
        self.recipients = to.split(separator: ",").map { EmailIntegration.bareAddress(String($0)) }
        self.from = from
        self.sender = EmailIntegration.bareAddress(from)
        self.host = host
        self.port = port
        self.requireTLS = requireTLS
        self.authUsername = authUsername
        self.authPassword = authPassword
        self.hello = hello
        self.sendResolved = sendResolved
        self.tls = tls
    }

    /// `smtps://host:465` or `smtp://host:port`, with the EHLO name as the path (curl's convention).
    var url: String {
        (port == 465 ? "smtps://" : "smtp://") + host + ":" + String(port) + "/" + (hello ?? "")
    }

    static func parse(_ value: AlertConfigValue, path: String) throws(AlertConfigError) -> EmailIntegration {
        let o = try value.object(at: path, allowed: ["to", "from", "smarthost", "require_tls", "auth_username",
                                                     "auth_password", "auth_password_file", "hello",
                                                     "send_resolved", "tls_config"])
        func required(_ key: String) throws(AlertConfigError) -> String {
            guard let v = o[key] else { throw AlertConfigError(path: path + "." + key, message: "missing") }
            let s = try v.string(at: path + "." + key)
            if s.isEmpty { throw AlertConfigError(path: path + "." + key, message: "empty") }
            return s
        }
        let to = try required("to")
        for part in to.split(separator: ",", omittingEmptySubsequences: false) {
            try checkAddress(String(part), path: path + ".to")
        }
        let from = try required("from")
        if from.contains(",") { throw AlertConfigError(path: path + ".from", message: "expected one address") }
        try checkAddress(from, path: path + ".from")
        let (host, port) = try parseSmarthost(try required("smarthost"), path: path + ".smarthost")
        let username = try o["auth_username"]?.string(at: path + ".auth_username")
        var password: SecretReference? = nil
        if o["auth_password"] != nil || o["auth_password_file"] != nil {
            password = try SecretReference.parse(value: o["auth_password"], fileValue: o["auth_password_file"],
                                                 path: path, key: "auth_password", fileKey: "auth_password_file")
            if username == nil {
                throw AlertConfigError(path: path + ".auth_username", message: "missing (auth_password is set)")
            }
        }
        let hello = try o["hello"]?.string(at: path + ".hello")
        if let hello, hello.isEmpty || !hello.unicodeScalars.allSatisfy(isHostCharacter) {
            throw AlertConfigError(path: path + ".hello", message: "expected a host name")
        }
        if let username, username.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw AlertConfigError(path: path + ".auth_username", message: "control character")
        }
        return EmailIntegration(to: to, from: from, host: host, port: port,
                                requireTLS: try o["require_tls"]?.bool(at: path + ".require_tls") ?? true,
                                authUsername: username, authPassword: password, hello: hello,
                                sendResolved: try o["send_resolved"]?.bool(at: path + ".send_resolved") ?? true,
                                tls: try TLSConfig.parse(o["tls_config"], path: path + ".tls_config"))
    }

    /// The address inside `<…>` when present, else the trimmed text.
    static func bareAddress(_ text: String) -> String {
        if let open = text.lastIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            return String(text[text.index(after: open)..<close])
        }
        return IntegrationReading.trimmed(text)
    }

    private static func checkAddress(_ text: String, path: String) throws(AlertConfigError) {
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw AlertConfigError(path: path, message: "control character in an address")
        }
        let address = bareAddress(text)
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count != 2 || parts[0].isEmpty || parts[1].isEmpty
            || address.contains(where: { $0 == " " || $0 == "<" || $0 == ">" || $0 == "\"" }) {
            throw AlertConfigError(path: path, message: "invalid address \"\(text)\"")
        }
    }

    private static func parseSmarthost(_ text: String, path: String) throws(AlertConfigError) -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65_535).contains(port) else {
            throw AlertConfigError(path: path, message: "expected host:port")
        }
        let host = String(text[..<colon])
        if host.isEmpty || !host.unicodeScalars.allSatisfy(isHostCharacter) {
            throw AlertConfigError(path: path, message: "invalid host")
        }
        return (host, port)
    }

    /// Letters, digits, `.`, `-`, `_`, and `[`, `]`, `:` for IPv6 literals.
    private static func isHostCharacter(_ u: Unicode.Scalar) -> Bool {
        switch u {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_", "[", "]", ":": true
        default: false
        }
    }
}
