import DriftEngine
import DriftServer
import Foundation
import Testing

/// driftd's alerting configuration: the config file's `alerting` object and `--alerts-config`, with errors that
/// name the file, the line and the key path — and never a secret.
@Suite("driftd alerting options")
struct AlertingOptionsTests {
    static let alerting = """
        {"route": {"receiver": "team", "group_by": ["source"], "group_wait": "30s",
                   "routes": [{"matchers": ["severity=\\"critical\\""], "receiver": "oncall", "group_wait": "0s"}]},
         "receivers": [
           {"name": "team", "slack_configs": [{"api_url": "env:SLACK_WEBHOOK_URL", "channel": "#drift"}]},
           {"name": "oncall",
            "webhook_configs": [{"url_file": "/etc/driftd/pager-url"}],
            "email_configs": [{"to": "oncall@example.com", "from": "driftd@example.com", "smarthost": "smtp.example.com:587",
                               "auth_username": "driftd", "auth_password": "env:SMTP_PASSWORD"}]}],
         "delivery": {"initial_backoff_ms": 500, "max_backoff_ms": 60000, "max_age_ms": 3600000, "timeout_ms": 5000}}
        """

    static func error(config: String) -> String? {
        do {
            let path = try DriftdOptionsTests.file(config)
            defer { try? FileManager.default.removeItem(atPath: path) }
            _ = try DriftdOptions.parse(["--config", path]).alertingOptions()
            return nil
        } catch {
            return "\(error)".replacingOccurrences(of: #"^.*\.json: "#, with: "", options: .regularExpression)
        }
    }

    @Test("the config file's alerting object: routes, receivers with their integrations, delivery settings")
    func fromConfigFile() throws {
        let path = try DriftdOptionsTests.file("{\n  \"port\": 0,\n  \"alerting\": \(Self.alerting)\n}")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let options = try DriftdOptions.parse(["--config", path])
        let a = try #require(try options.alertingOptions())
        #expect(a.config.route.receiver == "team" && a.config.route.groupWaitMs == 30_000)
        #expect(a.config.route.routes.first?.receiver == "oncall" && a.config.route.routes.first?.groupWaitMs == 0)
        #expect(a.sender.integrations(ofReceiver: "team") == ["slack_configs[0]"])
        #expect(a.sender.integrations(ofReceiver: "oncall") == ["webhook_configs[0]", "email_configs[0]"])
        #expect(a.sender.timeoutMs == 5000)
        #expect(a.deliverySettings == AlertDeliverySettings(initialBackoffMs: 500, maximumBackoffMs: 60_000,
                                                            maximumAgeMs: 3_600_000))
        #expect(try DriftdOptions.parse([]).alertingOptions() == nil)
    }

    @Test("--alerts-config replaces the config file's alerting object")
    func alertsConfigFlag() throws {
        let main = try DriftdOptionsTests.file("{\"alerting\": {\"route\": {\"receiver\": \"x\"}, \"receivers\": [{\"name\": \"x\"}]}}")
        let alerts = try DriftdOptionsTests.file(Self.alerting)
        defer { for p in [main, alerts] { try? FileManager.default.removeItem(atPath: p) } }
        let a = try #require(try DriftdOptions.parse(["--config", main, "--alerts-config", alerts]).alertingOptions())
        #expect(a.config.receivers.map(\.name) == ["team", "oncall"])
        let b = try #require(try DriftdOptions.parse(["--config", main]).alertingOptions())
        #expect(b.config.receivers.map(\.name) == ["x"])
    }

    @Test("errors name the line and the key path; a literal secret is never echoed")
    func errors() throws {
        #expect(Self.error(config: "{\"alerting\": {\n \"route\": {\"receiver\": \"team\",\n \"group_wait\": \"soon\"},\n \"receivers\": [{\"name\": \"team\"}]}}")
                == "line 3: alerting.route.group_wait: invalid duration \"soon\" (e.g. 30s, 5m, 4h, 1h30m)")
        #expect(Self.error(config: "{\"alerting\": {\"route\": {\"receiver\": \"nobody\"}, \"receivers\": []}}")
                == "line 1: alerting.route.receiver: undefined receiver \"nobody\"")
        #expect(Self.error(config: "{\"alerting\": {\"route\": {\"receiver\": \"t\"},\n \"receivers\": [{\"name\": \"t\",\n \"webhook_configs\": [{\"url\": \"ftp://hooks.example.com/T0K3N-secret\"}]}]}}")
                == "line 3: alerting.receivers[0].webhook_configs[0].url: expected an http:// or https:// URL")
        #expect(Self.error(config: "{\"alerting\": {\"route\": {\"receiver\": \"t\"}, \"receivers\": [{\"name\": \"t\"}],\n \"delivery\": {\"timeout_ms\": 5}}}")
                == "line 2: alerting.delivery.timeout_ms: expected an integer from 100 to 600000")
        #expect(Self.error(config: "{\"alerting\": [1]}") == "line 1: key 'alerting' must be an object, not an array")
        #expect(Self.error(config: "{\"alerting\": {\"route\": {\"receiver\": \"t\"}, \"receivers\": [{\"name\": \"t\"}], \"routes\": 1}}")
                == "line 1: alerting.routes: unknown key")
    }
}

extension AlertingOptionsTests {
    @Test("the README's alerting example is a valid driftd config")
    func readmeExample() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let start = try #require(text.range(of: "```json\n{\n  \"alerting\""))
        let end = try #require(text.range(of: "\n```", range: start.upperBound..<text.endIndex))
        let json = String(text[text.index(start.lowerBound, offsetBy: 8)..<end.lowerBound])
        let path = try DriftdOptionsTests.file(json)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let a = try #require(try DriftdOptions.parse(["--config", path]).alertingOptions())
        #expect(a.config.receivers.map(\.name) == ["team", "payments-team", "oncall"])
        #expect(a.sender.integrations(ofReceiver: "oncall") == ["webhook_configs[0]", "slack_configs[0]", "email_configs[0]"])
        #expect(a.config.route.routes.count == 2 && a.config.inhibitRules.count == 1)
    }
}
