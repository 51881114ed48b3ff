import DriftEngine
import DriftNotify
import Testing

@Suite struct IntegrationConfigTests {
    @Test func parsesEveryIntegrationKindInOrder() throws {
        let sender = try NotifyFixture.sender(receivers: """
        [{"name": "team",
          "email_configs": [{"to": "Ops <ops@example.com>, dev@example.com", "from": "driftd@example.com",
                             "smarthost": "mail.example.com:587", "auth_username": "u", "auth_password": "env:SMTP_PW",
                             "hello": "driftd.example.com"}],
          "webhook_configs": [{"url": "http://127.0.0.1:9/hook", "max_alerts": 5},
                              {"url_file": "/run/secrets/hook", "send_resolved": false}],
          "slack_configs": [{"api_url": "https://hooks.slack.com/services/T/B/X", "channel": "#drift",
                             "username": "driftd"}]},
         {"name": "blackhole"}]
        """)
        #expect(sender.integrations(ofReceiver: "team")
                == ["webhook_configs[0]", "webhook_configs[1]", "slack_configs[0]", "email_configs[0]"])
        #expect(sender.integrations(ofReceiver: "blackhole").isEmpty)
        #expect(sender.integrations(ofReceiver: "nobody").isEmpty)
        let team = try #require(sender.integrationsByReceiver["team"])
        #expect(team[0].integration == .webhook(WebhookIntegration(
            url: .literal(Secret("http://127.0.0.1:9/hook")), maxAlerts: 5, sendResolved: true)))
        #expect(team[1].integration == .webhook(WebhookIntegration(url: .file("/run/secrets/hook"), sendResolved: false)))
        #expect(team[2].integration == .slack(SlackIntegration(
            apiURL: .literal(Secret("https://hooks.slack.com/services/T/B/X")), channel: "#drift", username: "driftd")))
        guard case .email(let email) = team[3].integration else {
            Issue.record("expected an email integration")
            return
        }
        #expect(email.recipients == ["ops@example.com", "dev@example.com"])
        #expect(email.sender == "driftd@example.com")
        #expect(email.host == "mail.example.com" && email.port == 587)
        #expect(email.requireTLS)
        #expect(email.authUsername == "u" && email.authPassword == .environment("SMTP_PW"))
        #expect(email.hello == "driftd.example.com")
    }

    @Test(arguments: [
        (#"{"webhook_configs": [{}]}"#, "receivers[0].webhook_configs[0].url", "missing"),
        (#"{"webhook_configs": [{"url": "http://a/", "url_file": "/f"}]}"#, "receivers[0].webhook_configs[0].url_file", "exclusive"),
        (#"{"webhook_configs": [{"url": "ftp://a/"}]}"#, "receivers[0].webhook_configs[0].url", "http"),
        (#"{"webhook_configs": [{"url": "env:"}]}"#, "receivers[0].webhook_configs[0].url", "environment"),
        (#"{"webhook_configs": [{"url": "http://a/", "max_alerts": -1}]}"#, "receivers[0].webhook_configs[0].max_alerts", "non-negative"),
        (#"{"webhook_configs": [{"url": "http://a/", "urls": 1}]}"#, "receivers[0].webhook_configs[0].urls", "unknown key"),
        (#"{"webhook_configs": {"url": "http://a/"}}"#, "receivers[0].webhook_configs", "expected an array"),
        (#"{"pagerduty_configs": []}"#, "receivers[0].pagerduty_configs", "unknown key"),
        (#"{"slack_configs": [{"api_url": 42}]}"#, "receivers[0].slack_configs[0].api_url", "expected a string"),
        (#"{"slack_configs": [{"api_url": "http://a/", "send_resolved": "yes"}]}"#, "receivers[0].slack_configs[0].send_resolved", "true or false"),
        (#"{"email_configs": [{"from": "a@b", "smarthost": "h:25"}]}"#, "receivers[0].email_configs[0].to", "missing"),
        (#"{"email_configs": [{"to": "a@b\r\nBcc: c@d", "from": "a@b", "smarthost": "h:25"}]}"#, "receivers[0].email_configs[0].to", "control"),
        (#"{"email_configs": [{"to": "not-an-address", "from": "a@b", "smarthost": "h:25"}]}"#, "receivers[0].email_configs[0].to", "invalid address"),
        (#"{"email_configs": [{"to": "a@b", "from": "a@b, c@d", "smarthost": "h:25"}]}"#, "receivers[0].email_configs[0].from", "one address"),
        (#"{"email_configs": [{"to": "a@b", "from": "a@b", "smarthost": "nohost"}]}"#, "receivers[0].email_configs[0].smarthost", "host:port"),
        (#"{"email_configs": [{"to": "a@b", "from": "a@b", "smarthost": "h/x:25"}]}"#, "receivers[0].email_configs[0].smarthost", "invalid host"),
        (#"{"email_configs": [{"to": "a@b", "from": "a@b", "smarthost": "h:25", "auth_password": "p"}]}"#, "receivers[0].email_configs[0].auth_username", "missing"),
        (#"{"email_configs": [{"to": "a@b", "from": "a@b", "smarthost": "h:25", "hello": "a b"}]}"#, "receivers[0].email_configs[0].hello", "host name"),
        (#"{"email_configs": [{"to": "a@b", "from": "a@b", "smarthost": "h:25", "tls_config": "yes"}]}"#, "receivers[0].email_configs[0].tls_config", "expected an object"),
        (#"{"email_configs": [{"to": "a@b", "from": "a@b", "smarthost": "h:25", "tls_config": {"cert_file": "/c.pem"}}]}"#, "receivers[0].email_configs[0].tls_config.cert_file", "unknown key"),
        (#"{"email_configs": [{"to": "a@b", "from": "a@b", "smarthost": "h:25", "tls_config": {"ca_file": 42}}]}"#, "receivers[0].email_configs[0].tls_config.ca_file", "expected a string"),
        (#"{"webhook_configs": [{"url": "https://a/", "tls_config": {"ca_file": ""}}]}"#, "receivers[0].webhook_configs[0].tls_config.ca_file", "empty"),
        (#"{"webhook_configs": [{"url": "https://a/", "tls_config": {"insecure_skip_verify": "true"}}]}"#, "receivers[0].webhook_configs[0].tls_config.insecure_skip_verify", "true or false"),
        (#"{"webhook_configs": [{"url": "https://a/", "tls_config": {"ca_file": "/a.pem", "insecure": true}}]}"#, "receivers[0].webhook_configs[0].tls_config.insecure", "unknown key"),
        (#"{"slack_configs": [{"api_url": "https://a/", "tls_config": {"server_name": "relay.internal"}}]}"#, "receivers[0].slack_configs[0].tls_config.server_name", "not supported"),
        (#"{"slack_configs": [{"api_url": "https://a/", "tls_config": {"ca_file": "/a\n.pem"}}]}"#, "receivers[0].slack_configs[0].tls_config.ca_file", "control character"),
        (#"{"slack_configs": [{"api_url": "https://a/", "tls_config": null}]}"#, "receivers[0].slack_configs[0].tls_config", "expected an object"),
    ])
    func rejectsBadConfigurationsNamingTheKeyPath(settings: String, path: String, message: String) throws {
        let receiver = "[{\"name\": \"team\"," + settings.dropFirst() + "]"
        do {
            _ = try NotifyFixture.sender(receivers: receiver)
            Issue.record("accepted \(settings)")
        } catch let error as AlertConfigError {
            #expect(error.path == path)
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test func tlsConfigIsParsedForEveryKindAndVerifiesByDefault() throws {
        let sender = try NotifyFixture.sender(receivers: """
        [{"name": "team",
          "email_configs": [{"to": "a@example.com", "from": "b@example.com", "smarthost": "relay.internal:587",
                             "tls_config": {"ca_file": "/etc/driftd/corp-ca.pem"}}],
          "webhook_configs": [{"url": "https://hook.internal/x", "tls_config": {"insecure_skip_verify": true}},
                              {"url": "https://hook.example.com/y"}],
          "slack_configs": [{"api_url": "https://hooks.slack.com/services/T/B/X",
                             "tls_config": {"ca_file": "ca.pem", "insecure_skip_verify": false}}]}]
        """)
        let team = try #require(sender.integrationsByReceiver["team"])
        guard case .webhook(let insecure) = team[0].integration, case .webhook(let plain) = team[1].integration,
              case .slack(let slack) = team[2].integration, case .email(let email) = team[3].integration else {
            Issue.record("unexpected integrations \(team)")
            return
        }
        #expect(insecure.tls == TLSConfig(caFile: nil, insecureSkipVerify: true))
        #expect(plain.tls == TLSConfig() && plain.tls.caFile == nil && !plain.tls.insecureSkipVerify)
        #expect(slack.tls == TLSConfig(caFile: "ca.pem"))
        #expect(email.tls == TLSConfig(caFile: "/etc/driftd/corp-ca.pem", insecureSkipVerify: false))
    }

    @Test func errorsNameTheReceiverIndex() throws {
        do {
            _ = try NotifyFixture.sender(receivers: #"[{"name": "a"}, {"name": "b", "webhook_configs": [{"url": "x"}]}]"#)
            Issue.record("accepted a webhook URL without a scheme")
        } catch let error as AlertConfigError {
            #expect(error.description == "receivers[1].webhook_configs[0].url: expected an http:// or https:// URL")
        }
    }
}
