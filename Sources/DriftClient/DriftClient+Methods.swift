import DriftWire

/// The typed, blocking methods of PROTOCOL §13.
extension DriftClient {
    /// CreateSource. Idempotent: an equal definition under the same name answers `false`.
    /// - Returns: true when the source was created, false when an equal one already existed.
    /// - Throws: ALREADY_EXISTS when the name exists with a different definition (`fieldPath` names the first
    ///   differing feature); INVALID_ARGUMENT for an invalid spec.
    public func createSource(_ spec: SourceSpec) throws(DriftClientError) -> Bool {
        let bytes = try call(method: .createSource, metadata: CreateSourceRequest(source: spec).encode())
        return try decode(.createSource, bytes, CreateSourceResponse.decode).created
    }

    /// GetSource: the definition and the current baseline id.
    /// - Throws: NOT_FOUND when there is no such source.
    public func getSource(_ name: String) throws(DriftClientError) -> GetSourceResponse {
        let bytes = try call(method: .getSource, metadata: GetSourceRequest(name: name).encode())
        return try decode(.getSource, bytes, GetSourceResponse.decode)
    }

    /// ListSources, following `next_page_token` to the end: every source, sorted by name.
    public func listSources() throws(DriftClientError) -> [SourceSpec] {
        var sources: [SourceSpec] = []
        var token = ""
        var seen: Set<String> = []
        repeat {
            let bytes = try call(method: .listSources, metadata: ListSourcesRequest(pageToken: token).encode())
            let page = try decode(.listSources, bytes, ListSourcesResponse.decode)
            sources += page.sources
            token = page.nextPageToken
            guard seen.insert(token).inserted else {
                throw DriftClientError(status: .internal,
                                       message: "driftd repeated the ListSources page token '\(token)'",
                                       origin: .server, retryable: false)
            }
        } while !token.isEmpty
        return sources
    }

    /// Uploads `blocks` as one baseline (PROTOCOL §13 "Uploading a baseline"): PutBaseline requests with
    /// `block_count` 1, 2, …, one after the other on one connection, `last_block` on the last.
    ///
    /// An upload is tied to its connection: if the connection is lost or the server sends GOAWAY part way, the
    /// upload fails (UNAVAILABLE, retryable: upload all blocks again) and is not retried silently.
    /// - Returns: the last block's answer: the new `baseline_id`, total `rows`, whether the baseline is sampled.
    /// - Throws: INVALID_ARGUMENT (local) for no blocks; the server's error on any block.
    public func putBaseline(source: String, blocks: [EncodedBlock],
                            budgetMs: UInt32? = nil) throws(DriftClientError) -> PutBaselineResponse {
        guard !blocks.isEmpty else {
            throw DriftClientError(status: .invalidArgument, message: "a baseline upload needs at least one block",
                                   origin: .local, retryable: false)
        }
        guard blocks.count <= Int(UInt32.max) else {
            throw DriftClientError(status: .invalidArgument, message: "too many blocks for one upload",
                                   origin: .local, retryable: false)
        }
        var connection = try usableConnection()
        var last = PutBaselineResponse()
        for (index, block) in blocks.enumerated() {
            let metadata = PutBaselineRequest(source: source, blockCount: UInt32(index + 1),
                                              lastBlock: index == blocks.count - 1).encode()
            let waiter = CallWaiter()
            let outgoing = request(.putBaseline, metadata, block, budgetMs)
            if var refused = connection.start(outgoing, sink: .waiter(waiter)) {
                guard index == 0 else { throw interrupted(refused, source: source, sent: index, of: blocks.count) }
                // Nothing was sent yet: the upload may start on a fresh connection.
                connection = try usableConnection()
                if let again = connection.start(outgoing, sink: .waiter(waiter)) {
                    refused = again
                    throw refused
                }
            }
            switch waiter.wait() {
            case .success(let bytes):
                last = try decode(.putBaseline, bytes, PutBaselineResponse.decode)
            case .failure(let error):
                // A lost connection or a GOAWAY part way through a multi-block upload: say so, do not retry.
                guard error.status == .unavailable, blocks.count > 1 else { throw error }
                throw interrupted(error, source: source, sent: index, of: blocks.count)
            }
        }
        return last
    }

    /// CheckDrift, blocking: one verdict per feature of the source, in the source's order.
    /// - Throws: NOT_FOUND (no such source), FAILED_PRECONDITION (no baseline yet), DEADLINE_EXCEEDED (the exact
    ///   check does not fit the budget and `allowApproximate` is false), INVALID_ARGUMENT (bad block).
    public func checkDrift(source: String, block: EncodedBlock, budgetMs: UInt32? = nil,
                           allowApproximate: Bool = false, requestID: String = "") throws(DriftClientError) -> CheckDriftResponse {
        let metadata = CheckDriftRequest(source: source, allowApproximate: allowApproximate, requestID: requestID).encode()
        let bytes = try call(method: .checkDrift, metadata: metadata, body: block, budgetMs: budgetMs)
        return try decode(.checkDrift, bytes, CheckDriftResponse.decode)
    }

    /// CheckDrift without blocking for the answer: `completion` runs once on the client's completion thread.
    /// (`send` still waits for a free stream slot.)
    public func checkDrift(source: String, block: EncodedBlock, budgetMs: UInt32? = nil, allowApproximate: Bool = false,
                           requestID: String = "",
                           completion: @escaping @Sendable (Result<CheckDriftResponse, DriftClientError>) -> Void) {
        let metadata = CheckDriftRequest(source: source, allowApproximate: allowApproximate, requestID: requestID).encode()
        send(method: .checkDrift, metadata: metadata, body: block, budgetMs: budgetMs) { result in
            completion(result.flatMap { bytes in
                Result { () throws(DriftClientError) in try decode(.checkDrift, bytes, CheckDriftResponse.decode) }
            })
        }
    }

    /// ServerStats: the server's counters since it started.
    public func serverStats() throws(DriftClientError) -> ServerStatsResponse {
        let bytes = try call(method: .serverStats, metadata: ServerStatsRequest().encode())
        return try decode(.serverStats, bytes, ServerStatsResponse.decode)
    }

    /// PING → PONG on the current connection (opening one if needed).
    /// - Returns: the round trip.
    /// - Throws: RESOURCE_EXHAUSTED (local, with `retryAfterMs`) when called again sooner than the server's
    ///   `keepalive_min_interval_ms`; DEADLINE_EXCEEDED without a PONG; UNAVAILABLE when not connected.
    public func ping() throws(DriftClientError) -> Duration {
        try usableConnection().ping()
    }

    private func interrupted(_ error: DriftClientError, source: String, sent: Int, of total: Int) -> DriftClientError {
        var e = error
        e.message = "baseline upload of '\(source)' interrupted after \(sent) of \(total) blocks and not retried "
            + "(an upload is tied to one connection; upload all blocks again): \(error.message)"
        e.retryable = true
        return e
    }
}

/// Decodes a response message; a malformed one is INTERNAL with origin server.
func decode<T>(_ method: MethodID, _ bytes: [UInt8],
               _ decoder: ([UInt8]) throws(WireError) -> T) throws(DriftClientError) -> T {
    do { return try decoder(bytes) } catch { throw DriftClientError.malformedResponse(method, error) }
}
