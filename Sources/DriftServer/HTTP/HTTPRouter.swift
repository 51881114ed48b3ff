import DriftTransport
import DriftWire

/// driftd's HTTP routes: fixed paths matched on percent-decoded segments (`HTTPRequest.pathSegments`), GET only
/// (HEAD answers every GET), handlers run on a small pool of their own — never on the loop thread, and never
/// behind the compute workers, so `/healthz` answers while every worker is busy.
///
/// Every response carries `Cache-Control: no-store` and `X-Content-Type-Options: nosniff`; an unknown path is a
/// 404 JSON error, a known path with another method a 405 with `Allow: GET, HEAD`.
final class HTTPRouter: HTTPHandler {
    struct Route: Sendable {
        /// Segments to match; `Route.parameter` matches any one segment (handlers read it from
        /// `request.pathSegments`).
        let path: [String]
        let handler: @Sendable (HTTPRequest) -> HTTPResponse

        static let parameter = "{}"

        func matches(_ segments: [String]) -> Bool {
            path.count == segments.count && zip(path, segments).allSatisfy { $0 == Self.parameter || $0 == $1 }
        }
    }

    let routes: [Route]
    private let pool: WorkerPool

    init(routes: [Route], pool: WorkerPool) {
        self.routes = routes
        self.pool = pool
    }

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        let accepted = pool.submit { [self] in responder.respond(self.response(to: request)) }
        if !accepted { responder.respond(Self.finish(Self.error(503, "unavailable", "driftd is stopping"))) }
    }

    /// The route's answer with the common headers (also used directly by tests).
    func response(to request: HTTPRequest) -> HTTPResponse {
        guard let route = routes.first(where: { $0.matches(request.pathSegments) }) else {
            return Self.finish(Self.error(404, "not found", "no such path: /" + request.pathSegments.joined(separator: "/")))
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            var r = Self.error(405, "method not allowed", "\(request.method) is not allowed here; use GET or HEAD")
            r.headers.append(HTTPHeader("Allow", "GET, HEAD"))
            return Self.finish(r)
        }
        return Self.finish(route.handler(request))
    }

    static func finish(_ response: HTTPResponse) -> HTTPResponse {
        var r = response
        r.headers.append(HTTPHeader("Cache-Control", "no-store"))
        r.headers.append(HTTPHeader("X-Content-Type-Options", "nosniff"))
        return r
    }

    /// `{"error": …, "detail": …}` with a newline.
    static func error(_ status: Int, _ error: String, _ detail: String) -> HTTPResponse {
        .json(status, JSONText.object([("error", JSONText.string(error)), ("detail", JSONText.string(detail))]) + "\n")
    }
}

extension ServerCore {
    /// The routes of driftd's HTTP endpoint (issue 6's foundation; the dashboard pages and `/metrics` come later):
    /// `/healthz`, `/readyz`, `/api/v1/stats`, `/api/v1/sources` (every source with its health summary) and
    /// `/api/v1/sources/{name}` (one source's monitoring status, feature by feature).
    func httpRoutes(ready: @escaping @Sendable () -> Bool) -> [HTTPRouter.Route] {
        [
            HTTPRouter.Route(path: ["healthz"]) { _ in .text(200, "ok\n") },
            HTTPRouter.Route(path: ["readyz"]) { _ in
                ready() ? .text(200, "ready\n") : .text(503, "not ready\n")
            },
            HTTPRouter.Route(path: ["api", "v1", "stats"]) { [self] _ in .json(200, statsJSON() + "\n") },
            HTTPRouter.Route(path: ["metrics"]) { [self] _ in metricsResponse() },
            HTTPRouter.Route(path: ["api", "v1", "sources"]) { [self] _ in sourcesJSON() },
            HTTPRouter.Route(path: ["api", "v1", "sources", HTTPRouter.Route.parameter]) { [self] request in
                sourceJSON(request.pathSegments[3])
            },
        ] + dashboardRoutes()
    }

    /// ServerStats (the RPC method's answer) as JSON, snake_case keys like the protobuf fields.
    func statsJSON() -> String {
        let s = stats.snapshot(uptimeMs: UInt64(micros(ContinuousClock.now - started) / 1000),
                               connections: UInt64(sessions.withLock { $0.count }),
                               queued: queuedRequests.load(ordering: .relaxed), workers: pool.count)
        let methods = s.requestsByMethod.map { m in
            JSONText.object([
                ("method", JSONText.string(MethodID(rawValue: UInt16(clamping: m.methodID)).map(\.name) ?? "method \(m.methodID)")),
                ("method_id", "\(m.methodID)"), ("count", "\(m.count)"),
            ])
        }
        return JSONText.object([
            ("uptime_ms", "\(s.uptimeMs)"), ("requests_total", "\(s.requestsTotal)"),
            ("requests_by_method", JSONText.array(methods)), ("errors_total", "\(s.errorsTotal)"),
            ("budget_misses_total", "\(s.budgetMissesTotal)"), ("budget_refusals_total", "\(s.budgetRefusalsTotal)"),
            ("approximate_total", "\(s.approximateTotal)"), ("cancelled_total", "\(s.cancelledTotal)"),
            ("auth_failures_total", "\(s.authFailuresTotal)"), ("values_processed_total", "\(s.valuesProcessedTotal)"),
            ("bytes_received_total", "\(s.bytesReceivedTotal)"), ("in_flight", "\(s.inFlight)"),
            ("queued", "\(s.queued)"), ("connections", "\(s.connections)"), ("workers", "\(s.workers)"),
        ])
    }
}
