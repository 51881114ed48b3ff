import DriftEngine
import DriftStore
import DriftWire

/// Limits of the alerting methods (PROTOCOL §13 "Alerting").
enum AlertingLimits {
    /// Matchers of one silence.
    static let maxMatchers = 32
    /// Bytes of one matcher, of `created_by` and of `comment`.
    static let maxMatcherBytes = 1_024
    static let maxAuthorBytes = 256
    static let maxCommentBytes = 4_096
    /// A silence lasts at most a year.
    static let maxSilenceMs: Int64 = 366 * 86_400_000
    /// Notifications per ListAlerts page: default and maximum; alerts listed at most.
    static let defaultNotifications = 50
    static let maxNotifications = 500
    static let maxAlerts = 1_000
    /// Attempts listed per notification.
    static let attemptsPerNotification = 5
}

extension ServerCore {
    /// CreateSilence (16): validated (`Silence.validate`: a matcher that does not match "", end after start),
    /// stored and handed to the dispatcher in one unit; answers the new id (16 hex digits).
    func createSilence(_ req: CreateSilenceRequest) throws -> SilenceID {
        let now = DriftStore.wallClockMilliseconds()
        guard req.matchers.count <= AlertingLimits.maxMatchers else {
            throw RequestError(.invalidArgument, "at most \(AlertingLimits.maxMatchers) matchers", fieldPath: "matchers")
        }
        var matchers: [Matcher] = []
        for (i, text) in req.matchers.enumerated() {
            guard text.utf8.count <= AlertingLimits.maxMatcherBytes else {
                throw RequestError(.invalidArgument, "matcher \(i) is over \(AlertingLimits.maxMatcherBytes) bytes",
                                   fieldPath: "matchers[\(i)]")
            }
            do { matchers.append(try Matcher.parse(text)) } catch {
                throw RequestError(.invalidArgument, "matcher \(i): \(error.message)", fieldPath: "matchers[\(i)]")
            }
        }
        for (field, text, limit) in [("created_by", req.createdBy, AlertingLimits.maxAuthorBytes),
                                     ("comment", req.comment, AlertingLimits.maxCommentBytes)] {
            guard text.utf8.count <= limit else {
                throw RequestError(.invalidArgument, "\(field) is over \(limit) bytes", fieldPath: field)
            }
            guard !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }) else {
                throw RequestError(.invalidArgument, "\(field) contains control characters", fieldPath: field)
            }
        }
        let start = req.startsMs == 0 ? now : req.startsMs
        guard req.endsMs > start else {
            throw RequestError(.invalidArgument, "ends_ms must be after the start", fieldPath: "ends_ms")
        }
        guard req.endsMs > now else {
            throw RequestError(.invalidArgument, "ends_ms is in the past: the silence would never mute anything",
                               fieldPath: "ends_ms")
        }
        guard req.endsMs &- start <= AlertingLimits.maxSilenceMs else {
            throw RequestError(.invalidArgument, "a silence lasts at most 366 days", fieldPath: "ends_ms")
        }
        let digits = String(UInt64.random(in: 1...UInt64.max), radix: 16)
        let id = String(repeating: "0", count: 16 - digits.count) + digits
        let silence = Silence(id: id, matchers: matchers, startsAtMs: start, endsAtMs: req.endsMs,
                              createdBy: req.createdBy, comment: req.comment)
        do { try silence.validate() } catch {
            throw RequestError(.invalidArgument, error.message, fieldPath: error.path == "endsAt" ? "ends_ms" : error.path)
        }
        let record = SilenceRecord(id: id, matchers: matchers.map(\.description), startsMilliseconds: start,
                                   endsMilliseconds: req.endsMs, createdBy: req.createdBy, comment: req.comment,
                                   createdMilliseconds: now)
        if alerting.needsReload { try reloadAlerting(nowMs: now) }
        let (pending, writes) = try alerting.addSilence(silence, record: record, nowMs: now) { writes in
            try writer.submit { store in try writes.apply(to: store) }
        }
        try Self.mapCommitErrors { try waitForAlertUnit(pending, writes) }
        return SilenceID(id: id)
    }

    /// ExpireSilence (17): ends the silence now (NOT_FOUND for an unknown id; `expired` false when it had
    /// already ended).
    func expireSilence(_ req: SilenceID) throws -> ExpireSilenceResponse {
        let now = DriftStore.wallClockMilliseconds()
        guard let stored = try withStore({ try $0.silences().first { $0.id == req.id } }) else {
            throw RequestError(.notFound, "no silence with id \(req.id)", fieldPath: "id")
        }
        guard stored.endsMilliseconds > now else {
            return ExpireSilenceResponse(expired: false, silence: Self.info(stored, nowMs: now))
        }
        if alerting.needsReload { try reloadAlerting(nowMs: now) }
        let (pending, writes) = try alerting.expireSilence(id: req.id, nowMs: now) { writes in
            try writer.submit { store in try writes.apply(to: store) }
        }
        try Self.mapCommitErrors { try waitForAlertUnit(pending, writes) }
        var ended = stored
        ended.endsMilliseconds = max(stored.startsMilliseconds, now)
        ended.expiredMilliseconds = now
        return ExpireSilenceResponse(expired: true, silence: Self.info(ended, nowMs: now))
    }

    /// ListAlerts (18): the firing alerts with their mute state, the silences, and a page of the outbox.
    func listAlerts(_ req: ListAlertsRequest) throws -> ListAlertsResponse {
        let now = DriftStore.wallClockMilliseconds()
        let limit = req.notificationLimit == 0 ? AlertingLimits.defaultNotifications
            : min(Int(req.notificationLimit), AlertingLimits.maxNotifications)
        let (alerts, _) = alerting.snapshot(nowMs: now)
        let before = req.beforeNotificationID == 0 ? nil : Int64(clamping: req.beforeNotificationID)
        let (silences, rows, attempts) = try withStore { store in
            let silences = try store.silences(endingAfterMs: req.includeEndedSilences ? nil : now)
            let rows = try store.recentAlertOutbox(limit: limit + 1, beforeID: before)
            var attempts: [Int64: [AlertAttemptRecord]] = [:]
            for r in rows.prefix(limit) {
                attempts[r.id] = try store.alertAttempts(outboxID: r.id, limit: AlertingLimits.attemptsPerNotification)
            }
            return (silences, rows, attempts)
        }
        let sorted = alerts.sorted { a, b in
            if a.0[label: Alert.sourceLabel] != b.0[label: Alert.sourceLabel] {
                return a.0[label: Alert.sourceLabel].utf8.lexicographicallyPrecedes(b.0[label: Alert.sourceLabel].utf8)
            }
            return a.0.fingerprint < b.0.fingerprint
        }
        return ListAlertsResponse(
            alerts: sorted.prefix(AlertingLimits.maxAlerts).map { Self.info($0.0, $0.1) },
            silences: silences.map { Self.info($0, nowMs: now) },
            notifications: rows.prefix(limit).map { Self.info($0, attempts: attempts[$0.id] ?? []) },
            nextBeforeID: rows.count > limit ? UInt64(rows[limit - 1].id) : 0,
            alertsTotal: UInt64(alerts.count), delivery: alerting.delivery != nil)
    }

    static func info(_ a: Alert, _ mute: AlertMuteState) -> AlertInfo {
        let (state, by): (String, [String]) = switch mute {
        case .active: ("active", [])
        case .silenced(let ids): ("silenced", ids)
        case .inhibited: ("inhibited", [])
        }
        return AlertInfo(labels: a.sortedLabelNames.map { AlertLabel(name: $0, value: a.labels[$0]!) },
                         annotations: a.annotations.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map {
                             AlertLabel(name: $0, value: a.annotations[$0]!)
                         },
                         startsMs: a.startsAtMs, state: state, silencedBy: by, fingerprint: a.fingerprintHex)
    }

    static func info(_ s: SilenceRecord, nowMs: Int64) -> SilenceInfo {
        let state = nowMs < s.startsMilliseconds ? "pending" : (nowMs < s.endsMilliseconds ? "active" : "expired")
        return SilenceInfo(id: s.id, matchers: s.matchers, startsMs: s.startsMilliseconds, endsMs: s.endsMilliseconds,
                           createdBy: s.createdBy, comment: s.comment, createdMs: s.createdMilliseconds, state: state)
    }

    static func info(_ r: AlertOutboxRecord, attempts: [AlertAttemptRecord]) -> NotificationInfo {
        let alerts = (try? AlertNotification.decode(r.notification)).map { $0.firing.count + $0.resolved.count } ?? 0
        return NotificationInfo(
            id: UInt64(max(0, r.id)), dedupKey: r.dedupKey, receiver: r.receiver, integration: r.integration,
            groupKey: r.groupKey, status: r.status, createdMs: r.createdMilliseconds, state: r.state.name,
            attempts: UInt64(max(0, r.attempts)), nextAttemptMs: r.nextAttemptMilliseconds,
            lastStatus: r.lastStatus.map { UInt32(clamping: $0) }, lastError: r.lastError ?? "",
            deliveredMs: r.deliveredMilliseconds,
            recentAttempts: attempts.map {
                DeliveryAttempt(atMs: $0.atMilliseconds, outcome: $0.outcome, status: $0.status.map { UInt32(clamping: $0) },
                                message: $0.message, durationUs: UInt64(max(0, $0.durationMicroseconds)))
            },
            alerts: UInt32(alerts))
    }
}
