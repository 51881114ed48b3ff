import DriftClient
import DriftColumnar
import DriftServer
import DriftWire
import Foundation
import Synchronization
import Testing

@Suite("DriftClient")
struct DriftClientTests {
    @Test("full flow: create (idempotent, conflicting), baseline, stable and drifting checks, get, list, stats")
    func fullFlow() throws {
        let fx = try ServerFixture()
        defer { fx.close() }
        let client = try fx.client()
        defer { client.close() }

        let spec = SourceSpec(name: "payments", features: features)
        #expect(try client.createSource(spec))
        #expect(try client.createSource(spec) == false)
        let conflicting = SourceSpec(name: "payments", features: [FeatureSpec(name: "x", type: 1)])
        let conflict = try #require(caught { try client.createSource(conflicting) })
        #expect(conflict.status == .alreadyExists)
        #expect(conflict.origin == .server)
        #expect(conflict.message.contains("payments"))
        #expect(conflict.description.hasPrefix("ALREADY_EXISTS: "))
        #expect(!conflict.retryable)

        let put = try client.putBaseline(source: "payments", blocks: [try block(rows: 4000, seed: 1)])
        #expect(put.baselineID > 0)
        #expect(put.rows == 4000)

        let got = try client.getSource("payments")
        #expect(got.source == spec)
        #expect(got.baselineID == put.baselineID)
        #expect(try client.listSources().map(\.name) == ["payments"])

        let stable = try client.checkDrift(source: "payments", block: try block(rows: 3000, seed: 2))
        #expect(stable.baselineID == put.baselineID)
        #expect(stable.verdicts.map(\.feature) == ["x", "c"])
        for v in stable.verdicts { #expect(v.decision == .stable, "\(v)") }

        let shifted = try client.checkDrift(source: "payments", block: try block(rows: 3000, seed: 3, xShift: 1),
                                            requestID: "shifted")
        #expect(shifted.verdicts[0].decision == .drift)
        #expect(shifted.verdicts[0].severity != .none)
        #expect((shifted.verdicts[0].ksD ?? 0) > 0.2)
        #expect(shifted.verdicts[1].decision == .stable)

        let stats = try client.serverStats()
        #expect(stats.requestsTotal >= 8)
        #expect(stats.connections == 1)
        #expect(client.statistics.connectionsOpened == 1)
    }
}
