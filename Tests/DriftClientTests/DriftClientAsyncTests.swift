import DriftClient
import DriftWire
import Testing

extension DriftClientTests {
    @Test("the async interface: create, upload, concurrent checks in a task group, list, stats, errors")
    func asyncInterface() async throws {
        let fx = try ServerFixture(maxConcurrentStreams: 3)
        defer { fx.close() }
        let client = try fx.client()
        defer { client.close() }
        let api = client.async
        #expect(try await api.createSource(SourceSpec(name: "payments", features: features)))
        let put = try await api.putBaseline(source: "payments", blocks: [try block(rows: 3000, seed: 1)])
        #expect(put.rows == 3000)

        let shifted = try block(rows: 500, seed: 5, xShift: 3)
        let decisions = try await withThrowingTaskGroup(of: FeatureVerdict.Decision?.self) { group in
            for i in 0..<12 {
                group.addTask { try await api.checkDrift(source: "payments", block: shifted, requestID: "a\(i)").verdicts.first?.decision }
            }
            var all: [FeatureVerdict.Decision?] = []
            for try await d in group { all.append(d) }
            return all
        }
        #expect(decisions == Array(repeating: .drift, count: 12))
        #expect(try await api.listSources().map(\.name) == ["payments"])
        #expect(try await api.getSource("payments").baselineID == put.baselineID)
        #expect(try await api.serverStats().requestsTotal >= 15)
        #expect(try await api.ping() > .zero)
        do {
            _ = try await api.getSource("nope")
            Issue.record("expected NOT_FOUND")
        } catch {
            #expect(error.status == .notFound)
        }
        #expect(client.statistics.peakInFlight <= 3)
    }
}
