import DriftColumnar
import DriftEngine
import DriftStore
import DriftWire
import Synchronization

extension ServerCore {
    /// The source's definition and current decoded baseline (cached; decoded from the store on first use).
    func sourceAndBaseline(_ name: String) throws -> (SourceSpec, (id: UInt64, state: BaselineState)?) {
        let (spec, current) = try withStore { store -> (SourceSpec?, (id: UInt64, state: BaselineState)?) in
            guard let spec = try store.source(named: name) else { return (nil, nil) }
            if let cached = baselines.withLock({ $0[name] }) { return (spec, cached) }
            guard let stored = try store.currentBaseline(source: name) else { return (spec, nil) }
            let state: BaselineState
            do { state = try BaselineState.decode(stored.state) } catch {
                throw RequestError(.dataLoss, "stored baseline \(stored.id) of \(name) is unreadable: \(error)")
            }
            baselines.withLock { $0[name] = (stored.id, state) }
            return (spec, (stored.id, state))
        }
        guard let spec else { throw RequestError(.notFound, "no source named \(name)", fieldPath: "source") }
        return (spec, current)
    }

    /// One block against the source's current baseline: one verdict per declared feature, in the source's order,
    /// the features spread over idle workers.
    func checkDrift(_ req: CheckDriftRequest, _ frame: Frame, mode: ComputeMode, ticket: RequestTicket,
                    queueWaitUs: UInt64) throws -> CheckDriftResponse {
        let (spec, baseline) = try sourceAndBaseline(req.source)
        guard let current = baseline else {
            throw RequestError(.failedPrecondition, "source \(req.source) has no baseline yet")
        }
        let t0 = ContinuousClock.now
        let block = try decodeBlock(frame)
        let t1 = ContinuousClock.now
        // Type mismatches are the client's error for the whole request: check them before computing anything.
        for f in spec.features {
            if let col = block.column(named: f.name), col.type.rawValue != f.type {
                throw RequestError(.invalidArgument, "column \(f.name) is \(col.type.name), the feature is type \(f.type)",
                                   fieldPath: f.name)
            }
        }
        let features = spec.features
        let results = Mutex<[Result<FeatureVerdict, RequestError>?]>(Array(repeating: nil, count: features.count))
        let state = current.state
        pool.concurrentForEach(features.count) { i in
            let f = features[i]
            let r: Result<FeatureVerdict, RequestError>
            if ticket.isCancelled {
                r = .failure(RequestError(.cancelled, "cancelled by the client"))
            } else if let fb = state[f.name] {
                if let col = block.column(named: f.name) {
                    do {
                        r = .success(try FeatureBuilder.compare(f, col, against: fb, approximate: mode == .approximate))
                    } catch let e as RequestError {
                        r = .failure(e)
                    } catch {
                        r = .failure(RequestError(.internal, "\(f.name): \(error)"))
                    }
                } else {
                    r = .success(FeatureVerdict(feature: f.name, kind: FeatureBuilder.kind(f), decision: .insufficientData,
                                                notes: ["the block has no column \(f.name); not compared"]))
                }
            } else {
                r = .success(FeatureVerdict(feature: f.name, kind: FeatureBuilder.kind(f), decision: .insufficientData,
                                            notes: ["the baseline has no state for this feature"]))
            }
            results.withLock { $0[i] = r }
        }
        var verdicts: [FeatureVerdict] = []
        verdicts.reserveCapacity(features.count)
        for r in results.withLock({ $0 }) {
            switch r! {
            case .success(let v): verdicts.append(v)
            case .failure(let e): throw e
            }
        }
        let declared = Set(features.map(\.name))
        let ignored = block.columns.map(\.name).filter { !declared.contains($0) }
        if !ignored.isEmpty && !verdicts.isEmpty {
            verdicts[0].notes.append("undeclared columns ignored: " + ignored.joined(separator: ", "))
        }
        let t2 = ContinuousClock.now
        stats.valuesProcessed.add(UInt64(block.rowCount * features.count), ordering: .relaxed)
        if mode == .approximate { stats.approximateAnswers.add(1, ordering: .relaxed) }
        return CheckDriftResponse(baselineID: current.id, verdicts: verdicts,
                                  timings: ServerTimings(queueWaitUs: queueWaitUs, decodeUs: micros(t1 - t0),
                                                         computeUs: micros(t2 - t1)),
                                  approximate: verdicts.contains { $0.approximate })
    }
}
