import DriftEngine
import DriftNotify
import Foundation
import Testing

@Suite struct SecretTests {
    static let token = "T0KEN-5ECRET-VALUE"

    @Test func secretsNeverDescribeTheirValue() {
        let secret = Secret("https://hooks.slack.com/services/\(Self.token)")
        #expect("\(secret)" == "<secret>")
        #expect(String(reflecting: secret) == "<secret>")
        #expect(secret.value.contains(Self.token))
        #expect(SecretReference.literal(secret).description == "<secret>")
        #expect(SecretReference.environment("HOOK").description == "env:HOOK")
    }

    @Test func senderDescriptionDoesNotRevealSecrets() throws {
        let sender = try NotifyFixture.sender(receivers: """
        [{"name": "team", "webhook_configs": [{"url": "http://127.0.0.1:9/\(Self.token)"}],
          "email_configs": [{"to": "a@b.c", "from": "d@e.f", "smarthost": "h:25", "auth_username": "u",
                             "auth_password": "pw-\(Self.token)"}]}]
        """)
        #expect(!String(describing: sender).contains(Self.token))
        #expect(!String(reflecting: sender).contains(Self.token))
        #expect(!String(describing: sender.integrationsByReceiver).contains(Self.token))
    }

    @Test func fileSecretsAreTrimmedAndReadAgainAtEveryResolve() throws {
        let path = NotifyFixture.temporaryPath("secret")
        defer { unlink(path) }
        try "first-value\n".write(toFile: path, atomically: true, encoding: .utf8)
        let reference = SecretReference.file(path)
        #expect(try reference.resolve(environment: { _ in nil }).value == "first-value")
        try "rotated-value\r\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try reference.resolve(environment: { _ in nil }).value == "rotated-value")
    }

    @Test func environmentSecretsComeFromTheLookup() throws {
        let reference = SecretReference.environment("DRIFT_HOOK")
        #expect(try reference.resolve(environment: { $0 == "DRIFT_HOOK" ? Self.token : nil }).value == Self.token)
        #expect(throws: SecretError(message: "environment variable DRIFT_HOOK is not set")) {
            try reference.resolve(environment: { _ in nil })
        }
    }

    @Test func missingFileErrorNamesTheFileNotAValue() {
        let path = NotifyFixture.temporaryPath("absent")
        do {
            _ = try SecretReference.file(path).resolve(environment: { _ in nil })
            Issue.record("resolved a missing file")
        } catch {
            #expect(error.message.contains(path))
            #expect(error.message.contains("cannot read"))
        }
    }

    @Test func unresolvableSecretsArePermanentDeliveryFailures() throws {
        let missing = NotifyFixture.temporaryPath("missing")
        let sender = try NotifyFixture.sender(receivers: """
        [{"name": "team", "webhook_configs": [{"url": "env:DRIFT_HOOK"}, {"url_file": "\(missing)"},
                                              {"url": "env:NOT_A_URL"}]}]
        """, environment: ["NOT_A_URL": "ftp://\(Self.token)"])
        let n = NotifyFixture.notification(firing: [NotifyFixture.alert(feature: "amount")])
        let outcomes = sender.integrations(ofReceiver: "team").map {
            sender.deliver(n, receiver: "team", integration: $0, dashboardURL: nil)
        }
        #expect(outcomes[0] == .permanent(status: nil, message: "webhook_configs[0]: environment variable DRIFT_HOOK is not set"))
        #expect(outcomes[1].name == "permanent" && outcomes[1].message.contains(missing))
        #expect(outcomes[2] == .permanent(status: nil, message: "webhook_configs[2]: url is not an http:// or https:// URL"))
        for o in outcomes { #expect(!o.message.contains(Self.token)) }
        #expect(sender.deliver(n, receiver: "team", integration: "slack_configs[0]", dashboardURL: nil).name == "permanent")
        #expect(sender.deliver(n, receiver: "nobody", integration: "webhook_configs[0]", dashboardURL: nil).name == "permanent")
    }
}
