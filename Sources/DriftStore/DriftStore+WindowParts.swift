extension DriftStore {
    // MARK: Window parts

    /// Appends one ingest's partial state to an open window (part numbers 1, 2, … per window). Call it in the
    /// same transaction as `applyIngest`, after it (which creates the window row): the part is then exactly as
    /// durable as the ingest's idempotency key.
    public func appendWindowPart(source: String, start: Int64, state: [UInt8]) throws {
        try writing(source: source) {
            try withStatement("""
                INSERT INTO window_parts(source, window_start_ms, part, state)
                VALUES(?1, ?2, (SELECT coalesce(max(part), 0) + 1 FROM window_parts
                                WHERE source = ?1 AND window_start_ms = ?2), ?3)
                """) { s in
                try s.bind(1, source)
                try s.bind(2, start)
                try s.bind(3, blob: state)
                try s.step()
            }
        }
    }

    /// The partial states of a window, in part order.
    public func windowParts(source: String, start: Int64) throws -> [[UInt8]] {
        try mapped {
            try withStatement(
                "SELECT state FROM window_parts WHERE source = ?1 AND window_start_ms = ?2 ORDER BY part") { s in
                try s.bind(1, source)
                try s.bind(2, start)
                var out: [[UInt8]] = []
                while try s.step() { out.append(s.blob(at: 0)) }
                return out
            }
        }
    }

    /// Writes a window's merged state into `windows.state` and deletes its parts (one transaction).
    public func compactWindow(source: String, start: Int64, state: [UInt8]) throws {
        try writing(source: source) {
            try withStatement("UPDATE windows SET state = ?3 WHERE source = ?1 AND window_start_ms = ?2") { s in
                try s.bind(1, source)
                try s.bind(2, start)
                try s.bind(3, blob: state)
                try s.step()
            }
            try withStatement("DELETE FROM window_parts WHERE source = ?1 AND window_start_ms = ?2") { s in
                try s.bind(1, source)
                try s.bind(2, start)
                try s.step()
            }
        }
    }

    /// The windows of `source` not closed yet, oldest first.
    public func openWindows(source: String) throws -> [StoredWindow] {
        try mapped {
            try withStatement("""
                SELECT \(Self.windowColumns) FROM windows WHERE source = ?1 AND closed = 0 ORDER BY window_start_ms
                """) { s in
                try s.bind(1, source)
                var out: [StoredWindow] = []
                while try s.step() { out.append(Self.window(from: s)) }
                return out
            }
        }
    }

    /// The newest closed window of `source` (its state left empty: only bounds, counters and flags), or nil.
    public func lastClosedWindow(source: String) throws -> StoredWindow? {
        try mapped {
            try withStatement("""
                SELECT source, window_start_ms, window_end_ms, x'', rows, late_rows, closed, alerted, acknowledged,
                    updated_ms FROM windows WHERE source = ?1 AND closed = 1 ORDER BY window_start_ms DESC LIMIT 1
                """) { s in
                try s.bind(1, source)
                return try s.step() ? Self.window(from: s) : nil
            }
        }
    }

    // MARK: Progress

    /// Stores a source's ingest progress (replacing the previous one).
    public func putProgress(_ p: SourceProgress) throws {
        try writing(source: p.source) {
            try withStatement("""
                INSERT OR REPLACE INTO source_progress(source, max_event_ms, rows_seen, last_arrival_ms, late_rows)
                VALUES(?1, ?2, ?3, ?4, ?5)
                """) { s in
                try s.bind(1, p.source)
                try s.bind(2, p.maxEventMilliseconds)
                try s.bind(3, p.rowsSeen)
                try s.bind(4, p.lastArrivalMilliseconds)
                try s.bind(5, p.lateRows)
                try s.step()
            }
        }
    }

    /// A source's ingest progress, or nil before its first ingest.
    public func progress(source: String) throws -> SourceProgress? {
        try mapped {
            try withStatement("""
                SELECT max_event_ms, rows_seen, last_arrival_ms, late_rows FROM source_progress WHERE source = ?1
                """) { s in
                try s.bind(1, source)
                guard try s.step() else { return nil }
                return SourceProgress(source: source, maxEventMilliseconds: s.optionalInt64(at: 0),
                                      rowsSeen: s.int64(at: 1), lastArrivalMilliseconds: s.optionalInt64(at: 2),
                                      lateRows: s.int64(at: 3))
            }
        }
    }
}

extension DriftStore {
    /// The record of an idempotency key of `source` (when it was received, the rows it counted), or nil.
    public func ingestKeyRecord(source: String, key: String) throws -> (receivedMilliseconds: Int64, rows: UInt64)? {
        try mapped {
            try withStatement("SELECT received_ms, rows FROM ingest_keys WHERE source = ?1 AND key = ?2") { s in
                try s.bind(1, source)
                try s.bind(2, key)
                return try s.step() ? (s.int64(at: 0), UInt64(s.int64(at: 1))) : nil
            }
        }
    }
}
