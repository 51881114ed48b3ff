import DriftEngine
import DriftStore
import Synchronization

/// The server's side of alerting: one `AlertDispatcher` (the engine's grouping/timing state machine) for every
/// source, fed after each window decision, freshness change and model-metric report, and ticked by the
/// monitoring timer; what it decides is written to the outbox by the caller's group-commit unit.
///
/// The firing set of a source is the union of its *components*, each replaced whole by the event that owns it:
/// `windows` (the alerts derived from the latest decided window's records — every drift, null-rate and
/// correlation signal of the source has a record in each decided window), `freshness` (the latest freshness
/// record) and `performance:<metric>` (one model metric's rule, `PerformanceRule`). After a restart the
/// components are rebuilt from the stored dispatcher's firing alerts (by their `kind` and `metric` labels).
///
/// Lock order: a source's monitor lock → this coordinator's lock → the group-commit writer's queue (the store
/// lock is never taken under this lock: loading reads the store first). Units are *submitted* under the lock — so the dispatcher states reach the store in the order
/// they were computed, and the last committed state is the newest — and waited for outside it.
final class AlertCoordinator: Sendable {
    let config: AlertConfig
    /// The senders; nil = alerts are derived, grouped and listed, but nothing is written to the outbox.
    let delivery: (any AlertDelivering)?
    /// The dashboard's base URL for links in notifications (set once the HTTP port is bound when not configured).
    var dashboardURL: String? {
        get { dashboardBase.withLock { $0 } }
        set { dashboardBase.withLock { $0 = newValue } }
    }
    private let dashboardBase: Mutex<String?>
    let deliverySettings: AlertDeliverySettings
    /// Set when the delivery worker should look at the outbox now (new rows were committed).
    let outboxSignal = WakeSignal()
    private let state: Mutex<State>

    struct State: Sendable {
        var dispatcher: AlertDispatcher
        /// Firing alerts by source and component.
        var components: [String: [String: [Alert]]] = [:]
        /// The state bytes last handed to a unit (unchanged state is not written again).
        var lastState: [UInt8] = []
        /// A unit carrying a decision failed: reload from the store before the next decision.
        var stale = false
    }

    static let windowsComponent = "windows"
    /// The annotation naming the request whose verdict fired the alert (kept while the alert fires).
    static let requestIDAnnotation = "request_id"
    static let freshnessComponent = "freshness"
    static func performanceComponent(metric: String) -> String { "performance:" + metric }

    init(config: AlertConfig?, delivery: (any AlertDelivering)?, dashboardURL: String?,
         deliverySettings: AlertDeliverySettings) {
        self.config = config ?? Self.silentConfig
        self.delivery = config == nil ? nil : delivery
        dashboardBase = Mutex(dashboardURL)
        self.deliverySettings = deliverySettings
        state = Mutex(State(dispatcher: AlertDispatcher(config: self.config)))
    }

    /// Without an alerting configuration: one receiver, "default", that nothing is delivered to.
    static let silentConfig = AlertConfig(route: Route(receiver: "default"), receivers: [AlertReceiver(name: "default")])

    // MARK: Loading

    /// Restores the dispatcher from what the store holds: its state (`bytes`, nil when none was stored) and the
    /// silences that have not ended. An unreadable state starts empty (returns false).
    @discardableResult
    func load(state bytes: [UInt8]?, silences records: [SilenceRecord]) -> Bool {
        let silences = records.compactMap(Self.silence)
        return state.withLock { s in
            var ok = true
            var d = AlertDispatcher(config: config)
            if let bytes {
                do { d = try AlertDispatcher.decode(bytes, config: config) } catch { ok = false }
            }
            d.silences = silences
            s.dispatcher = d
            s.lastState = bytes ?? []
            s.components = Self.components(of: d.firing)
            s.stale = false
            return ok
        }
    }

    static func silence(_ r: SilenceRecord) -> Silence? {
        var matchers: [Matcher] = []
        for text in r.matchers {
            guard let m = try? Matcher.parse(text) else { return nil }
            matchers.append(m)
        }
        return Silence(id: r.id, matchers: matchers, startsAtMs: r.startsMilliseconds, endsAtMs: r.endsMilliseconds,
                       createdBy: r.createdBy, comment: r.comment)
    }

    /// Firing alerts sorted into their sources' components (after a restart).
    static func components(of firing: [Alert]) -> [String: [String: [Alert]]] {
        var out: [String: [String: [Alert]]] = [:]
        for a in firing {
            let component: String
            switch AlertKind(rawValue: a[label: Alert.kindLabel]) {
            case .freshness: component = freshnessComponent
            case .performance: component = performanceComponent(metric: a[label: PerformanceRule.metricLabel])
            default: component = windowsComponent
            }
            out[a[label: Alert.sourceLabel], default: [:]][component, default: []].append(a)
        }
        return out
    }

    // MARK: Decisions

    /// Replaces components of `source`'s firing set, lets the dispatcher decide at `nowMs`, and calls `submit`
    /// with what to write — under the coordinator's lock, so `submit` must only *submit* a unit (applying the
    /// writes inside it) and not wait for it. Returns `submit`'s result and the writes (for `committed`).
    func update<T>(source: String, components updates: [String: [Alert]], nowMs: Int64, 
                   submit: (AlertWrites) throws -> T) throws -> (T, AlertWrites) {
        try decide(nowMs: nowMs, submit: submit) { s in
            for (name, alerts) in updates {
                s.components[source, default: [:]][name] = Self.keepingFirstRequest(alerts, s.components[source]?[name] ?? [])
            }
            let firing = s.components[source, default: [:]].values.flatMap { $0 }
            return s.dispatcher.update(source: source, firing: firing, nowMs: nowMs)
        }
    }

    /// `alerts` with the `request_id` annotation of the same alert in `previous` (the request that fired it) when
    /// that one had one: a later window refreshing a firing alert does not change which request fired it.
    static func keepingFirstRequest(_ alerts: [Alert], _ previous: [Alert]) -> [Alert] {
        guard !previous.isEmpty else { return alerts }
        var first: [UInt64: String] = [:]
        for a in previous { if let id = a.annotations[requestIDAnnotation] { first[a.fingerprint] = id } }
        guard !first.isEmpty else { return alerts }
        return alerts.map { a in
            guard let id = first[a.fingerprint] else { return a }
            var kept = a
            kept.annotations[requestIDAnnotation] = id
            return kept
        }
    }

    /// Whether a failed unit left memory ahead of the store (the caller reloads with `load(state:silences:)`).
    var needsReload: Bool { state.withLock { $0.stale } }

    /// The timer: flushes the groups due at `nowMs`.
    func tick<T>(nowMs: Int64, submit: (AlertWrites) throws -> T) throws -> (T, AlertWrites) {
        try decide(nowMs: nowMs, submit: submit) { s in s.dispatcher.tick(nowMs: nowMs) }
    }

    /// The earliest due group flush.
    var nextWakeMs: Int64? { state.withLock { $0.dispatcher.nextWakeMs } }

    /// Adds a silence (validated by the caller) and submits its row with the new state.
    func addSilence<T>(_ silence: Silence, record: SilenceRecord, nowMs: Int64,
                       submit: (AlertWrites) throws -> T) throws -> (T, AlertWrites) {
        try decide(nowMs: nowMs, submit: submit, newSilence: record) { s in
            s.dispatcher.silences.append(silence)
            s.dispatcher.pruneSilences(beforeMs: nowMs)
            return []
        }
    }

    /// Ends a silence now (in memory and, through the writes, in the store).
    func expireSilence<T>(id: String, nowMs: Int64,
                          submit: (AlertWrites) throws -> T) throws -> (T, AlertWrites) {
        try decide(nowMs: nowMs, submit: submit, expired: id) { s in
            s.dispatcher.silences = s.dispatcher.silences.map { $0.id == id ? $0.expired(atMs: nowMs) : $0 }
            s.dispatcher.pruneSilences(beforeMs: nowMs)
            return []
        }
    }

    private func decide<T>(nowMs: Int64, submit: (AlertWrites) throws -> T,
                           newSilence: SilenceRecord? = nil, expired: String? = nil,
                           _ change: (inout State) -> [AlertNotification]) throws -> (T, AlertWrites) {
        return try state.withLock { s in
            let before = s
            let notifications = change(&s)
            var writes = AlertWrites(nowMs: nowMs)
            writes.newSilence = newSilence
            if let expired { writes.expiredSilence = (expired, nowMs) }
            if let delivery {
                for n in notifications {
                    let bytes = n.encode()
                    for integration in delivery.integrations(ofReceiver: n.receiver) {
                        writes.outbox.append(AlertOutboxInsert(
                            dedupKey: n.dedupKey, receiver: n.receiver, integration: integration, groupKey: n.groupKey,
                            status: n.status, notification: bytes, createdMilliseconds: n.createdMs))
                    }
                }
            }
            let encoded = s.dispatcher.encode()
            if encoded != s.lastState { writes.state = encoded }
            do {
                let result = try submit(writes)
                s.lastState = encoded
                return (result, writes)
            } catch {
                s = before  // nothing was submitted: as if the decision had not been taken
                throw error
            }
        }
    }

    /// After the unit holding `writes` committed: wakes the delivery worker when it added outbox rows.
    func committed(_ writes: AlertWrites) {
        if !writes.outbox.isEmpty { outboxSignal.signal() }
    }

    /// The unit holding a decision failed: memory is ahead of the store; the next decision reloads it first
    /// (a decision taken again gets the same dedup keys, so nothing is sent twice).
    func failed() {
        state.withLock { $0.stale = true }
    }

    // MARK: Reading

    /// The firing alerts (all sources, by fingerprint), their mute state at `nowMs`, and the silences.
    func snapshot(nowMs: Int64) -> (alerts: [(Alert, AlertMuteState)], silences: [Silence]) {
        state.withLock { s in
            (s.dispatcher.firing.map { ($0, s.dispatcher.muteState(of: $0, nowMs: nowMs)) }, s.dispatcher.silences)
        }
    }

    /// The firing alerts of one source's `windows` component.
    func windowAlerts(source: String) -> [Alert] {
        state.withLock { $0.components[source]?[Self.windowsComponent] ?? [] }
    }
}
