/// Schema step 4: the partial states of open windows and each source's ingest progress.
///
/// ```
/// window_parts     (source, window_start_ms, part) PK, WITHOUT ROWID
///   source TEXT → sources(name) · window_start_ms · part (1, 2, … per window) · state BLOB (the engine's encoded
///   partial window state of one ingest: only the rows that ingest folded)
/// source_progress  source PK → sources(name), WITHOUT ROWID
///   max_event_ms NULL (largest event time seen) · rows_seen (row-count windows) · last_arrival_ms NULL
///   · late_rows (rows that arrived after their window closed, all windows)
/// ```
///
/// Why parts: a window's state grows to `value_cap` values per feature (megabytes); rewriting it whole on every
/// ingest would write the window again for each block. An ingest appends only its own partial state (its size
/// follows the block), in the same transaction as its idempotency key; the engine's states merge in any order to
/// the same bytes, so the window is the merge of its parts. Closing a window writes the merged state into
/// `windows.state` and deletes the parts.
enum WindowPartsSchema {
    static let sql = """
        CREATE TABLE window_parts(
            source TEXT NOT NULL REFERENCES sources(name),
            window_start_ms INTEGER NOT NULL,
            part INTEGER NOT NULL,
            state BLOB NOT NULL,
            PRIMARY KEY(source, window_start_ms, part)
        ) WITHOUT ROWID;
        CREATE TABLE source_progress(
            source TEXT PRIMARY KEY NOT NULL REFERENCES sources(name),
            max_event_ms INTEGER,
            rows_seen INTEGER NOT NULL DEFAULT 0,
            last_arrival_ms INTEGER,
            late_rows INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        """
}
