import DriftColumnar
import DriftEngine
import DriftStore
import DriftWire

/// A baseline upload in progress on one connection (PROTOCOL §13 "Uploading a baseline").
struct BaselineUpload: Sendable {
    /// The `block_count` the next request must carry.
    var nextBlock: UInt32 = 1
    var rows: Int = 0
    /// The decoded blocks received so far (validated against the source when they arrived).
    var blocks: [DecodedBlock] = []
}

extension ServerCore {
    /// One block of an upload: validated and staged; the last one (`last_block`) builds, persists and caches the
    /// new baseline. Blocks of one upload are sent one after the other (the next after the previous answer).
    func putBaseline(_ req: PutBaselineRequest, _ frame: Frame, session: Session) throws -> PutBaselineResponse {
        guard req.blockCount >= 1 else {
            throw RequestError(.invalidArgument, "block_count must be at least 1", fieldPath: "block_count")
        }
        guard let spec = try withStore({ try $0.source(named: req.source) }) else {
            throw RequestError(.notFound, "no source named \(req.source)", fieldPath: "source")
        }
        let block = try decodeBlock(frame)
        for f in spec.features { _ = try column(f, in: block) }  // every feature present with its type

        var upload = try session.state.withLock { s -> BaselineUpload in
            if req.blockCount == 1 {
                s.uploads[req.source] = nil  // a new upload discards an unfinished one
                return BaselineUpload()
            }
            guard let u = s.uploads[req.source], u.nextBlock == req.blockCount else {
                let expected = s.uploads[req.source]?.nextBlock ?? 1
                throw RequestError(.failedPrecondition, "block_count \(req.blockCount) out of sequence for the upload "
                    + "of \(req.source) on this connection (expected \(expected))", fieldPath: "block_count")
            }
            s.uploads[req.source] = nil  // taken while this block is staged
            return u
        }
        guard upload.rows + block.rowCount <= configuration.maxBaselineRows else {
            throw RequestError(.resourceExhausted, "a baseline upload may hold at most \(configuration.maxBaselineRows) "
                + "rows (driftd --max-baseline-rows); this block would make it \(upload.rows + block.rowCount)")
        }
        upload.rows += block.rowCount
        upload.blocks.append(block)
        upload.nextBlock += 1
        guard req.lastBlock else {
            let rows = upload.rows
            session.state.withLock { $0.uploads[req.source] = upload }
            return PutBaselineResponse(baselineID: 0, rows: UInt64(rows))
        }
        return try finishBaseline(spec, upload)
    }

    private func finishBaseline(_ spec: SourceSpec, _ upload: BaselineUpload) throws -> PutBaselineResponse {
        let built = try FeatureBuilder.baselineState(spec, upload.blocks, pool: pool)
        stats.valuesProcessed.add(UInt64(upload.rows * spec.features.count), ordering: .relaxed)
        let bytes = built.state.encode()
        let id = try withStore { store in
            let id = try store.putBaseline(source: spec.name, rows: UInt64(upload.rows), state: bytes)
            baselines.withLock { $0[spec.name] = (id, built.state) }  // under the store lock: ids stay in order
            return id
        }
        costs.forget(source: spec.name)
        return PutBaselineResponse(baselineID: id, rows: UInt64(upload.rows), sampled: built.sampled,
                                   sampleSize: built.sampleSize)
    }
}
