import DriftWire

/// async/await versions of the typed calls of a `DriftClient` (`client.async`), kept apart from the blocking
/// methods so that blocking calls made from an async context never resolve to these by surprise.
///
///     let verdicts = try await client.async.checkDrift(source: "payments", block: block)
///
/// Single-request methods suspend on the request's completion (the calling task only blocks while every stream
/// slot is taken); `listSources`, `putBaseline` and `ping`, which take several steps, run their blocking version
/// on a separate thread.
public struct AsyncDriftClient: Sendable {
    public let client: DriftClient

    public init(_ client: DriftClient) { self.client = client }

    /// `DriftClient.call`, suspending instead of blocking.
    public func call(method: MethodID, metadata: [UInt8], body: EncodedBlock? = nil,
                     budgetMs: UInt32? = nil) async throws(DriftClientError) -> [UInt8] {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<[UInt8], DriftClientError>, Never>) in
            client.send(method: method, metadata: metadata, body: body, budgetMs: budgetMs) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    public func createSource(_ spec: SourceSpec) async throws(DriftClientError) -> Bool {
        let bytes = try await call(method: .createSource, metadata: CreateSourceRequest(source: spec).encode())
        return try decode(.createSource, bytes, CreateSourceResponse.decode).created
    }

    public func getSource(_ name: String) async throws(DriftClientError) -> GetSourceResponse {
        let bytes = try await call(method: .getSource, metadata: GetSourceRequest(name: name).encode())
        return try decode(.getSource, bytes, GetSourceResponse.decode)
    }

    public func listSources() async throws(DriftClientError) -> [SourceSpec] {
        try await offThread { () throws(DriftClientError) in try client.listSources() }
    }

    public func putBaseline(source: String, blocks: [EncodedBlock],
                            budgetMs: UInt32? = nil) async throws(DriftClientError) -> PutBaselineResponse {
        try await offThread { () throws(DriftClientError) in try client.putBaseline(source: source, blocks: blocks, budgetMs: budgetMs) }
    }

    public func checkDrift(source: String, block: EncodedBlock, budgetMs: UInt32? = nil, allowApproximate: Bool = false,
                           requestID: String = "") async throws(DriftClientError) -> CheckDriftResponse {
        let metadata = CheckDriftRequest(source: source, allowApproximate: allowApproximate, requestID: requestID).encode()
        let bytes = try await call(method: .checkDrift, metadata: metadata, body: block, budgetMs: budgetMs)
        return try decode(.checkDrift, bytes, CheckDriftResponse.decode)
    }

    public func serverStats() async throws(DriftClientError) -> ServerStatsResponse {
        let bytes = try await call(method: .serverStats, metadata: ServerStatsRequest().encode())
        return try decode(.serverStats, bytes, ServerStatsResponse.decode)
    }

    /// `DriftClient.ingest`, suspending.
    public func ingest(source: String, block: EncodedBlock, idempotencyKey: String = "", blockTimestampMs: Int64? = nil,
                       allowLate: Bool = false, budgetMs: UInt32? = nil) async throws(DriftClientError) -> IngestResponse {
        let metadata = try IngestRequest.checked(source: source, idempotencyKey: idempotencyKey,
                                                 blockTimestampMs: blockTimestampMs, allowLate: allowLate).encode()
        let bytes = try await call(method: .ingest, metadata: metadata, body: block, budgetMs: budgetMs)
        return try decode(.ingest, bytes, IngestResponse.decode)
    }

    /// `DriftClient.reportModelMetric`, suspending.
    public func reportModelMetric(_ request: ReportModelMetricRequest) async throws(DriftClientError) -> ReportModelMetricResponse {
        try decode(.reportModelMetric, try await call(method: .reportModelMetric, metadata: request.encode()),
                   ReportModelMetricResponse.decode)
    }

    /// `DriftClient.queryHistory`, suspending.
    public func queryHistory(_ request: QueryHistoryRequest) async throws(DriftClientError) -> QueryHistoryResponse {
        try decode(.queryHistory, try await call(method: .queryHistory, metadata: request.encode()),
                   QueryHistoryResponse.decode)
    }

    /// `DriftClient.sourceStatus`, suspending.
    public func sourceStatus(_ source: String) async throws(DriftClientError) -> GetSourceStatusResponse {
        let bytes = try await call(method: .getSourceStatus, metadata: GetSourceStatusRequest(source: source).encode())
        return try decode(.getSourceStatus, bytes, GetSourceStatusResponse.decode)
    }

    /// `DriftClient.listBaselines`, suspending.
    public func listBaselines(_ source: String) async throws(DriftClientError) -> [BaselineVersion] {
        let bytes = try await call(method: .listBaselines, metadata: ListBaselinesRequest(source: source).encode())
        return try decode(.listBaselines, bytes, ListBaselinesResponse.decode).baselines
    }

    /// `DriftClient.promoteBaseline`, suspending.
    public func promoteBaseline(source: String, baselineID: UInt64) async throws(DriftClientError) -> BaselineChangeResponse {
        let metadata = PromoteBaselineRequest(source: source, baselineID: baselineID).encode()
        return try decode(.promoteBaseline, try await call(method: .promoteBaseline, metadata: metadata),
                          BaselineChangeResponse.decode)
    }

    /// `DriftClient.rollbackBaseline`, suspending.
    public func rollbackBaseline(source: String) async throws(DriftClientError) -> BaselineChangeResponse {
        let metadata = RollbackBaselineRequest(source: source).encode()
        return try decode(.rollbackBaseline, try await call(method: .rollbackBaseline, metadata: metadata),
                          BaselineChangeResponse.decode)
    }

    /// `DriftClient.acknowledgeWindow`, suspending.
    public func acknowledgeWindow(source: String, windowStartMs: Int64) async throws(DriftClientError) -> AcknowledgeWindowResponse {
        let metadata = AcknowledgeWindowRequest(source: source, windowStartMs: windowStartMs).encode()
        return try decode(.acknowledgeWindow, try await call(method: .acknowledgeWindow, metadata: metadata),
                          AcknowledgeWindowResponse.decode)
    }

    /// `DriftClient.performanceCorrelation`, suspending.
    public func performanceCorrelation(_ request: PerformanceCorrelationRequest) async throws(DriftClientError)
        -> PerformanceCorrelationResponse {
        try decode(.performanceCorrelation, try await call(method: .performanceCorrelation, metadata: request.encode()),
                   PerformanceCorrelationResponse.decode)
    }

    public func ping() async throws(DriftClientError) -> Duration {
        try await offThread { () throws(DriftClientError) in try client.ping() }
    }

    /// Runs a blocking call on its own thread and suspends until it returns.
    private func offThread<T: Sendable>(_ body: @escaping @Sendable () throws(DriftClientError) -> T) async throws(DriftClientError) -> T {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, DriftClientError>, Never>) in
            let started = DetachedThread.start {
                continuation.resume(returning: Result { () throws(DriftClientError) in try body() })
            }
            if !started {
                continuation.resume(returning: .failure(DriftClientError(
                    status: .resourceExhausted, message: "cannot start a thread for the call", origin: .local)))
            }
        }
        return try result.get()
    }
}

extension DriftClient {
    /// The async/await interface of this client.
    public var async: AsyncDriftClient { AsyncDriftClient(self) }
}
