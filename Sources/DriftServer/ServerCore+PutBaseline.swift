import DriftColumnar
import DriftEngine
import DriftStore
import DriftWire

/// A baseline upload in progress on one connection (PROTOCOL §13 "Uploading a baseline").
struct BaselineUpload: Sendable {
    /// The `block_count` the next request must carry.
    var nextBlock: UInt32 = 1
    /// The blocks staged so far (validated against the source when they arrived).
    var builder: BaselineBuilder
    var rows: Int { builder.stagedRows }
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

        let fresh = req.blockCount == 1 ? try FeatureBuilder.baselineBuilder(spec) : nil
        var upload = try session.state.withLock { s -> BaselineUpload in
            if let fresh {
                s.uploads[req.source] = nil  // a new upload discards an unfinished one
                return BaselineUpload(builder: fresh)
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
        try FeatureBuilder.append(block, of: spec, to: &upload.builder)
        upload.nextBlock += 1
        guard req.lastBlock else {
            let rows = upload.rows
            session.state.withLock { $0.uploads[req.source] = upload }
            return PutBaselineResponse(baselineID: 0, rows: UInt64(rows))
        }
        return try finishBaseline(spec, upload)
    }

    private func finishBaseline(_ spec: SourceSpec, _ upload: BaselineUpload) throws -> PutBaselineResponse {
        let rows = upload.rows
        let state = upload.builder.finish()
        var sampled = false
        var sampleSize: UInt64 = 0
        for f in spec.features {
            if case .numeric(let nb)? = state[f.name], nb.sampled {
                sampled = true
                sampleSize = max(sampleSize, UInt64(nb.sortedValues.count))
            }
        }
        stats.valuesProcessed.add(UInt64(rows * spec.features.count), ordering: .relaxed)
        let bytes = state.encode()
        let id = try withStore { store in
            let id = try store.putBaseline(source: spec.name, rows: UInt64(rows), state: bytes)
            baselines.withLock { $0[spec.name] = (id, state) }  // under the store lock: ids stay in order
            return id
        }
        costs.forget(source: spec.name)
        return PutBaselineResponse(baselineID: id, rows: UInt64(rows), sampled: sampled, sampleSize: sampleSize)
    }
}
