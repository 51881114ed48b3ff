import DriftTransport

extension ServerCore {
    /// The dashboard's routes: HTML pages (`/`, `/sources/{name}`, `/sources/{name}/features/{feature}`,
    /// `/alerts`), their script (`/static/app.js`) and the JSON behind them (`/api/v1/sources/{name}/features/
    /// {feature}`, `/api/v1/sources/{name}/metrics`, `/api/v1/history`, `/api/v1/alerts`).
    func dashboardRoutes() -> [HTTPRouter.Route] {
        let p = HTTPRouter.Route.parameter
        return [
            HTTPRouter.Route(path: []) { [self] _ in overviewPage() },
            HTTPRouter.Route(path: ["sources", p]) { [self] r in sourcePage(r.pathSegments[1]) },
            HTTPRouter.Route(path: ["sources", p, "features", p]) { [self] r in featurePage(r.pathSegments[1], r.pathSegments[3]) },
            HTTPRouter.Route(path: ["alerts"]) { [self] r in alertsPage(r) },
            HTTPRouter.Route(path: ["api", "v1", "alerts"]) { [self] r in alertsJSON(r) },
            HTTPRouter.Route(path: ["static", "app.js"]) { _ in DashboardScript.response() },
            HTTPRouter.Route(path: ["api", "v1", "sources", p, "features", p]) { [self] r in
                featureJSON(r.pathSegments[3], r.pathSegments[5])
            },
            HTTPRouter.Route(path: ["api", "v1", "sources", p, "metrics"]) { [self] r in metricsJSON(r.pathSegments[3]) },
            HTTPRouter.Route(path: ["api", "v1", "history"]) { [self] r in historyJSON(r) },
        ]
    }
}
