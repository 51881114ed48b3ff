import DriftEngine
import DriftNotify
import DriftTestReceivers
import Testing

/// Real deliveries over loopback to a ``RecordingSMTPServer`` (plain SMTP: it offers no STARTTLS).
@Suite struct SMTPDeliveryTests {
    static func sender(port: UInt16, requireTLS: Bool = false, password: String = "env:SMTP_PASSWORD",
                       timeoutMs: Int = 5_000) throws -> CurlAlertSender {
        try NotifyFixture.sender(receivers: """
        [{"name": "team", "email_configs": [{"to": "Ops <ops@example.com>, dev@example.com",
          "from": "driftd@example.com", "smarthost": "127.0.0.1:\(port)", "require_tls": \(requireTLS),
          "auth_username": "alerts", "auth_password": "\(password)", "hello": "driftd.test"}]}]
        """, timeoutMs: timeoutMs, environment: ["SMTP_PASSWORD": "s3cret-pw"])
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
        #expect(message.from == "driftd@example.com")
        #expect(message.recipients == ["ops@example.com", "dev@example.com"])
        #expect(message.authUser == "alerts" && message.authPassword == "s3cret-pw")
        #expect(message.hello == "driftd.test")
        let headers = NotifyFixture.headers(message.data)
        #expect(headers.contains("Message-ID: <0123456789abcdef.1@driftd.example.com>"))
        #expect(headers.contains("Subject: [FIRING:2] payments: 2 features drifting"))
        let parts = NotifyFixture.mimeParts(message.data)
        #expect(parts.map(\.type) == ["Content-Type: text/plain; charset=UTF-8", "Content-Type: text/html; charset=UTF-8"])
        #expect(parts.last?.body.contains("&lt;script&gt;") == true)
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

    @Test func anUnreachableSmarthostIsRetryable() throws {
        let server = try RecordingSMTPServer()
        let port = server.port
        server.stop()
        let result = Self.deliver(try Self.sender(port: port))
        #expect(result.name == "retryable")
        #expect(result.status == nil)
    }
}
