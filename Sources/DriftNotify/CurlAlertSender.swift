import CCurl
#if canImport(Glibc)
import Glibc
#endif
import DriftEngine

/// The real senders: delivers notifications to the webhook, Slack and email integrations of the receivers of
/// an ``AlertConfig`` through libcurl, one blocking attempt per ``deliver(_:receiver:integration:dashboardURL:)``
/// within ``timeoutMs``.
///
/// Integrations are parsed once, at init (errors name the key path, e.g.
/// `receivers[1].slack_configs[0].api_url`); secrets are resolved at every attempt (``SecretReference``).
/// An integration whose `send_resolved` is false drops resolved alerts; a notification left with nothing to
/// say is not sent and counts as `.delivered(status: 0)`. Unknown receivers or integration ids, unreadable
/// secrets, URLs that are not http(s), an unreadable `tls_config.ca_file` and certificates that fail
/// verification are `.permanent`. TLS certificates are verified (peer and host name) unless an integration's
/// ``TLSConfig/insecureSkipVerify`` says otherwise.
public struct CurlAlertSender: AlertDelivering {
    /// The default per-attempt timeout (connect + transfer).
    public static let defaultTimeoutMs = 10_000

    /// Receiver name → its integrations in configuration order.
    public let integrationsByReceiver: [String: [IdentifiedIntegration]]
    public let timeoutMs: Int
    private let environment: @Sendable (String) -> String?

    /// - Parameters:
    ///   - environment: looks up `env:NAME` secrets (default: the process environment, read at send time).
    public init(config: AlertConfig, timeoutMs: Int = CurlAlertSender.defaultTimeoutMs,
                environment: @escaping @Sendable (String) -> String? = CurlAlertSender.processEnvironment)
        throws(AlertConfigError) {
        var map: [String: [IdentifiedIntegration]] = [:]
        for (i, receiver) in config.receivers.enumerated() {
            map[receiver.name] = try ReceiverIntegration.parse(receiver, path: "receivers[\(i)]")
        }
        integrationsByReceiver = map
        self.timeoutMs = timeoutMs
        self.environment = environment
    }

    /// `getenv`, for ``init(config:timeoutMs:environment:)``.
    public static let processEnvironment: @Sendable (String) -> String? = { name in
        getenv(name).map { String(cString: $0) }
    }

    public func integrations(ofReceiver receiver: String) -> [String] {
        integrationsByReceiver[receiver]?.map(\.id) ?? []
    }

    public func deliver(_ notification: AlertNotification, receiver: String, integration: String,
                        dashboardURL: String?) -> DeliveryOutcome {
        guard let found = integrationsByReceiver[receiver]?.first(where: { $0.id == integration }) else {
            return .permanent(status: nil, message: "receiver \"\(receiver)\" has no integration \(integration)")
        }
        var n = notification
        if !found.integration.sendResolved { n.resolved = [] }
        if n.firing.isEmpty && n.resolved.isEmpty { return .delivered(status: 0) }
        do {
            try checkCAFile(found.integration.tls, id: integration)
            switch found.integration {
            case .webhook(let config):
                let url = try resolveURL(config.url, id: integration, key: "url")
                let links = dashboardURL.map(DashboardLinks.init(base:))
                let body = AlertWebhookPayload.body(for: n, externalURL: dashboardURL ?? "", maxAlerts: config.maxAlerts,
                                                    generatorURL: { links?.page(of: $0) })
                return postJSON(url: url, body: body, tls: config.tls)
            case .slack(let config):
                let url = try resolveURL(config.apiURL, id: integration, key: "api_url")
                return postJSON(url: url, body: SlackMessage.body(for: n, integration: config, dashboardURL: dashboardURL),
                                tls: config.tls)
            case .email(let config):
                let password = try config.authPassword.map { reference throws(DeliveryFailure) in
                    try resolve(reference, id: integration)
                }
                let message = EmailMessage.render(n, integration: config, dashboardURL: dashboardURL)
                return sendMail(message, config: config, password: password)
            }
        } catch {
            return .permanent(status: nil, message: error.message)
        }
    }

    /// A delivery that cannot start (an unresolvable secret, a secret that is not a URL).
    struct DeliveryFailure: Error { var message: String }

    private func resolve(_ reference: SecretReference, id: String) throws(DeliveryFailure) -> Secret {
        do { return try reference.resolve(environment: environment) } catch {
            throw DeliveryFailure(message: "\(id): \(error.message)")
        }
    }

    private func resolveURL(_ reference: SecretReference, id: String, key: String) throws(DeliveryFailure) -> Secret {
        let url = try resolve(reference, id: id)
        if !IntegrationReading.isHTTPURL(url.value) {
            throw DeliveryFailure(message: "\(id): \(key) is not an http:// or https:// URL")
        }
        return url
    }

    /// `tls_config.ca_file` is read at each delivery (like the `*_file` secrets); one that cannot be opened fails
    /// the delivery here, with its path (not a secret), rather than as curl's generic CA error.
    private func checkCAFile(_ tls: TLSConfig, id: String) throws(DeliveryFailure) {
        guard let path = tls.caFile, !tls.insecureSkipVerify else { return }
        guard let file = fopen(path, "r") else {
            let reason = String(cString: strerror(errno))
            throw DeliveryFailure(message: "\(id): tls_config.ca_file: cannot read \"\(path)\" (\(reason))")
        }
        fclose(file)
    }

    /// The certificate checks of `tls` (curl verifies peer and host name by default, against the system CAs).
    private func configureTLS(_ curl: CurlEasy, _ tls: TLSConfig) {
        if let caFile = tls.caFile { curl.set(CURLOPT_CAINFO, caFile) }
        if tls.insecureSkipVerify {
            curl.set(CURLOPT_SSL_VERIFYPEER, 0)
            curl.set(CURLOPT_SSL_VERIFYHOST, 0)
        } else {
            curl.set(CURLOPT_SSL_VERIFYPEER, 1)
            curl.set(CURLOPT_SSL_VERIFYHOST, 2)
        }
    }

    private func postJSON(url: Secret, body: String, tls: TLSConfig) -> DeliveryOutcome {
        guard let curl = CurlEasy(url: url.value, timeoutMs: timeoutMs) else {
            return .retryable(status: nil, message: "libcurl could not be initialised")
        }
        configureTLS(curl, tls)
        curl.set(CURLOPT_POST, 1)
        curl.set(CURLOPT_HTTPHEADER, list: ["Content-Type: application/json", "User-Agent: driftd", "Expect:"])
        let bytes = Array(body.utf8)
        curl.setUpload(bytes)
        curl.set(CURLOPT_POSTFIELDSIZE_LARGE, bytes.count)
        return DeliveryClassifier.http(curl.perform(), timeoutMs: timeoutMs)
    }

    private func sendMail(_ message: String, config: EmailIntegration, password: Secret?) -> DeliveryOutcome {
        guard let curl = CurlEasy(url: config.url, timeoutMs: timeoutMs) else {
            return .retryable(status: nil, message: "libcurl could not be initialised")
        }
        curl.set(CURLOPT_USE_SSL, Int(config.requireTLS ? CURLUSESSL_ALL.rawValue : CURLUSESSL_TRY.rawValue))
        configureTLS(curl, config.tls)
        curl.set(CURLOPT_MAIL_FROM, "<\(config.sender)>")
        curl.set(CURLOPT_MAIL_RCPT, list: config.recipients.map { "<\($0)>" })
        if let user = config.authUsername {
            curl.set(CURLOPT_USERNAME, user)
            curl.set(CURLOPT_PASSWORD, password?.value ?? "")
        }
        curl.set(CURLOPT_UPLOAD, 1)
        curl.setUpload(Array(message.utf8))
        return DeliveryClassifier.smtp(curl.perform(), timeoutMs: timeoutMs)
    }
}
