/// The alerting tables of schema step 5 (`AlertingSchema`): the outbox, attempts, dispatcher state, silences.
extension DriftStore {
    // MARK: Outbox

    /// Adds notifications to the outbox, pending and due at their creation time. A row whose (dedup key,
    /// receiver, integration) is already stored is left as it is (a notification is written once). Returns the
    /// number of rows added.
    @discardableResult
    public func insertAlertOutbox(_ items: [AlertOutboxInsert]) throws -> Int {
        guard !items.isEmpty else { return 0 }
        return try mapped {
            try connection.transaction {
                var added = 0
                for item in items {
                    try withStatement("""
                        INSERT OR IGNORE INTO alert_outbox(dedup_key, receiver, integration, group_key, status,
                            notification, created_ms, next_attempt_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
                        """) { s in
                        try s.bind(1, item.dedupKey)
                        try s.bind(2, item.receiver)
                        try s.bind(3, item.integration)
                        try s.bind(4, item.groupKey)
                        try s.bind(5, item.status)
                        try s.bind(6, blob: item.notification)
                        try s.bind(7, item.createdMilliseconds)
                        try s.step()
                    }
                    added += Int(connection.changes)
                }
                return added
            }
        }
    }

    private static let outboxColumns = """
        id, dedup_key, receiver, integration, group_key, status, notification, created_ms, state, attempts,
        next_attempt_ms, last_status, last_error, delivered_ms
        """

    private static func outbox(from s: Statement) -> AlertOutboxRecord {
        AlertOutboxRecord(id: s.int64(at: 0), dedupKey: s.text(at: 1) ?? "", receiver: s.text(at: 2) ?? "",
                          integration: s.text(at: 3) ?? "", groupKey: s.text(at: 4) ?? "", status: s.text(at: 5) ?? "",
                          notification: s.blob(at: 6), createdMilliseconds: s.int64(at: 7),
                          state: AlertOutboxState(rawValue: s.int64(at: 8)) ?? .pending, attempts: s.int64(at: 9),
                          nextAttemptMilliseconds: s.int64(at: 10), lastStatus: s.optionalInt64(at: 11),
                          lastError: s.text(at: 12), deliveredMilliseconds: s.optionalInt64(at: 13))
    }

    /// Pending rows due at `nowMs` (next attempt ≤ now), earliest first, at most `limit`.
    public func dueAlertOutbox(nowMs: Int64, limit: Int) throws -> [AlertOutboxRecord] {
        try mapped {
            try withStatement("""
                SELECT \(Self.outboxColumns) FROM alert_outbox WHERE state = 0 AND next_attempt_ms <= ?1
                ORDER BY next_attempt_ms, id LIMIT ?2
                """) { s in
                try s.bind(1, nowMs)
                try s.bind(2, Int64(max(0, limit)))
                var out: [AlertOutboxRecord] = []
                while try s.step() { out.append(Self.outbox(from: s)) }
                return out
            }
        }
    }

    /// The earliest next attempt of a pending row, nil when nothing is pending.
    public func nextAlertAttemptMilliseconds() throws -> Int64? {
        try mapped {
            try withStatement("SELECT MIN(next_attempt_ms) FROM alert_outbox WHERE state = 0") { s in
                guard try s.step() else { return nil }
                return s.optionalInt64(at: 0)
            }
        }
    }

    /// The newest outbox rows (by id, newest first), at most `limit`; only rows with id below `beforeID` when
    /// given (paging).
    public func recentAlertOutbox(limit: Int, beforeID: Int64? = nil) throws -> [AlertOutboxRecord] {
        try mapped {
            try withStatement("""
                SELECT \(Self.outboxColumns) FROM alert_outbox WHERE ?1 IS NULL OR id < ?1 ORDER BY id DESC LIMIT ?2
                """) { s in
                try s.bind(1, beforeID)
                try s.bind(2, Int64(max(0, limit)))
                var out: [AlertOutboxRecord] = []
                while try s.step() { out.append(Self.outbox(from: s)) }
                return out
            }
        }
    }

    /// Outbox rows by state: how many of each.
    public func alertOutboxCounts() throws -> [AlertOutboxState: Int] {
        try mapped {
            try withStatement("SELECT state, COUNT(*) FROM alert_outbox GROUP BY state") { s in
                var out: [AlertOutboxState: Int] = [:]
                while try s.step() {
                    if let state = AlertOutboxState(rawValue: s.int64(at: 0)) { out[state] = Int(s.int64(at: 1)) }
                }
                return out
            }
        }
    }

    /// Records one attempt and moves its row to `state` (pending rows get `nextAttemptMs`); a delivered row gets
    /// its delivery time. A row that is no longer pending is not changed (returns false): a row is delivered
    /// at most once.
    @discardableResult
    public func recordAlertAttempt(_ attempt: AlertAttemptRecord, state: AlertOutboxState,
                                   nextAttemptMs: Int64) throws -> Bool {
        try mapped {
            try connection.transaction {
                try withStatement("""
                    UPDATE alert_outbox SET state = ?2, attempts = attempts + ?3, next_attempt_ms = ?4,
                        last_status = ?5, last_error = ?6, delivered_ms = ?7 WHERE id = ?1 AND state = 0
                    """) { s in
                    try s.bind(1, attempt.outboxID)
                    try s.bind(2, state.rawValue)
                    try s.bind(3, Int64(attempt.outcome == AlertOutboxState.givenUp.name ? 0 : 1))
                    try s.bind(4, nextAttemptMs)
                    try s.bind(5, attempt.status)
                    try s.bind(6, state == .delivered ? nil : attempt.message)
                    try s.bind(7, state == .delivered ? attempt.atMilliseconds : nil)
                    try s.step()
                }
                guard connection.changes == 1 else { return false }
                try withStatement("""
                    INSERT INTO alert_attempts(outbox_id, at_ms, outcome, status, message, duration_us)
                    VALUES(?1, ?2, ?3, ?4, ?5, ?6)
                    """) { s in
                    try s.bind(1, attempt.outboxID)
                    try s.bind(2, attempt.atMilliseconds)
                    try s.bind(3, attempt.outcome)
                    try s.bind(4, attempt.status)
                    try s.bind(5, attempt.message)
                    try s.bind(6, attempt.durationMicroseconds)
                    try s.step()
                }
                return true
            }
        }
    }

    /// The attempts of one outbox row, newest first, at most `limit`.
    public func alertAttempts(outboxID: Int64, limit: Int) throws -> [AlertAttemptRecord] {
        try mapped {
            try withStatement("""
                SELECT at_ms, outcome, status, message, duration_us FROM alert_attempts WHERE outbox_id = ?1
                ORDER BY at_ms DESC, rowid DESC LIMIT ?2
                """) { s in
                try s.bind(1, outboxID)
                try s.bind(2, Int64(max(0, limit)))
                var out: [AlertAttemptRecord] = []
                while try s.step() {
                    out.append(AlertAttemptRecord(outboxID: outboxID, atMilliseconds: s.int64(at: 0),
                                                  outcome: s.text(at: 1) ?? "", status: s.optionalInt64(at: 2),
                                                  message: s.text(at: 3) ?? "", durationMicroseconds: s.int64(at: 4)))
                }
                return out
            }
        }
    }

    /// Deletes finished outbox rows (not pending) created before `beforeMs`, with their attempts.
    @discardableResult
    public func deleteFinishedAlertOutbox(beforeMs: Int64) throws -> Int {
        try mapped {
            try connection.transaction {
                try withStatement("""
                    DELETE FROM alert_attempts WHERE outbox_id IN
                        (SELECT id FROM alert_outbox WHERE state != 0 AND created_ms < ?1)
                    """) { s in
                    try s.bind(1, beforeMs)
                    try s.step()
                }
                return try withStatement("DELETE FROM alert_outbox WHERE state != 0 AND created_ms < ?1") { s in
                    try s.bind(1, beforeMs)
                    try s.step()
                    return Int(connection.changes)
                }
            }
        }
    }

    // MARK: Dispatcher state

    /// Replaces the stored dispatcher state.
    public func putAlertState(_ state: [UInt8], updatedMs: Int64) throws {
        try mapped {
            try withStatement("""
                INSERT INTO alert_state(id, state, updated_ms) VALUES(1, ?1, ?2)
                ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated_ms = excluded.updated_ms
                """) { s in
                try s.bind(1, blob: state)
                try s.bind(2, updatedMs)
                try s.step()
            }
        }
    }

    /// The stored dispatcher state, nil when none was stored.
    public func alertState() throws -> [UInt8]? {
        try mapped {
            try withStatement("SELECT state FROM alert_state WHERE id = 1") { s in
                try s.step() ? s.blob(at: 0) : nil
            }
        }
    }

    // MARK: Silences

    /// Stores a new silence; `DriftStoreError.conflict` when its id exists.
    public func insertSilence(_ silence: SilenceRecord) throws {
        try mapped {
            let exists = try withStatement("SELECT 1 FROM silences WHERE id = ?1") { s in
                try s.bind(1, silence.id)
                return try s.step()
            }
            if exists { throw DriftStoreError.conflict(source: silence.id) }
            try withStatement("""
                INSERT INTO silences(id, matchers, starts_ms, ends_ms, created_by, comment, created_ms, expired_ms)
                VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                """) { s in
                try s.bind(1, silence.id)
                try s.bind(2, silence.matchers.joined(separator: "\n"))
                try s.bind(3, silence.startsMilliseconds)
                try s.bind(4, silence.endsMilliseconds)
                try s.bind(5, silence.createdBy)
                try s.bind(6, silence.comment)
                try s.bind(7, silence.createdMilliseconds)
                try s.bind(8, silence.expiredMilliseconds)
                try s.step()
            }
        }
    }

    /// Ends a silence at `endsMs` and notes when it was expired; false when there is no such silence.
    @discardableResult
    public func expireSilence(id: String, endsMs: Int64, expiredMs: Int64) throws -> Bool {
        try mapped {
            try withStatement("UPDATE silences SET ends_ms = ?2, expired_ms = ?3 WHERE id = ?1") { s in
                try s.bind(1, id)
                try s.bind(2, endsMs)
                try s.bind(3, expiredMs)
                try s.step()
            }
            return connection.changes == 1
        }
    }

    /// Silences whose end is at or after `endingAfterMs` (nil: all), by start then id, at most `limit`.
    public func silences(endingAfterMs: Int64? = nil, limit: Int = 10_000) throws -> [SilenceRecord] {
        try mapped {
            try withStatement("""
                SELECT id, matchers, starts_ms, ends_ms, created_by, comment, created_ms, expired_ms FROM silences
                WHERE ?1 IS NULL OR ends_ms >= ?1 ORDER BY starts_ms, id LIMIT ?2
                """) { s in
                try s.bind(1, endingAfterMs)
                try s.bind(2, Int64(max(0, limit)))
                var out: [SilenceRecord] = []
                while try s.step() {
                    let text = s.text(at: 1) ?? ""
                    out.append(SilenceRecord(
                        id: s.text(at: 0) ?? "", matchers: text.isEmpty ? [] : text.split(separator: "\n").map(String.init),
                        startsMilliseconds: s.int64(at: 2), endsMilliseconds: s.int64(at: 3), createdBy: s.text(at: 4) ?? "",
                        comment: s.text(at: 5) ?? "", createdMilliseconds: s.int64(at: 6),
                        expiredMilliseconds: s.optionalInt64(at: 7)))
                }
                return out
            }
        }
    }
}
