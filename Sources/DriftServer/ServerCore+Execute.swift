import DriftColumnar
import DriftEngine
import DriftStore
import DriftWire

extension ServerCore {
    /// Runs one admitted request on a worker: never started after its deadline or after a CANCEL, re-planned
    /// against the time left when it starts, answered exactly once, its cost fed back into the model.
    func execute(_ job: RequestJob) {
        let h = job.frame.header
        guard job.ticket.start() else { return }  // cancelled while queued: already answered
        let picked = ContinuousClock.now
        guard picked < job.deadline else {
            stats.budgetMisses.add(1, ordering: .relaxed)
            return finish(job, .failure(RequestError(
                .deadlineExceeded, "the \(job.budgetMs) ms budget had passed before the request could start "
                    + "(it waited \(micros(picked - job.arrived) / 1000) ms in the queue)")))
        }
        var job = job
        if job.method == .checkDrift, job.mode == .exact, let req = job.checkRequest {
            // Re-plan with the time actually left (the queue may have been slower than estimated); nothing queued
            // ahead any more.
            let left = Double(micros(job.deadline - picked))
            let key = CostModel.Key(method: MethodID.checkDrift.rawValue, source: req.source, approximate: false)
            if let exact = costs.estimateMicros(key, rawBytes: Int(h.bodyRawLength)), exact > left {
                if req.allowApproximate {
                    job.mode = .approximate
                } else {
                    stats.budgetMisses.add(1, ordering: .relaxed)
                    stats.budgetRefusals.add(1, ordering: .relaxed)
                    return finish(job, .failure(RequestError(
                        .deadlineExceeded, "after \(micros(picked - job.arrived) / 1000) ms in the queue the exact "
                            + "check (estimated \(ms(exact)) ms) no longer fits the \(job.budgetMs) ms budget; "
                            + "not started")))
                }
            }
        }
        let result: Result<[UInt8], RequestError>
        do {
            result = .success(try run(job, queueWaitUs: micros(picked - job.arrived)))
        } catch let e as RequestError {
            result = .failure(e)
        } catch {
            result = .failure(RequestError(.internal, "\(error)"))
        }
        let done = ContinuousClock.now
        if job.method == .checkDrift, let req = job.checkRequest, case .success = result {
            let key = CostModel.Key(method: MethodID.checkDrift.rawValue, source: req.source,
                                    approximate: job.mode == .approximate)
            costs.record(key, rawBytes: Int(h.bodyRawLength), micros: Double(micros(done - picked)))
        }
        costs.recordService(micros: Double(micros(done - picked)))
        if done > job.deadline { stats.budgetMisses.add(1, ordering: .relaxed) }
        finish(job, result)
    }

    private func finish(_ job: RequestJob, _ result: Result<[UInt8], RequestError>) {
        let h = job.frame.header
        guard job.ticket.finish() else {
            stats.cancelled.add(1, ordering: .relaxed)
            return respond(job.session, job.ticket, h, error: RequestError(.cancelled, "cancelled by the client"))
        }
        switch result {
        case .success(let meta): respond(job.session, job.ticket, h, metadata: meta)
        case .failure(let e): respond(job.session, job.ticket, h, error: e)
        }
    }

    // MARK: Methods

    private func run(_ job: RequestJob, queueWaitUs: UInt64) throws -> [UInt8] {
        let frame = job.frame
        let method = job.method
        if method.carriesBlock {
            guard !frame.body.isEmpty else { throw RequestError(.invalidArgument, "\(method.name) needs a ColumnBlock body") }
        } else if !frame.body.isEmpty {
            throw RequestError(.invalidArgument, "\(method.name) takes no body")
        }
        switch method {
        case .createSource:
            let req = try decode { () throws(WireError) in try CreateSourceRequest.decode(frame.metadata) }
            try Validation.check(req.source)
            _ = try MonitorSettings(req.source)
            defer { _ = monitor(req.source.name) }
            do {
                let created = try withStore { try $0.createSource(req.source) }
                return CreateSourceResponse(created: created == .created).encode()
            } catch let e as RequestError where e.status == .alreadyExists {
                // Name the first feature whose definition differs (PROTOCOL §13).
                var e = e
                if let stored = try withStore({ try $0.source(named: req.source.name) }) {
                    let (a, b) = (stored.features, req.source.features)
                    let common = min(a.count, b.count)
                    if let i = (0..<common).first(where: { a[$0].encode() != b[$0].encode() })
                        ?? (a.count != b.count ? common : nil) {
                        let name = i < b.count ? b[i].name : a[i].name
                        e.fieldPath = name
                        e.message += "; the first difference is feature \(i + 1) (\(name))"
                    }
                }
                throw e
            }
        case .getSource:
            let req = try decode { () throws(WireError) in try GetSourceRequest.decode(frame.metadata) }
            let (spec, current) = try withStore { s in (try s.source(named: req.name), try s.currentBaseline(source: req.name)?.id) }
            guard let spec else { throw RequestError(.notFound, "no source named \(req.name)", fieldPath: "name") }
            return GetSourceResponse(source: spec, baselineID: current).encode()
        case .listSources:
            let req = try decode { () throws(WireError) in try ListSourcesRequest.decode(frame.metadata) }
            let limit = req.pageSize == 0 ? 100 : Int(min(req.pageSize, 1000))
            let after: String?
            if req.pageToken.isEmpty { after = nil } else {
                guard req.pageToken.hasPrefix("after:") else {
                    throw RequestError(.invalidArgument, "unknown page token", fieldPath: "page_token")
                }
                after = String(req.pageToken.dropFirst(6))
            }
            let page = try withStore { try $0.listSources(after: after, limit: limit + 1) }
            let more = page.count > limit
            let sources = Array(page.prefix(limit))
            return ListSourcesResponse(sources: sources, nextPageToken: more ? "after:" + sources.last!.name : "").encode()
        case .putBaseline:
            let req = try decode { () throws(WireError) in try PutBaselineRequest.decode(frame.metadata) }
            return try putBaseline(req, frame, session: job.session).encode()
        case .checkDrift:
            let req = try job.checkRequest ?? decode { () throws(WireError) in try CheckDriftRequest.decode(frame.metadata) }
            return try checkDrift(req, frame, mode: job.mode, ticket: job.ticket, queueWaitUs: queueWaitUs).encode()
        case .serverStats:
            _ = try decode { () throws(WireError) in try ServerStatsRequest.decode(frame.metadata) }
            return stats.snapshot(uptimeMs: UInt64(micros(ContinuousClock.now - started) / 1000),
                                  connections: UInt64(sessions.withLock { $0.count }),
                                  queued: queuedRequests.load(ordering: .relaxed), workers: pool.count).encode()
        case .reportModelMetric:
            let req = try decode { () throws(WireError) in try ReportModelMetricRequest.decode(frame.metadata) }
            return try reportModelMetric(req).encode()
        case .queryHistory:
            let req = try decode { () throws(WireError) in try QueryHistoryRequest.decode(frame.metadata) }
            return try queryHistory(req).encode()
        case .listBaselines:
            let req = try decode { () throws(WireError) in try ListBaselinesRequest.decode(frame.metadata) }
            return try listBaselines(req).encode()
        case .promoteBaseline:
            let req = try decode { () throws(WireError) in try PromoteBaselineRequest.decode(frame.metadata) }
            return try promoteBaseline(req).encode()
        case .rollbackBaseline:
            let req = try decode { () throws(WireError) in try RollbackBaselineRequest.decode(frame.metadata) }
            return try rollbackBaseline(req).encode()
        case .performanceCorrelation:
            let req = try decode { () throws(WireError) in try PerformanceCorrelationRequest.decode(frame.metadata) }
            return try performanceCorrelation(req).encode()
        case .ingest:
            let req = try decode { () throws(WireError) in try IngestRequest.decode(frame.metadata) }
            return try ingest(req, frame, context: job.context).encode()
        case .getSourceStatus:
            let req = try decode { () throws(WireError) in try GetSourceStatusRequest.decode(frame.metadata) }
            return try sourceStatus(req).encode()
        case .acknowledgeWindow:
            let req = try decode { () throws(WireError) in try AcknowledgeWindowRequest.decode(frame.metadata) }
            return try acknowledgeWindow(req).encode()
        case .createSilence:
            let req = try decode { () throws(WireError) in try CreateSilenceRequest.decode(frame.metadata) }
            return try createSilence(req).encode()
        case .expireSilence:
            let req = try decode { () throws(WireError) in try SilenceID.decode(frame.metadata) }
            return try expireSilence(req).encode()
        case .listAlerts:
            let req = try decode { () throws(WireError) in try ListAlertsRequest.decode(frame.metadata) }
            return try listAlerts(req).encode()
        }
    }

    // MARK: Helpers

    func decode<T>(_ body: () throws(WireError) -> T) throws -> T {
        do { return try body() } catch {
            let d = ErrorDetail(error)
            throw RequestError(d.status, "malformed metadata: \(d.message)", fieldPath: d.fieldPath)
        }
    }

    func withStore<T>(_ body: (DriftStore) throws -> T) throws -> T {
        do {
            return try storeLock.withLock { _ in try body(store) }
        } catch let e as RequestError {
            throw e
        } catch let e as DriftStoreError {
            throw Self.requestError(e)
        } catch {
            throw RequestError(.internal, "store: \(error)")
        }
    }

    func decodeBlock(_ frame: Frame) throws -> DecodedBlock {
        let decoder = ColumnBlockDecoder()
        do {
            switch frame.header.codec {
            case .zstd: return try decoder.decodeCompressed(frame.body, maxDecoded: configuration.limits.maxDecoded)
            case .none: return try decoder.decode(frame.body)
            }
        } catch {
            throw RequestError(error.code, "block: \(error.description)", fieldPath: error.column)
        }
    }

    func column(_ f: FeatureSpec, in block: DecodedBlock) throws -> DecodedColumn {
        guard let col = block.column(named: f.name) else {
            throw RequestError(.invalidArgument, "the block has no column \(f.name)", fieldPath: f.name)
        }
        guard col.type.rawValue == f.type else {
            throw RequestError(.invalidArgument, "column \(f.name) is \(col.type.name), the feature is type \(f.type)",
                               fieldPath: f.name)
        }
        return col
    }
}
