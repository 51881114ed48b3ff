import DriftFakeServer
import DriftClient
import DriftServer
import DriftWire
import Foundation
import Synchronization
import Testing

/// The typed monitoring calls (PROTOCOL §13, ids 7–15) at unit level, against a `FakeServer` (the real server is
/// exercised in `DriftClientIngestTests` and `DriftServerTests/MonitoringQueryTests`): each call sends its method id with the request encoded in the metadata (Ingest with the
/// block in the body), and decodes the canned answer; local refusals and malformed answers become typed errors.
@Suite struct DriftClientMonitoringTests {
    /// The requests a fake server received: (method, metadata, body length).
    final class Seen: Sendable {
        let calls = Mutex<[(MethodID?, [UInt8], Int)]>([])
    }

    static let window = WindowRange(startMs: 1_733_270_400_000, endMs: 1_733_274_000_000)

    /// The canned answer of each method.
    static func answer(_ method: MethodID) -> [UInt8] {
        switch method {
        case .ingest:
            IngestResponse(rowsAccepted: 500, rowsLate: 2, windowsTouched: [window],
                           windowsClosed: [ClosedWindow(window: window, baselineID: 3,
                                                        verdicts: [FeatureVerdict(feature: "x", decision: .drift)])]).encode()
        case .reportModelMetric: ReportModelMetricResponse(window: window, replaced: true).encode()
        case .queryHistory:
            QueryHistoryResponse(rows: [HistoryRow(source: "s", feature: "x", window: window, pAdjusted: 0.003)],
                                 nextPageToken: [1, 2]).encode()
        case .getSourceStatus:
            GetSourceStatusResponse(freshness: .stale, eventAgeMs: 90_000_000, staleRule: "max_event_age_ms",
                                    features: [FeatureStatusEntry(feature: "x", status: .drifting)], lateRows: 7).encode()
        case .listBaselines:
            ListBaselinesResponse(baselines: [BaselineVersion(id: 1, kind: .fixed), BaselineVersion(id: 2, current: true)]).encode()
        case .promoteBaseline, .rollbackBaseline:
            BaselineChangeResponse(current: BaselineVersion(id: 1, current: true), previousID: 2).encode()
        case .acknowledgeWindow: AcknowledgeWindowResponse(acknowledged: true, window: window).encode()
        case .performanceCorrelation:
            PerformanceCorrelationResponse(features: [FeatureCorrelation(feature: "x", rho: -0.7, lag: 1, n: 40,
                                                                         rank: 1)], windowsUsed: 41).encode()
        default: []
        }
    }

    /// A fake driftd answering every request with `answer(method)` and recording (method, metadata, body size).
    static func fake(_ seen: Seen) throws -> FakeServer {
        try FakeServer { c, _ in
            while let r = c.receiveRequest() {
                let method = MethodID(rawValue: r.header.methodID)
                seen.calls.withLock { $0.append((method, r.metadata, r.body.count)) }
                c.respond(to: r, metadata: method.map(answer) ?? [])
            }
        }
    }

    @Test("the real driftd serves ReportModelMetric, QueryHistory, the baseline versions and PerformanceCorrelation")
    func realServerServesQueries() throws {
        let fx = try ServerFixture()
        defer { fx.close() }
        let client = try fx.client()
        defer { client.close() }
        // An unknown source is NOT_FOUND (not UNIMPLEMENTED) for every one of them; the end-to-end behaviour is
        // tested in DriftServerTests/MonitoringQueryTests.
        let calls: [() throws -> Void] = [
            { _ = try client.reportModelMetric(ReportModelMetricRequest(source: "orders", model: "m", metric: "auc",
                                                                        windowStartMs: 0, value: 0.5)) },
            { _ = try client.queryHistory(QueryHistoryRequest(source: "orders")) },
            { _ = try client.listBaselines("orders") },
            { _ = try client.promoteBaseline(source: "orders", baselineID: 1) },
            { _ = try client.rollbackBaseline(source: "orders") },
            { _ = try client.performanceCorrelation(PerformanceCorrelationRequest(source: "orders", model: "m",
                                                                                  metric: "auc")) },
        ]
        for call in calls {
            let e = try #require(caught { try call() })
            #expect(e.status == .notFound && e.origin == .server && e.fieldPath == "source")
        }
    }

    @Test("every monitoring call sends its method and request, and decodes the answer")
    func typedCallsRoundTrip() throws {
        let seen = Seen()
        let fake = try Self.fake(seen)
        defer { fake.stop() }
        let client = try DriftClient(configuration: DriftClientConfiguration(port: fake.port))
        defer { client.close() }
        let block = try block(rows: 50, seed: 3)

        let ingested = try client.ingest(source: "s", block: block, idempotencyKey: "k-1", blockTimestampMs: 0,
                                         allowLate: true)
        #expect(ingested.rowsAccepted == 500 && ingested.windowsClosed.first?.verdicts.first?.decision == .drift)
        let metric = ReportModelMetricRequest(source: "s", model: "m", metric: "auc", eventTimeMs: 5, value: 0.9,
                                              higherIsBetter: true)
        #expect(try client.reportModelMetric(metric) == ReportModelMetricResponse(window: Self.window, replaced: true))
        let query = QueryHistoryRequest(source: "s", kinds: [.drift], sinceMs: 0, limit: 10, pageToken: [7])
        let page = try client.queryHistory(query)
        #expect(page.rows.first?.pAdjusted == 0.003 && page.nextPageToken == [1, 2])
        let status = try client.sourceStatus("s")
        #expect(status.freshness == Freshness.stale && status.features.first?.status == FeatureStatus.drifting)
        #expect(status.lateRows == 7)
        #expect(try client.listBaselines("s").map(\.id) == [1, 2])
        #expect(try client.promoteBaseline(source: "s", baselineID: 1).current.id == 1)
        #expect(try client.rollbackBaseline(source: "s").previousID == 2)
        #expect(try client.acknowledgeWindow(source: "s", windowStartMs: -1).acknowledged)
        let corr = PerformanceCorrelationRequest(source: "s", model: "m", metric: "auc", windows: 48, maxLag: 2)
        #expect(try client.performanceCorrelation(corr).features.first?.rho == -0.7)

        let sent = seen.calls.withLock { $0 }
        #expect(sent.map { $0.0 } == [.ingest, .reportModelMetric, .queryHistory, .getSourceStatus, .listBaselines,
                                  .promoteBaseline, .rollbackBaseline, .acknowledgeWindow, .performanceCorrelation])
        #expect(try IngestRequest.decode(sent[0].1)
                == IngestRequest(source: "s", idempotencyKey: "k-1", blockTimestampMs: 0, allowLate: true))
        #expect(sent[0].2 == block.bytes.count && sent.dropFirst().allSatisfy { $0.2 == 0 })
        #expect(try ReportModelMetricRequest.decode(sent[1].1) == metric)
        #expect(try QueryHistoryRequest.decode(sent[2].1) == query)
        #expect(try GetSourceStatusRequest.decode(sent[3].1).source == "s")
        #expect(try ListBaselinesRequest.decode(sent[4].1).source == "s")
        #expect(try PromoteBaselineRequest.decode(sent[5].1) == PromoteBaselineRequest(source: "s", baselineID: 1))
        #expect(try RollbackBaselineRequest.decode(sent[6].1).source == "s")
        #expect(try AcknowledgeWindowRequest.decode(sent[7].1) == AcknowledgeWindowRequest(source: "s", windowStartMs: -1))
        #expect(try PerformanceCorrelationRequest.decode(sent[8].1) == corr)
    }

    @Test("async versions send the same requests")
    func asyncCalls() async throws {
        let seen = Seen()
        let fake = try Self.fake(seen)
        defer { fake.stop() }
        let client = try DriftClient(configuration: DriftClientConfiguration(port: fake.port))
        defer { client.close() }
        let a = client.async
        #expect(try await a.ingest(source: "s", block: try block(rows: 40, seed: 1)).rowsLate == 2)
        #expect(try await a.sourceStatus("s").eventAgeMs == 90_000_000)
        #expect(try await a.listBaselines("s").last?.current == true)
        #expect(try await a.acknowledgeWindow(source: "s", windowStartMs: 9).window == Self.window)
        #expect(seen.calls.withLock { $0.map { $0.0 } } == [.ingest, .getSourceStatus, .listBaselines, .acknowledgeWindow])
    }

    @Test("an idempotency key over 256 bytes is refused locally; a malformed answer is INTERNAL")
    func localAndMalformed() throws {
        let fake = try FakeServer { c, _ in
            while let r = c.receiveRequest() { c.respond(to: r, metadata: [0x0A, 0x05, 0x61]) }  // length past the end
        }
        defer { fake.stop() }
        let client = try DriftClient(configuration: DriftClientConfiguration(port: fake.port))
        defer { client.close() }
        let long = String(repeating: "é", count: 129)  // 258 bytes
        let refused = try #require(caught { try client.ingest(source: "s", block: try block(rows: 10, seed: 1),
                                                              idempotencyKey: long) })
        #expect(refused.status == .invalidArgument && refused.origin == .local)
        let bad = try #require(caught { try client.sourceStatus("s") })
        #expect(bad.status == .internal && bad.origin == .server)
    }
}
