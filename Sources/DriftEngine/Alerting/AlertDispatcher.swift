/// The alert decision state machine: routes firing alerts into groups, times each group's notifications, and
/// decides what each receiver is told. A value type with no clock and no I/O — every time is an Int64 ms
/// passed in — so the server persists it (``encode()``) and replays it exactly.
///
/// Semantics (Alertmanager's dispatcher, aggregation groups and dedup stage, with the deviations listed in
/// ARCHITECTURE.md "Alerting decisions"):
/// - ``update(firing:nowMs:)`` sets the firing alerts; each is routed (``Route/match(_:)``) and, per matching
///   route, put into the group of the route and its group labels (``GroupBy``). A group created at `t` first
///   flushes at `t + group_wait`; after a flush at `f`, the next is at `f + group_interval`. An alert that is no
///   longer in the firing set is resolved at `nowMs` (endsAt) and stays in its groups until their next flush.
/// - At a flush, silences (active at the flush time) and inhibition (against all alerts firing at the flush)
///   decide which alerts are muted; the others form the candidate notification. It is sent when the group was
///   never notified and something fires; when a firing alert is not in the last notification; when nothing fires
///   any more but the last notification had firing alerts (the "all resolved" message); when, with send_resolved,
///   an alert resolved that the last notification did not list as resolved; or, unchanged, when
///   `nowMs − last notification ≥ repeat_interval`. Without send_resolved, resolved alerts are left out, and an
///   all-resolved decision is recorded but not sent. Resolved alerts leave the group after the flush, and an empty
///   group is removed (a later alert starts a new group with a new group_wait).
/// - Flushes happen only at ``tick(nowMs:)`` or ``update(firing:nowMs:)`` times at or past the due time; a late
///   tick flushes once. ``nextWakeMs`` tells the caller when to tick next.
public struct AlertDispatcher: Sendable {
    public let config: AlertConfig
    /// Silences consulted at every flush (expired ones may stay; ``pruneSilences(beforeMs:)`` drops them).
    public var silences: [Silence]
    /// The currently firing alerts by fingerprint.
    var firingAlerts: [UInt64: Alert]
    /// Aggregation groups by group key.
    var groups: [String: AlertGroup]

    public init(config: AlertConfig, silences: [Silence] = []) {
        self.config = config
        self.silences = silences
        self.firingAlerts = [:]
        self.groups = [:]
    }

    /// The firing alerts, by fingerprint.
    public var firing: [Alert] { firingAlerts.keys.sorted().map { firingAlerts[$0]! } }

    /// The earliest due flush, nil when there are no groups.
    public var nextWakeMs: Int64? { groups.values.map(\.nextFlushMs).min() }

    /// The group keys, sorted.
    public var groupKeys: [String] { groups.keys.sorted(by: AlertHash.byteOrder) }

    /// Replaces the whole firing set (all sources) and flushes the groups due at `nowMs`.
    public mutating func update(firing alerts: [Alert], nowMs: Int64) -> [AlertNotification] {
        apply(alerts, nowMs: nowMs) { _ in true }
        return tick(nowMs: nowMs)
    }

    /// Replaces the firing alerts of one source (those with `source=<source>`; other alerts are untouched) and
    /// flushes the groups due at `nowMs`. Alerts given here that belong to another source are ignored.
    public mutating func update(source: String, firing alerts: [Alert], nowMs: Int64) -> [AlertNotification] {
        apply(alerts.filter { $0[label: Alert.sourceLabel] == source }, nowMs: nowMs) {
            $0[label: Alert.sourceLabel] == source
        }
        return tick(nowMs: nowMs)
    }

    /// Flushes every group due at `nowMs` (in group-key order) and returns the notifications to send.
    public mutating func tick(nowMs: Int64) -> [AlertNotification] {
        var out: [AlertNotification] = []
        for key in groupKeys where groups[key]!.nextFlushMs <= nowMs {
            if let n = flush(key, nowMs: nowMs) { out.append(n) }
        }
        return out
    }

    /// Whether `alert` would be sent now: silenced (by active silences at `nowMs`), inhibited (by a firing
    /// alert), or active.
    public func muteState(of alert: Alert, nowMs: Int64) -> AlertMuteState {
        let ids = silences.filter { $0.mutes(alert.labels, atMs: nowMs) }.map(\.id)
        if !ids.isEmpty { return .silenced(ids) }
        for rule in config.inhibitRules {
            for source in firingAlerts.values where rule.inhibits(alert, by: source) { return .inhibited }
        }
        return .active
    }

    /// Drops silences that ended before `nowMs`.
    public mutating func pruneSilences(beforeMs nowMs: Int64) { silences.removeAll { $0.endsAtMs < nowMs } }

    // MARK: - Internals

    private mutating func apply(_ alerts: [Alert], nowMs: Int64, inScope: (Alert) -> Bool) {
        var incoming: [UInt64: Alert] = [:]
        for var a in alerts {
            a.endsAtMs = nil
            incoming[a.fingerprint] = a
        }
        // Resolve what stopped firing.
        for (fp, old) in firingAlerts where incoming[fp] == nil && inScope(old) {
            firingAlerts[fp] = nil
            for key in groups.keys where groups[key]!.alerts[fp] != nil {
                groups[key]!.alerts[fp]!.endsAtMs = nowMs
            }
        }
        // Add or refresh the firing ones, in fingerprint order (deterministic group creation).
        for fp in incoming.keys.sorted() {
            let alert = incoming[fp]!
            firingAlerts[fp] = alert
            for route in config.route.match(alert.labels) {
                let labels = route.groupBy.groupLabels(of: alert.labels)
                let key = AlertGroup.key(routeKey: route.key, groupLabels: labels)
                if groups[key] == nil {
                    groups[key] = AlertGroup(routeKey: route.key, groupKey: key, groupLabels: labels, createdMs: nowMs,
                                             nextFlushMs: Self.adding(nowMs, route.groupWaitMs))
                }
                groups[key]!.alerts[fp] = alert
            }
        }
    }

    private func route(forKey key: String) -> Route? { config.route.flattened.first { $0.key == key } }

    private mutating func flush(_ key: String, nowMs: Int64) -> AlertNotification? {
        var group = groups[key]!
        guard let route = route(forKey: group.routeKey) else {
            groups[key] = nil
            return nil
        }
        let receiver = config.receiver(named: route.receiver)
        var firing: [Alert] = [], resolved: [Alert] = [], silenced: [Alert] = [], inhibited: [Alert] = []
        for fp in group.alerts.keys.sorted() {
            let alert = group.alerts[fp]!
            switch muteState(of: alert, nowMs: nowMs) {
            case .silenced: silenced.append(alert)
            case .inhibited: inhibited.append(alert)
            case .active: if alert.isResolved { resolved.append(alert) } else { firing.append(alert) }
            }
        }
        let firingSet = firing.map(\.fingerprint), resolvedSet = resolved.map(\.fingerprint)
        let needsUpdate: Bool
        if let last = group.lastNotifiedMs {
            if !Set(firingSet).isSubset(of: group.lastFiring) {
                needsUpdate = true
            } else if firingSet.isEmpty {
                needsUpdate = !group.lastFiring.isEmpty
            } else if receiver.sendResolved && !Set(resolvedSet).isSubset(of: group.lastResolved) {
                needsUpdate = true
            } else {
                needsUpdate = Self.subtracting(nowMs, last) >= route.repeatIntervalMs
            }
        } else {
            needsUpdate = !firingSet.isEmpty
        }
        var notification: AlertNotification?
        if needsUpdate {
            group.sequence += 1
            group.lastNotifiedMs = nowMs
            group.lastFiring = firingSet
            group.lastResolved = resolvedSet
            if !firing.isEmpty || (receiver.sendResolved && !resolved.isEmpty) {
                let sent = receiver.sendResolved ? resolved : []
                notification = AlertNotification(
                    receiver: receiver.name, groupKey: group.groupKey, groupLabels: group.groupLabels, firing: firing,
                    resolved: sent, silenced: silenced, inhibited: inhibited,
                    dedupKey: Self.dedupKey(receiver: receiver.name, group: group, firing: firingSet,
                                            resolved: sent.map(\.fingerprint)),
                    createdMs: nowMs, sequence: group.sequence)
            }
        }
        group.alerts = group.alerts.filter { !$0.value.isResolved }
        group.nextFlushMs = Self.adding(nowMs, route.groupIntervalMs)
        groups[key] = group.alerts.isEmpty ? nil : group
        return notification
    }

    static func dedupKey(receiver: String, group: AlertGroup, firing: [UInt64], resolved: [UInt64]) -> String {
        var h = AlertHash.add(AlertHash.offsetBasis, receiver)
        h = AlertHash.add(h, byte: AlertHash.separator)
        h = AlertHash.add(h, group.groupKey)
        h = AlertHash.add(h, byte: AlertHash.separator)
        h = AlertHash.add(h, u64: UInt64(bitPattern: group.createdMs))
        h = AlertHash.add(h, u64: group.sequence)
        for fp in firing { h = AlertHash.add(h, u64: fp) }
        h = AlertHash.add(h, byte: AlertHash.separator)
        for fp in resolved { h = AlertHash.add(h, u64: fp) }
        return AlertHash.hex(h)
    }

    static func adding(_ a: Int64, _ b: Int64) -> Int64 {
        let (s, o) = a.addingReportingOverflow(b)
        return o ? (b > 0 ? .max : .min) : s
    }

    static func subtracting(_ a: Int64, _ b: Int64) -> Int64 {
        let (s, o) = a.subtractingReportingOverflow(b)
        return o ? (b < 0 ? .max : .min) : s
    }
}
