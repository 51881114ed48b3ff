import DriftTransport
import DriftWire

extension ServerCore {
    /// `GET /api/v1/sources`: every source (name order, up to 10,000) with its health at a glance — `status`
    /// ok / warning / critical / stale (stale wins; else the worst severity among features drifting or
    /// recovering), the drifting feature count, freshness and the last closed window.
    func sourcesJSON() -> HTTPResponse {
        do {
            var items: [String] = []
            var after: String? = nil
            while items.count < 10_000 {
                let page = try withStore { try $0.listSources(after: after, limit: 500) }
                for spec in page { items.append(try summaryJSON(spec)) }
                guard page.count == 500 else { break }
                after = page.last!.name
            }
            return .json(200, JSONText.object([("sources", JSONText.array(items))]) + "\n")
        } catch {
            return Self.errorResponse(error)
        }
    }

    /// `GET /api/v1/sources/{name}`: the source's GetSourceStatus answer as JSON, with its summary.
    func sourceJSON(_ name: String) -> HTTPResponse {
        do {
            guard let spec = try withStore({ try $0.source(named: name) }) else {
                return HTTPRouter.error(404, "not found", "no source named \(name)")
            }
            let status = try sourceStatus(GetSourceStatusRequest(source: name))
            let features = status.features.map { f in
                JSONText.object([
                    ("feature", JSONText.string(f.feature)), ("status", JSONText.string(Self.name(f.status))),
                    ("severity", JSONText.string(Self.name(f.severity))),
                    ("since_window_start_ms", f.sinceWindowStartMs.map { "\($0)" } ?? "null"),
                ])
            }
            return .json(200, JSONText.object(summaryMembers(spec, status) + [
                ("event_age_ms", status.eventAgeMs.map { "\($0)" } ?? "null"),
                ("arrival_age_ms", status.arrivalAgeMs.map { "\($0)" } ?? "null"),
                ("late_rows", "\(status.lateRows)"),
                ("features", JSONText.array(features)),
            ]) + "\n")
        } catch {
            return Self.errorResponse(error)
        }
    }

    private func summaryJSON(_ spec: SourceSpec) throws -> String {
        JSONText.object(summaryMembers(spec, try sourceStatus(GetSourceStatusRequest(source: spec.name))))
    }

    private func summaryMembers(_ spec: SourceSpec, _ s: GetSourceStatusResponse) -> [(String, String)] {
        let status = Self.health(s)
        return [
            ("name", JSONText.string(spec.name)), ("status", JSONText.string(status)),
            ("features", "\(spec.features.count)"),
            ("drifting_features", "\(s.features.filter { $0.status == .drifting }.count)"),
            ("freshness", JSONText.string(s.freshness == .stale ? "stale" : s.freshness == .fresh ? "fresh" : "no_sla")),
            ("stale_rule", JSONText.string(s.staleRule)),
            ("baseline_id", s.baselineID.map { "\($0)" } ?? "null"),
            ("last_closed_window", s.lastClosedWindow.map {
                JSONText.object([("start_ms", "\($0.startMs)"), ("end_ms", "\($0.endMs)")])
            } ?? "null"),
        ]
    }

    static func name(_ s: DriftWire.FeatureStatus) -> String {
        switch s {
        case .ok: "ok"
        case .drifting: "drifting"
        case .recovering: "recovering"
        default: "unknown"
        }
    }

    static func name(_ s: FeatureVerdict.Severity) -> String {
        switch s {
        case .warning: "warning"
        case .critical: "critical"
        default: "none"
        }
    }

    /// A JSON error: 404 for NOT_FOUND, 400 for INVALID_ARGUMENT, 409 for FAILED_PRECONDITION, else 500.
    static func errorResponse(_ error: any Error) -> HTTPResponse {
        if let e = error as? RequestError {
            switch e.status {
            case .notFound: return HTTPRouter.error(404, "not found", e.message)
            case .invalidArgument: return HTTPRouter.error(400, "bad request", e.message)
            case .failedPrecondition: return HTTPRouter.error(409, "conflict", e.message)
            default: return HTTPRouter.error(500, "error", e.message)
            }
        }
        return HTTPRouter.error(500, "error", "\(error)")
    }
}
