import DriftStore
import DriftWire

extension ServerCore {
    /// ListBaselines (11): every version of the source, id ascending; a source without baselines has none.
    func listBaselines(_ req: ListBaselinesRequest) throws -> ListBaselinesResponse {
        try withStore { store in
            try requireSource(req.source, in: store)
            return ListBaselinesResponse(baselines: try store.listBaselines(source: req.source).map(Self.version))
        }
    }

    /// PromoteBaseline (12): makes `baseline_id` current. The decoded-baseline cache and the source's cost
    /// estimates are dropped under the store lock, so the next CheckDrift or Ingest uses the promoted version.
    func promoteBaseline(_ req: PromoteBaselineRequest) throws -> BaselineChangeResponse {
        let response = try withStore { store -> BaselineChangeResponse in
            try requireSource(req.source, in: store)
            let versions = try store.listBaselines(source: req.source)
            guard var target = versions.first(where: { $0.id == req.baselineID }) else {
                throw RequestError(
                    .notFound, "source \(req.source) has no baseline \(req.baselineID)"
                        + (versions.isEmpty ? " (it has none)" : " (its baselines are \(Self.idList(versions)))"),
                    fieldPath: "baseline_id")
            }
            let previous = versions.first(where: \.isCurrent)?.id ?? 0
            try store.promoteBaseline(source: req.source, id: req.baselineID)
            baselines.withLock { $0[req.source] = nil }
            target.isCurrent = true
            return BaselineChangeResponse(current: Self.version(target), previousID: previous)
        }
        costs.forget(source: req.source)
        return response
    }

    /// RollbackBaseline (13): back to the version that was current before the present one (once: a second
    /// rollback without a promotion in between is FAILED_PRECONDITION). Drops the cache like a promotion.
    func rollbackBaseline(_ req: RollbackBaselineRequest) throws -> BaselineChangeResponse {
        let response = try withStore { store -> BaselineChangeResponse in
            try requireSource(req.source, in: store)
            let versions = try store.listBaselines(source: req.source)
            let current = versions.first(where: \.isCurrent)
            guard let target = versions.first(where: \.isPrevious), let current else {
                let now = current.map { "baseline \($0.id) is current" } ?? "it has no baseline"
                throw RequestError(
                    .failedPrecondition, "source \(req.source) has no earlier baseline to roll back to (\(now); a "
                        + "rollback returns to the version current before the last promotion or upload, once)",
                    fieldPath: "source")
            }
            let id = try store.rollbackBaseline(source: req.source)
            baselines.withLock { $0[req.source] = nil }
            var now = versions.first(where: { $0.id == id }) ?? target
            now.isCurrent = true
            return BaselineChangeResponse(current: Self.version(now), previousID: current.id)
        }
        costs.forget(source: req.source)
        return response
    }

    /// NOT_FOUND (field `source`) unless the source exists. Call inside `withStore`.
    func requireSource(_ name: String, in store: DriftStore) throws {
        guard try store.source(named: name) != nil else {
            throw RequestError(.notFound, "no source named \(name)", fieldPath: "source")
        }
    }

    static func version(_ b: BaselineInfo) -> BaselineVersion {
        BaselineVersion(id: b.id, rows: b.rows, createdMs: b.createdMilliseconds,
                        kind: b.kind == .rolling ? .rolling : .fixed, current: b.isCurrent)
    }

    private static func idList(_ versions: [BaselineInfo]) -> String {
        let ids = versions.map { String($0.id) }
        return ids.count <= 10 ? ids.joined(separator: ", ") : "\(ids.first!)…\(ids.last!)"
    }
}
