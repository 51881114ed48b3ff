/// Schema step 4: the partial states of open windows, each source's ingest progress, and `windows` rebuilt as a
/// rowid table.
///
/// ```
/// window_parts     rowid table; UNIQUE (source, window_start_ms, part)
///   source TEXT → sources(name) · window_start_ms · part (1, 2, … per window) · state BLOB (one ingest's
///   contribution, opaque here: server-defined bytes — DriftServer stores the block as it arrived and the rows that fell
///   into the window, `WindowPart` "DWP1")
/// source_progress  source PK → sources(name), WITHOUT ROWID
///   max_event_ms NULL (largest event time seen) · rows_seen (row-count windows) · last_arrival_ms NULL
///   · late_rows (rows that arrived after their window closed, all windows)
/// windows          as in step 2, but a rowid table with PRIMARY KEY (source, window_start_ms) as its index
/// ```
///
/// Why parts: a window's state grows to `value_cap` values per feature (megabytes); rewriting it whole on every
/// ingest would write the window again for each block. An ingest appends only its own part (its size follows the
/// block), in the same transaction as its idempotency key; the engine's states merge in any order to the same
/// bytes, so the window is the merge of its parts. Closing a window writes the merged state into
/// `windows.state` and deletes the parts.
///
/// Why rowid tables for both: their rows carry blobs of megabytes. In a WITHOUT ROWID table the row is the
/// B-tree key, and SQLite reads a record that spills onto overflow pages whole to compare keys while it searches
/// (measured: the ingest writer spent most of its time in `sqlite3BtreeIndexMoveto` copying multi-megabyte window
/// rows); with a rowid the search runs over a small (source, start, rowid) index and a blob is read only when
/// asked for.
enum WindowPartsSchema {
    static let sql = """
        CREATE TABLE window_parts(
            source TEXT NOT NULL REFERENCES sources(name),
            window_start_ms INTEGER NOT NULL,
            part INTEGER NOT NULL,
            state BLOB NOT NULL,
            UNIQUE(source, window_start_ms, part)
        );
        CREATE TABLE source_progress(
            source TEXT PRIMARY KEY NOT NULL REFERENCES sources(name),
            max_event_ms INTEGER,
            rows_seen INTEGER NOT NULL DEFAULT 0,
            last_arrival_ms INTEGER,
            late_rows INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE TABLE windows_rowid(
            source TEXT NOT NULL REFERENCES sources(name),
            window_start_ms INTEGER NOT NULL,
            window_end_ms INTEGER NOT NULL,
            state BLOB NOT NULL,
            rows INTEGER NOT NULL,
            late_rows INTEGER NOT NULL,
            closed INTEGER NOT NULL DEFAULT 0,
            alerted INTEGER NOT NULL DEFAULT 0,
            acknowledged INTEGER NOT NULL DEFAULT 0,
            updated_ms INTEGER NOT NULL,
            PRIMARY KEY(source, window_start_ms)
        );
        INSERT INTO windows_rowid(source, window_start_ms, window_end_ms, state, rows, late_rows, closed, alerted,
                                  acknowledged, updated_ms)
            SELECT source, window_start_ms, window_end_ms, state, rows, late_rows, closed, alerted, acknowledged,
                   updated_ms FROM windows;
        DROP TABLE windows;
        ALTER TABLE windows_rowid RENAME TO windows;
        """
}
