extension DriftStore {
    /// Longest idempotency key, in UTF-8 bytes.
    public static let maximumIngestKeyBytes = 256
    /// Default retention of idempotency keys: 7 days. A retry after `pruneIngestKeys` removed its key is counted
    /// again.
    public static let defaultIngestKeyRetentionMilliseconds: Int64 = 7 * 24 * 3_600_000

    /// Records one ingest atomically (one transaction, or one savepoint of the open transaction): checks the
    /// idempotency key and, when it is new, records it and upserts every window update (state replaced, rows and
    /// late rows added, `updated_ms` set). With the same key a second time nothing is written and the first
    /// ingest's row count is returned. `key == nil` skips the check (not idempotent).
    ///
    /// Throws `.notFound` for an unknown source, `.invalidArgument` for an empty or oversized key, a window with
    /// end ≤ start or a closed window (the engine decides lateness before it gets here).
    @discardableResult
    public func applyIngest(source: String, key: String?, windowUpdates: [WindowUpdate]) throws -> IngestOutcome {
        if let key {
            guard !key.isEmpty, key.utf8.count <= Self.maximumIngestKeyBytes else {
                throw DriftStoreError.invalidArgument(
                    "idempotency key must be 1 to \(Self.maximumIngestKeyBytes) bytes")
            }
        }
        var total: UInt64 = 0
        for update in windowUpdates {
            guard update.endMilliseconds > update.startMilliseconds else {
                throw DriftStoreError.invalidArgument("window end must be after its start")
            }
            guard update.rowsAdded <= UInt64(Int64.max) / 2, update.lateRows <= UInt64(Int64.max) / 2 else {
                throw DriftStoreError.invalidArgument("row count out of range")
            }
            total &+= update.rowsAdded
        }
        let stamp = now()
        return try writing(source: source) {
            if let key {
                let first = try withStatement(
                    "SELECT received_ms, rows FROM ingest_keys WHERE source = ?1 AND key = ?2") { s in
                    try s.bind(1, source)
                    try s.bind(2, key)
                    return try s.step() ? (s.int64(at: 0), UInt64(s.int64(at: 1))) : nil
                }
                if let first { return .duplicate(receivedMilliseconds: first.0, rows: first.1) }
                try withStatement("INSERT INTO ingest_keys(source, key, received_ms, rows) VALUES(?1, ?2, ?3, ?4)") {
                    try $0.bind(1, source)
                    try $0.bind(2, key)
                    try $0.bind(3, stamp)
                    try $0.bind(4, count: total)
                    try $0.step()
                }
            }
            for update in windowUpdates {
                let closed = try withStatement(
                    "SELECT closed FROM windows WHERE source = ?1 AND window_start_ms = ?2") { s in
                    try s.bind(1, source)
                    try s.bind(2, update.startMilliseconds)
                    return try s.step() && s.int64(at: 0) != 0
                }
                if closed { throw DriftStoreError.invalidArgument("window \(update.startMilliseconds) is closed") }
                try withStatement("""
                    INSERT INTO windows(source, window_start_ms, window_end_ms, state, rows, late_rows, updated_ms)
                    VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)
                    ON CONFLICT(source, window_start_ms) DO UPDATE SET window_end_ms = excluded.window_end_ms,
                        state = excluded.state, rows = rows + excluded.rows, late_rows = late_rows + excluded.late_rows,
                        updated_ms = excluded.updated_ms
                    """) { s in
                    try s.bind(1, source)
                    try s.bind(2, update.startMilliseconds)
                    try s.bind(3, update.endMilliseconds)
                    try s.bind(4, blob: update.state)
                    try s.bind(5, count: update.rowsAdded)
                    try s.bind(6, count: update.lateRows)
                    try s.bind(7, stamp)
                    try s.step()
                }
            }
            return .applied
        }
    }

    /// Deletes idempotency keys received before `now − retentionMilliseconds`. Returns how many were deleted.
    @discardableResult
    public func pruneIngestKeys(retentionMilliseconds: Int64 = DriftStore.defaultIngestKeyRetentionMilliseconds)
        throws -> Int
    {
        let cutoff = now() - retentionMilliseconds
        return try writing(source: "") {
            try withStatement("DELETE FROM ingest_keys WHERE received_ms < ?1") { s in
                try s.bind(1, cutoff)
                try s.step()
                return connection.changes
            }
        }
    }

    // MARK: Windows

    static let windowColumns =
        "source, window_start_ms, window_end_ms, state, rows, late_rows, closed, alerted, acknowledged, updated_ms"

    static func window(from s: Statement) -> StoredWindow {
        StoredWindow(source: s.text(at: 0) ?? "", startMilliseconds: s.int64(at: 1), endMilliseconds: s.int64(at: 2),
                     state: s.blob(at: 3), rows: UInt64(s.int64(at: 4)), lateRows: UInt64(s.int64(at: 5)),
                     closed: s.int64(at: 6) != 0, alerted: s.int64(at: 7) != 0, acknowledged: s.int64(at: 8) != 0,
                     updatedMilliseconds: s.int64(at: 9))
    }

    /// The window of `source` starting at `start`, or nil.
    public func window(source: String, start: Int64) throws -> StoredWindow? {
        try mapped {
            try withStatement(
                "SELECT \(Self.windowColumns) FROM windows WHERE source = ?1 AND window_start_ms = ?2") { s in
                try s.bind(1, source)
                try s.bind(2, start)
                return try s.step() ? Self.window(from: s) : nil
            }
        }
    }

    /// The windows of `source` whose start lies in `from ..< to`, oldest first.
    public func windows(source: String, from: Int64, to: Int64) throws -> [StoredWindow] {
        try mapped {
            try withStatement("""
                SELECT \(Self.windowColumns) FROM windows
                WHERE source = ?1 AND window_start_ms >= ?2 AND window_start_ms < ?3 ORDER BY window_start_ms
                """) { s in
                try s.bind(1, source)
                try s.bind(2, from)
                try s.bind(3, to)
                var out: [StoredWindow] = []
                while try s.step() { out.append(Self.window(from: s)) }
                return out
            }
        }
    }

    /// The newest `count` closed windows of `source` starting before `before` that may enter a rolling baseline
    /// (not alerted, or alerted and acknowledged), oldest first.
    public func rollingBaselineWindows(source: String, before: Int64, count: Int) throws -> [StoredWindow] {
        guard count > 0 else { return [] }
        return try mapped {
            try withStatement("""
                SELECT \(Self.windowColumns) FROM windows
                WHERE source = ?1 AND window_start_ms < ?2 AND closed = 1 AND (alerted = 0 OR acknowledged = 1)
                ORDER BY window_start_ms DESC LIMIT ?3
                """) { s in
                try s.bind(1, source)
                try s.bind(2, before)
                try s.bind(3, Int64(count))
                var out: [StoredWindow] = []
                while try s.step() { out.append(Self.window(from: s)) }
                return out.reversed()
            }
        }
    }

    /// Marks the window closed (decided). Returns false when there is no such window.
    @discardableResult
    public func closeWindow(source: String, start: Int64) throws -> Bool {
        try setWindowFlag("closed", source: source, start: start)
    }

    /// Marks the window as having raised an alert (kept out of rolling baselines until acknowledged); clears an
    /// earlier acknowledgement. Returns false when there is no such window.
    @discardableResult
    public func markAlerted(source: String, start: Int64) throws -> Bool {
        try setWindowFlag("alerted", source: source, start: start)
    }

    /// Acknowledges the window's alert, letting it into rolling baselines. Returns false when there is no such
    /// window.
    @discardableResult
    public func acknowledge(source: String, start: Int64) throws -> Bool {
        try setWindowFlag("acknowledged", source: source, start: start)
    }

    /// `column` is one of the three fixed flag names above, never user input.
    private func setWindowFlag(_ column: String, source: String, start: Int64) throws -> Bool {
        let extra = column == "alerted" ? ", acknowledged = 0" : ""
        let stamp = now()
        return try writing(source: source) {
            try withStatement("""
                UPDATE windows SET \(column) = 1\(extra), updated_ms = ?3 WHERE source = ?1 AND window_start_ms = ?2
                """) { s in
                try s.bind(1, source)
                try s.bind(2, start)
                try s.bind(3, stamp)
                try s.step()
                return connection.changes > 0
            }
        }
    }
}
