import DriftEngine
import DriftNotify
import DriftTestReceivers
import Foundation
import Testing

/// Real deliveries over loopback to a ``RecordingHTTPServer``.
@Suite struct WebhookDeliveryTests {
    static let dashboard = "http://127.0.0.1:7401"

    static func sender(url: String, extra: String = "", timeoutMs: Int = 5_000,
                       environment: [String: String] = [:]) throws -> CurlAlertSender {
        try NotifyFixture.sender(receivers: """
        [{"name": "team", "webhook_configs": [{"url": "\(url)"\(extra)}]}]
        """, timeoutMs: timeoutMs, environment: environment)
    }

    static func deliver(_ sender: CurlAlertSender, _ n: AlertNotification = notification) -> DeliveryOutcome {
        sender.deliver(n, receiver: "team", integration: "webhook_configs[0]", dashboardURL: dashboard)
    }

    static let notification = NotifyFixture.notification(
        firing: [NotifyFixture.alert(feature: NotifyFixture.hostile), NotifyFixture.alert(feature: "amount")],
        resolved: [NotifyFixture.alert(feature: "fee", resolved: true)])

    @Test func okIsDeliveredWithTheAlertmanagerBody() throws {
        let server = try RecordingHTTPServer()
        let outcome = Self.deliver(try Self.sender(url: server.baseURL + "/hook?token=abc"))
        #expect(outcome == .delivered(status: 200))
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/hook?token=abc")
        #expect(request.header("Content-Type") == "application/json")
        let links = DashboardLinks(base: Self.dashboard)
        #expect(request.bodyText == AlertWebhookPayload.body(for: Self.notification, externalURL: Self.dashboard,
                                                             generatorURL: { links.page(of: $0) }))
    }

    @Test func maxAlertsTruncates() throws {
        let server = try RecordingHTTPServer()
        #expect(Self.deliver(try Self.sender(url: server.baseURL + "/", extra: #", "max_alerts": 2"#)) == .delivered(status: 200))
        let body = try #require(server.requests.first).bodyText
        #expect(body.contains("\"truncatedAlerts\":1,"))
        #expect(!body.contains("\"fee\""))
    }

    @Test(arguments: [(500, "retryable"), (503, "retryable"), (408, "retryable"), (429, "retryable"),
                      (400, "permanent"), (404, "permanent"), (301, "permanent")])
    func statusesAreClassified(status: Int, outcome: String) throws {
        let server = try RecordingHTTPServer(mode: .status(status))
        let result = Self.deliver(try Self.sender(url: server.baseURL + "/SECRET-PATH"))
        #expect(result.name == outcome)
        #expect(result.status == status)
        #expect(!result.message.contains("SECRET-PATH"))
        #expect(!result.message.contains("127.0.0.1"))
    }

    @Test func aHangingReceiverTimesOutRetryably() throws {
        let server = try RecordingHTTPServer(mode: .hang)
        let result = Self.deliver(try Self.sender(url: server.baseURL + "/", timeoutMs: 300))
        #expect(result == .retryable(status: nil, message: "timed out after 300 ms"))
        #expect(server.requests.count == 1)
        server.stop()
    }

    @Test func aConnectionClosedWithoutAnswerIsRetryable() throws {
        let server = try RecordingHTTPServer(mode: .closed)
        let result = Self.deliver(try Self.sender(url: server.baseURL + "/"))
        #expect(result.name == "retryable")
        #expect(result.status == nil)
        #expect(result.message.hasPrefix("network error (curl: "))
    }

    @Test func connectionRefusedIsRetryable() throws {
        let server = try RecordingHTTPServer()
        let url = server.baseURL + "/SECRET-PATH"
        server.stop()
        let result = Self.deliver(try Self.sender(url: url))
        #expect(result.name == "retryable")
        #expect(result.status == nil)
        #expect(!result.message.contains("SECRET-PATH") && !result.message.contains("127.0.0.1"))
    }

    @Test func aRotatedSecretFileTakesEffectAtTheNextAttempt() throws {
        let first = try RecordingHTTPServer(), second = try RecordingHTTPServer()
        let path = NotifyFixture.temporaryPath("hook-url")
        defer { unlink(path) }
        try (first.baseURL + "/one\n").write(toFile: path, atomically: true, encoding: .utf8)
        let sender = try NotifyFixture.sender(receivers: """
        [{"name": "team", "webhook_configs": [{"url_file": "\(path)"}]}]
        """)
        #expect(Self.deliver(sender) == .delivered(status: 200))
        try (second.baseURL + "/two\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(Self.deliver(sender) == .delivered(status: 200))
        #expect(first.requests.map(\.path) == ["/one"])
        #expect(second.requests.map(\.path) == ["/two"])
    }

    @Test func environmentURLIsUsed() throws {
        let server = try RecordingHTTPServer()
        let sender = try Self.sender(url: "env:DRIFT_HOOK_URL", environment: ["DRIFT_HOOK_URL": server.baseURL + "/env"])
        #expect(Self.deliver(sender) == .delivered(status: 200))
        #expect(server.requests.map(\.path) == ["/env"])
    }

    @Test func sendResolvedFalseDropsResolvedAlertsAndSkipsResolvedOnlyNotifications() throws {
        let server = try RecordingHTTPServer()
        let sender = try Self.sender(url: server.baseURL + "/", extra: #", "send_resolved": false"#)
        #expect(Self.deliver(sender) == .delivered(status: 200))
        #expect(!(try #require(server.requests.first)).bodyText.contains("\"fee\""))
        let resolvedOnly = NotifyFixture.notification(firing: [], resolved: [NotifyFixture.alert(feature: "fee", resolved: true)])
        #expect(Self.deliver(sender, resolvedOnly) == .delivered(status: 0))
        #expect(server.requests.count == 1)
    }

    // MARK: - HTTPS (the receiver serves the test certificate of Tests/Fixtures/tls)

    @Test func httpsWithTheTestCAIsDelivered() throws {
        let server = try RecordingHTTPServer(tls: try TLSFixtures.serverContext())
        #expect(server.baseURL.hasPrefix("https://127.0.0.1:"))
        let sender = try Self.sender(url: server.baseURL + "/hook?token=abc",
                                     extra: #", "tls_config": {"ca_file": "\#(TLSFixtures.caFile)"}"#)
        #expect(Self.deliver(sender) == .delivered(status: 200))
        let request = try #require(server.requests.first)
        #expect(request.path == "/hook?token=abc")
        #expect(request.bodyText.contains("\"groupKey\""))
        #expect(server.failedHandshakes == 0)
    }

    @Test func httpsWithoutTheCAIsRejectedPermanently() throws {
        let server = try RecordingHTTPServer(tls: try TLSFixtures.serverContext())
        let result = Self.deliver(try Self.sender(url: server.baseURL + "/SECRET-PATH"))
        #expect(result == .permanent(status: nil, message: "TLS certificate rejected: it is signed by an unknown CA "
                                     + "(trust a private CA with tls_config.ca_file)"))
        #expect(!result.message.contains("SECRET-PATH") && !result.message.contains("127.0.0.1"))
        #expect(server.waitForFailedHandshakes(1))
        #expect(server.requests.isEmpty)
    }

    @Test func httpsToACertificateForAnotherHostIsRejectedPermanently() throws {
        let server = try RecordingHTTPServer(tls: try TLSFixtures.otherHostContext())
        let result = Self.deliver(try Self.sender(url: server.baseURL + "/",
                                                  extra: #", "tls_config": {"ca_file": "\#(TLSFixtures.caFile)"}"#))
        #expect(result == .permanent(status: nil, message: "TLS certificate rejected: it does not match the host name"))
        #expect(server.requests.isEmpty)
    }

    @Test func httpsWithInsecureSkipVerifyIsDelivered() throws {
        let server = try RecordingHTTPServer(tls: try TLSFixtures.otherHostContext())  // unknown CA and wrong name
        let sender = try Self.sender(url: server.baseURL + "/", extra: #", "tls_config": {"insecure_skip_verify": true}"#)
        #expect(Self.deliver(sender) == .delivered(status: 200))
        #expect(server.requests.count == 1)
    }

    @Test func slackOverHTTPSWithTheTestCAIsDelivered() throws {
        let server = try RecordingHTTPServer(tls: try TLSFixtures.serverContext())
        let sender = try NotifyFixture.sender(receivers: """
        [{"name": "team", "slack_configs": [{"api_url": "\(server.baseURL)/services/T/B/X",
                                             "tls_config": {"ca_file": "\(TLSFixtures.caFile)"}}]}]
        """)
        let outcome = sender.deliver(Self.notification, receiver: "team", integration: "slack_configs[0]",
                                     dashboardURL: Self.dashboard)
        #expect(outcome == .delivered(status: 200))
        #expect(server.requests.map(\.path) == ["/services/T/B/X"])
    }

    @Test func slackPostsBlockKitJSON() throws {
        let server = try RecordingHTTPServer()
        let sender = try NotifyFixture.sender(receivers: """
        [{"name": "team", "slack_configs": [{"api_url": "\(server.baseURL)/services/T/B/X", "channel": "#drift"}]}]
        """)
        let outcome = sender.deliver(Self.notification, receiver: "team", integration: "slack_configs[0]",
                                     dashboardURL: Self.dashboard)
        #expect(outcome == .delivered(status: 200))
        let request = try #require(server.requests.first)
        #expect(request.path == "/services/T/B/X")
        #expect(request.header("Content-Type") == "application/json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(json["channel"] as? String == "#drift")
        #expect((json["blocks"] as? [Any])?.count == 5)
        #expect(!request.bodyText.contains("<script>"))
    }
}
