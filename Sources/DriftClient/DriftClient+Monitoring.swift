import DriftWire

/// The typed, blocking monitoring methods of PROTOCOL §13 (ids 7–15). Each sends one request and decodes its
/// answer; a non-OK answer is thrown as the server's `DriftClientError` (status and message, `fieldPath`).
extension DriftClient {
    /// Ingest: folds `block` into the source's windows.
    /// - Parameters:
    ///   - idempotencyKey: a retry with the same key is answered `duplicate` and not counted twice (≤ 256 bytes).
    ///   - blockTimestampMs: event time of every row when the source has no event-time column.
    /// - Throws: INVALID_ARGUMENT (local) for a key over 256 bytes; the server's errors (§13 status table).
    public func ingest(source: String, block: EncodedBlock, idempotencyKey: String = "", blockTimestampMs: Int64? = nil,
                       allowLate: Bool = false, budgetMs: UInt32? = nil) throws(DriftClientError) -> IngestResponse {
        let metadata = try IngestRequest.checked(source: source, idempotencyKey: idempotencyKey,
                                                 blockTimestampMs: blockTimestampMs, allowLate: allowLate).encode()
        let bytes = try call(method: .ingest, metadata: metadata, body: block, budgetMs: budgetMs)
        return try decode(.ingest, bytes, IngestResponse.decode)
    }

    /// ReportModelMetric: a model metric for a window (by `windowStartMs` or the window containing `eventTimeMs`).
    public func reportModelMetric(_ request: ReportModelMetricRequest) throws(DriftClientError) -> ReportModelMetricResponse {
        let bytes = try call(method: .reportModelMetric, metadata: request.encode())
        return try decode(.reportModelMetric, bytes, ReportModelMetricResponse.decode)
    }

    /// QueryHistory: one page of stored verdicts and metrics (follow `nextPageToken` for more).
    public func queryHistory(_ request: QueryHistoryRequest) throws(DriftClientError) -> QueryHistoryResponse {
        let bytes = try call(method: .queryHistory, metadata: request.encode())
        return try decode(.queryHistory, bytes, QueryHistoryResponse.decode)
    }

    /// GetSourceStatus: freshness, last closed window, per-feature status, baseline in use, late rows.
    public func sourceStatus(_ source: String) throws(DriftClientError) -> GetSourceStatusResponse {
        let bytes = try call(method: .getSourceStatus, metadata: GetSourceStatusRequest(source: source).encode())
        return try decode(.getSourceStatus, bytes, GetSourceStatusResponse.decode)
    }

    /// ListBaselines: every baseline version of the source, id ascending.
    public func listBaselines(_ source: String) throws(DriftClientError) -> [BaselineVersion] {
        let bytes = try call(method: .listBaselines, metadata: ListBaselinesRequest(source: source).encode())
        return try decode(.listBaselines, bytes, ListBaselinesResponse.decode).baselines
    }

    /// PromoteBaseline: makes `baselineID` the current version.
    public func promoteBaseline(source: String, baselineID: UInt64) throws(DriftClientError) -> BaselineChangeResponse {
        let metadata = PromoteBaselineRequest(source: source, baselineID: baselineID).encode()
        let bytes = try call(method: .promoteBaseline, metadata: metadata)
        return try decode(.promoteBaseline, bytes, BaselineChangeResponse.decode)
    }

    /// RollbackBaseline: makes the previously current version current again.
    public func rollbackBaseline(source: String) throws(DriftClientError) -> BaselineChangeResponse {
        let bytes = try call(method: .rollbackBaseline, metadata: RollbackBaselineRequest(source: source).encode())
        return try decode(.rollbackBaseline, bytes, BaselineChangeResponse.decode)
    }

    /// AcknowledgeWindow: lets an alerted window back into a rolling baseline.
    public func acknowledgeWindow(source: String, windowStartMs: Int64) throws(DriftClientError) -> AcknowledgeWindowResponse {
        let metadata = AcknowledgeWindowRequest(source: source, windowStartMs: windowStartMs).encode()
        let bytes = try call(method: .acknowledgeWindow, metadata: metadata)
        return try decode(.acknowledgeWindow, bytes, AcknowledgeWindowResponse.decode)
    }

    /// PerformanceCorrelation: per feature, the rank correlation of its drift with the model metric.
    public func performanceCorrelation(_ request: PerformanceCorrelationRequest) throws(DriftClientError)
        -> PerformanceCorrelationResponse {
        let bytes = try call(method: .performanceCorrelation, metadata: request.encode())
        return try decode(.performanceCorrelation, bytes, PerformanceCorrelationResponse.decode)
    }
}

extension IngestRequest {
    /// The longest idempotency key, in UTF-8 bytes (PROTOCOL §13).
    public static let maxIdempotencyKeyBytes = 256

    /// An Ingest request, refused locally (INVALID_ARGUMENT, origin local) when the key is too long.
    static func checked(source: String, idempotencyKey: String, blockTimestampMs: Int64?,
                        allowLate: Bool) throws(DriftClientError) -> IngestRequest {
        guard idempotencyKey.utf8.count <= maxIdempotencyKeyBytes else {
            throw DriftClientError(status: .invalidArgument,
                                   message: "idempotency key of \(idempotencyKey.utf8.count) bytes; at most "
                                       + "\(maxIdempotencyKeyBytes)", origin: .local, retryable: false)
        }
        return IngestRequest(source: source, idempotencyKey: idempotencyKey, blockTimestampMs: blockTimestampMs,
                             allowLate: allowLate)
    }
}
