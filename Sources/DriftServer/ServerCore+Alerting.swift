import DriftEngine
import DriftStore
import DriftWire

extension ServerCore {
    /// Loads the dispatcher's stored state and the silences that have not ended (at start, and after a failed
    /// unit left memory ahead of the store).
    func reloadAlerting(nowMs: Int64) throws {
        let (bytes, silences) = try withStore { store in
            (try store.alertState(), try store.silences(endingAfterMs: nowMs))
        }
        if !alerting.load(state: bytes, silences: silences) { stats.errors.add(1, ordering: .relaxed) }
    }

    /// The alert components a group of decided windows sets: the `windows` component from their records (the
    /// latest record of each signal counts); none when no window had a baseline to be compared with.
    /// `requestID` (the Ingest that decided them; "" on the timer) goes into each alert's `request_id`
    /// annotation — the coordinator keeps the id of the request that first fired an alert while it fires.
    static func alertComponents(_ decided: [DecidedWindow], source: String, requestID: String = "") -> [String: [Alert]] {
        let records = decided.flatMap(\.records)
        guard !records.isEmpty else { return [:] }
        var alerts = AlertDerivation.alerts(from: records, source: source)
        if !requestID.isEmpty {
            for i in alerts.indices { alerts[i].annotations[AlertCoordinator.requestIDAnnotation] = requestID }
        }
        return [AlertCoordinator.windowsComponent: alerts]
    }

    /// Replaces alert components of `source` and submits ONE unit holding `body`'s writes and the alert writes
    /// (under the coordinator's lock; the caller waits with `waitForAlertUnit`). With no component to replace
    /// the unit is submitted as it is.
    func submitWithAlerts<R: Sendable>(source: String, components: [String: [Alert]], nowMs: Int64,
                                       _ body: @escaping @Sendable (DriftStore) throws -> R) throws
        -> (PendingUnit<R>, AlertWrites)
    {
        guard !components.isEmpty else { return (try writer.submit(body), .none) }
        if alerting.needsReload { try reloadAlerting(nowMs: nowMs) }
        return try alerting.update(source: source, components: components, nowMs: nowMs) { writes in
            try writer.submit { store -> R in
                let result = try body(store)
                try writes.apply(to: store)
                return result
            }
        }
    }

    /// Waits for a unit submitted with `submitWithAlerts`: wakes the delivery worker after its commit, or marks
    /// the alert state for a reload when it failed; rethrows the unit's error.
    func waitForAlertUnit<R: Sendable>(_ pending: PendingUnit<R>, _ writes: AlertWrites) throws -> R {
        do {
            let r = try pending.wait()
            alerting.committed(writes)
            return r
        } catch {
            if !writes.isEmpty { alerting.failed() }
            throw error
        }
    }

    /// The alert timer (on the monitoring thread): flushes the groups due at `nowMs` and commits what they
    /// decided. Cheap when nothing is due.
    func alertTick(nowMs: Int64) {
        guard let due = alerting.nextWakeMs, due <= nowMs else { return }
        do {
            if alerting.needsReload { try reloadAlerting(nowMs: nowMs) }
            let (pending, writes) = try alerting.tick(nowMs: nowMs) { writes -> PendingUnit<Void>? in
                guard !writes.isEmpty else { return nil }
                return try writer.submit { store in try writes.apply(to: store) }
            }
            if let pending { try waitForAlertUnit(pending, writes) }
        } catch {
            stats.errors.add(1, ordering: .relaxed)
        }
    }

    /// Re-evaluates the `performance` alert of one metric of `source` after a report and commits what the
    /// dispatcher decides (`PerformanceRule`).
    func updatePerformanceAlert(source: String, metric: String, nowMs: Int64) throws {
        let metrics = try withStore { try $0.modelMetrics(source: source, metric: metric) }
        let drifting = alerting.windowAlerts(source: source)
            .filter { $0[label: Alert.kindLabel] == AlertKind.drift.rawValue }
            .map { $0[label: Alert.featureLabel] }
        let alert = PerformanceRule.alert(source: source, metric: metric, metrics: metrics, drifting: drifting)
        let component = [AlertCoordinator.performanceComponent(metric: metric): alert.map { [$0] } ?? []]
        let (pending, writes) = try submitWithAlerts(source: source, components: component, nowMs: nowMs) { _ in () }
        try Self.mapCommitErrors { try waitForAlertUnit(pending, writes) }
    }

}
