import DriftEngine
import DriftNotify
import DriftTestReceivers
import Foundation
import Testing

/// Real deliveries over loopback to a ``RecordingSMTPServer``: plain SMTP (it offers no STARTTLS), and STARTTLS
/// with the test certificates of Tests/Fixtures/tls (``TLSFixtures``).
@Suite struct SMTPDeliveryTests {
    /// - Parameter tlsConfig: the `tls_config` object as JSON text; nil leaves it out.
    static func sender(port: UInt16, host: String = "127.0.0.1", requireTLS: Bool = false,
                       password: String = "env:SMTP_PASSWORD", tlsConfig: String? = nil,
                       timeoutMs: Int = 5_000) throws -> CurlAlertSender {
        try NotifyFixture.sender(receivers: """
        [{"name": "team", "email_configs": [{"to": "Ops <ops@example.com>, dev@example.com",
          "from": "driftd@example.com", "smarthost": "\(host):\(port)", "require_tls": \(requireTLS),
          "auth_username": "alerts", "auth_password": "\(password)", "hello": "driftd.test"\(
            tlsConfig.map { ", \"tls_config\": " + $0 } ?? "")}]}]
        """, timeoutMs: timeoutMs, environment: ["SMTP_PASSWORD": "s3cret-pw"])
    }

    /// `{"ca_file": <the test CA>}`.
    static let trustTestCA = #"{"ca_file": "\#(TLSFixtures.caFile)"}"#

    /// The message of ``deliver(_:)`` as it must arrive: envelope, headers and both MIME parts.
    static func expectIntact(_ message: RecordingSMTPServer.Message) {
        #expect(message.from == "driftd@example.com")
        #expect(message.recipients == ["ops@example.com", "dev@example.com"])
        #expect(message.hello == "driftd.test")
        let headers = NotifyFixture.headers(message.data)
        #expect(headers.contains("Message-ID: <0123456789abcdef.1@driftd.example.com>"))
        #expect(headers.contains("Subject: [FIRING:2] payments: 2 features drifting"))
        let parts = NotifyFixture.mimeParts(message.data)
        #expect(parts.map(\.type) == ["Content-Type: text/plain; charset=UTF-8", "Content-Type: text/html; charset=UTF-8"])
        #expect(parts.first?.body.contains("amount") == true)
        #expect(parts.last?.body.contains("&lt;script&gt;") == true)
    }

    static func deliver(_ sender: CurlAlertSender) -> DeliveryOutcome {
        sender.deliver(NotifyFixture.notification(firing: [NotifyFixture.alert(feature: NotifyFixture.hostile),
                                                           NotifyFixture.alert(feature: "amount")]),
                       receiver: "team", integration: "email_configs[0]", dashboardURL: "http://127.0.0.1:7401")
    }

    @Test func aMessageIsSentWithAuthAndBothParts() throws {
        let server = try RecordingSMTPServer()
        server.credentials = ("alerts", "s3cret-pw")
        #expect(Self.deliver(try Self.sender(port: server.port)) == .delivered(status: 250))
        let message = try #require(server.messages.first)
        Self.expectIntact(message)
        #expect(message.authUser == "alerts" && message.authPassword == "s3cret-pw")
        #expect(message.tlsVersion == nil && !message.commands.contains("STARTTLS"))
    }

    @Test(arguments: [(RecordingSMTPServer.Stage.mail, 451, "retryable"), (.mail, 550, "permanent"),
                      (.rcpt, 452, "retryable"), (.rcpt, 550, "permanent"),
                      (.data, 421, "retryable"), (.data, 554, "permanent")])
    func smtpRepliesAreClassified(stage: RecordingSMTPServer.Stage, code: Int, outcome: String) throws {
        let server = try RecordingSMTPServer()
        server.failure = (stage, code)
        let result = Self.deliver(try Self.sender(port: server.port))
        #expect(result.name == outcome)
        #expect(result.status == code)
        #expect(server.messages.isEmpty)
        #expect(!result.message.contains("s3cret-pw"))
    }

    @Test func wrongCredentialsArePermanent() throws {
        let server = try RecordingSMTPServer()
        server.credentials = ("alerts", "another-password")
        let result = Self.deliver(try Self.sender(port: server.port))
        #expect(result == .permanent(status: 535, message: "SMTP authentication failed (535)"))
        #expect(server.authAttempts >= 1)
        #expect(server.messages.isEmpty)
    }

    @Test func requireTLSAgainstAServerWithoutSTARTTLSIsPermanent() throws {
        let server = try RecordingSMTPServer()
        let result = Self.deliver(try Self.sender(port: server.port, requireTLS: true))
        #expect(result.name == "permanent")
        #expect(result.message == "SMTP server does not offer STARTTLS (require_tls is true)")
        #expect(server.messages.isEmpty)
        #expect(server.authAttempts == 0)  // no credentials over an unencrypted connection
    }

    // MARK: - STARTTLS (the server advertises it and upgrades with the test certificate)

    @Test(arguments: ["127.0.0.1", "localhost"])  // the certificate names both (IP and DNS subjectAltName)
    func startTLSWithTheTestCADeliversOverTLS(host: String) throws {
        let server = try RecordingSMTPServer(tls: try TLSFixtures.serverContext())
        server.credentials = ("alerts", "s3cret-pw")
        let sender = try Self.sender(port: server.port, host: host, requireTLS: true, tlsConfig: Self.trustTestCA)
        #expect(Self.deliver(sender) == .delivered(status: 250))
        let message = try #require(server.messages.first)
        #expect(message.tlsVersion?.hasPrefix("TLSv1.") == true)
        // STARTTLS first; AUTH, MAIL, RCPT and DATA only over the upgraded connection.
        #expect(message.commands == ["EHLO", "STARTTLS", "EHLO", "AUTH PLAIN", "MAIL", "RCPT", "RCPT", "DATA"])
        #expect(message.authMechanism == "PLAIN" && message.authUser == "alerts" && message.authPassword == "s3cret-pw")
        #expect(server.startTLSCommands == 1 && server.failedHandshakes == 0)
        Self.expectIntact(message)
    }

    @Test func withoutTheCAFileTheTestCertificateIsRejectedPermanently() throws {
        let server = try RecordingSMTPServer(tls: try TLSFixtures.serverContext())
        let result = Self.deliver(try Self.sender(port: server.port, requireTLS: true))
        #expect(result == .permanent(status: nil, message: "TLS certificate rejected: it is signed by an unknown CA "
                                     + "(trust a private CA with tls_config.ca_file)"))
        #expect(!result.message.contains("s3cret-pw") && !result.message.contains("127.0.0.1"))
        #expect(server.startTLSCommands == 1)
        #expect(server.waitForFailedHandshakes(1))
        #expect(server.authAttempts == 0)  // the password never left
        #expect(server.messages.isEmpty)
    }

    @Test func requireTLSFalseStillVerifiesTheCertificateWhenTheServerOffersSTARTTLS() throws {
        let server = try RecordingSMTPServer(tls: try TLSFixtures.serverContext())
        let result = Self.deliver(try Self.sender(port: server.port, requireTLS: false))
        #expect(result.name == "permanent")
        #expect(result.message.hasPrefix("TLS certificate rejected: it is signed by an unknown CA"))
        #expect(server.authAttempts == 0)
        #expect(server.messages.isEmpty)
    }

    @Test func aCertificateForAnotherHostIsRejectedPermanently() throws {
        let server = try RecordingSMTPServer(tls: try TLSFixtures.otherHostContext())
        let result = Self.deliver(try Self.sender(port: server.port, requireTLS: true, tlsConfig: Self.trustTestCA))
        #expect(result.name == "permanent")
        #expect(result.message == "TLS certificate rejected: it does not match the host name")
        #expect(!result.message.contains("s3cret-pw") && !result.message.contains("127.0.0.1"))
        #expect(server.authAttempts == 0)
        #expect(server.messages.isEmpty)
    }

    @Test func anExpiredCertificateIsRejectedPermanently() throws {
        let server = try RecordingSMTPServer(tls: try TLSFixtures.expiredContext())
        let result = Self.deliver(try Self.sender(port: server.port, requireTLS: true, tlsConfig: Self.trustTestCA))
        #expect(result == .permanent(status: nil, message: "TLS certificate rejected: it has expired"))
        #expect(server.authAttempts == 0)
        #expect(server.messages.isEmpty)
    }

    @Test func insecureSkipVerifyDeliversWithoutTheCA() throws {
        let server = try RecordingSMTPServer(tls: try TLSFixtures.otherHostContext())  // unknown CA and wrong name
        let sender = try Self.sender(port: server.port, requireTLS: true, tlsConfig: #"{"insecure_skip_verify": true}"#)
        #expect(Self.deliver(sender) == .delivered(status: 250))
        let message = try #require(server.messages.first)
        #expect(message.tlsVersion != nil)
        #expect(message.commands.prefix(3) == ["EHLO", "STARTTLS", "EHLO"])
        Self.expectIntact(message)
    }

    @Test func aMissingCAFileFailsTheDeliveryPermanentlyBeforeConnecting() throws {
        let server = try RecordingSMTPServer(tls: try TLSFixtures.serverContext())
        let path = NotifyFixture.temporaryPath("no-such-ca.pem")
        let sender = try Self.sender(port: server.port, requireTLS: true, tlsConfig: #"{"ca_file": "\#(path)"}"#)
        let result = Self.deliver(sender)
        #expect(result == .permanent(status: nil, message: "email_configs[0]: tls_config.ca_file: cannot read \"\(path)\" "
                                     + "(No such file or directory)"))
        #expect(server.startTLSCommands == 0 && server.messages.isEmpty)
    }

    @Test func aCAFileThatIsNotPEMIsPermanent() throws {
        let server = try RecordingSMTPServer(tls: try TLSFixtures.serverContext())
        let path = NotifyFixture.temporaryPath("garbage-ca.pem")
        defer { unlink(path) }
        try "not a certificate\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = Self.deliver(try Self.sender(port: server.port, requireTLS: true, tlsConfig: #"{"ca_file": "\#(path)"}"#))
        #expect(result.name == "permanent")
        #expect(result.message == "TLS CA certificates could not be loaded: tls_config.ca_file "
                + "(or, without it, the system's CA bundle) is not a PEM bundle")
        #expect(server.authAttempts == 0 && server.messages.isEmpty)
    }

    @Test func anUnreachableSmarthostIsRetryable() throws {
        let server = try RecordingSMTPServer()
        let port = server.port
        server.stop()
        let result = Self.deliver(try Self.sender(port: port))
        #expect(result.name == "retryable")
        #expect(result.status == nil)
    }
}
