/// Schema step 2: monitoring over time — windows, ingest keys, verdict history, freshness checks, model metrics,
/// feature status, baseline kinds and the rollback pointer.
///
/// ```
/// windows          (source, window_start_ms) PK, WITHOUT ROWID
///   source TEXT → sources(name) · window_start_ms · window_end_ms · state BLOB (the engine's encoded window
///   state, opaque here) · rows · late_rows · closed 0/1 · alerted 0/1 · acknowledged 0/1 · updated_ms
/// ingest_keys      (source, key) PK, WITHOUT ROWID; index (received_ms) for retention
///   source TEXT → sources(name) · key TEXT (≤ 256 UTF-8 bytes) · received_ms · rows
/// history_sources  id INTEGER PRIMARY KEY · name TEXT UNIQUE → sources(name)
/// history_features id INTEGER PRIMARY KEY · source_id → history_sources · name TEXT; UNIQUE(source_id, name)
/// verdicts         (source_id, window_start_ms, feature_id, kind) PK, WITHOUT ROWID; index (feature_id,
///                  window_start_ms) — the row is clustered by source and window (a window's verdicts are
///                  adjacent, a source's recent history is one range); a feature's history is one index range.
///   window_ms (end − start) · baseline_id · test TEXT · statistic · p · p_adjusted · effect_name TEXT · effect
///   · warning · critical (REAL; NULL stands for NaN) · n_baseline · n_current · decision · severity · status
///   (small engine codes) · stale 0/1 · reasons TEXT · created_after_end_ms (created − window end: a small
///   varint where the absolute time would take 6 bytes)
/// freshness        (source, checked_ms) PK, WITHOUT ROWID
///   newest_event_ms NULL · last_arrival_ms NULL · max_age_ms · max_interval_ms · stale 0/1 · reason TEXT
/// model_metrics    (source, metric, window_start_ms) PK, WITHOUT ROWID · value REAL · reported_ms (upserted:
///                  a late label replaces the earlier value)
/// feature_status   (source, feature) PK, WITHOUT ROWID · state BLOB (the engine's hysteresis state) · updated_ms
/// baselines        + kind INTEGER (0 fixed, 1 rolling)
/// baseline_current + previous_id INTEGER NULL (the current baseline before the last promotion; rollback target)
/// ```
///
/// Names are interned (`history_sources`, `history_features`) so the ~9 M verdict rows of a year of hourly
/// windows for 1,000 features carry small integers instead of repeated strings.
enum MonitoringSchema {
    static let sql = """
        CREATE TABLE windows(
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
        ) WITHOUT ROWID;
        CREATE TABLE ingest_keys(
            source TEXT NOT NULL REFERENCES sources(name),
            key TEXT NOT NULL,
            received_ms INTEGER NOT NULL,
            rows INTEGER NOT NULL,
            PRIMARY KEY(source, key)
        ) WITHOUT ROWID;
        CREATE INDEX ingest_keys_received ON ingest_keys(received_ms);
        CREATE TABLE history_sources(
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE REFERENCES sources(name)
        );
        CREATE TABLE history_features(
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES history_sources(id),
            name TEXT NOT NULL,
            UNIQUE(source_id, name)
        );
        CREATE TABLE verdicts(
            source_id INTEGER NOT NULL,
            window_start_ms INTEGER NOT NULL,
            feature_id INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            window_ms INTEGER NOT NULL,
            baseline_id INTEGER NOT NULL,
            test TEXT NOT NULL,
            statistic REAL,
            p REAL,
            p_adjusted REAL,
            effect_name TEXT NOT NULL,
            effect REAL,
            warning REAL,
            critical REAL,
            n_baseline INTEGER NOT NULL,
            n_current INTEGER NOT NULL,
            decision INTEGER NOT NULL,
            severity INTEGER NOT NULL,
            status INTEGER NOT NULL,
            stale INTEGER NOT NULL,
            reasons TEXT NOT NULL,
            created_after_end_ms INTEGER NOT NULL,
            PRIMARY KEY(source_id, window_start_ms, feature_id, kind)
        ) WITHOUT ROWID;
        CREATE INDEX verdicts_feature ON verdicts(feature_id, window_start_ms);
        CREATE TABLE freshness(
            source TEXT NOT NULL REFERENCES sources(name),
            checked_ms INTEGER NOT NULL,
            newest_event_ms INTEGER,
            last_arrival_ms INTEGER,
            max_age_ms INTEGER NOT NULL,
            max_interval_ms INTEGER NOT NULL,
            stale INTEGER NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY(source, checked_ms)
        ) WITHOUT ROWID;
        CREATE TABLE model_metrics(
            source TEXT NOT NULL REFERENCES sources(name),
            metric TEXT NOT NULL,
            window_start_ms INTEGER NOT NULL,
            value REAL,
            reported_ms INTEGER NOT NULL,
            PRIMARY KEY(source, metric, window_start_ms)
        ) WITHOUT ROWID;
        CREATE TABLE feature_status(
            source TEXT NOT NULL REFERENCES sources(name),
            feature TEXT NOT NULL,
            state BLOB NOT NULL,
            updated_ms INTEGER NOT NULL,
            PRIMARY KEY(source, feature)
        ) WITHOUT ROWID;
        ALTER TABLE baselines ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE baseline_current ADD COLUMN previous_id INTEGER;
        """

    /// Schema step 3: `model_metrics` + `higher_is_better` INTEGER NULL (the direction given with the latest report;
    /// NULL for rows stored before) and an index (source, window_start_ms, metric) so a source's metrics page in
    /// window order (QueryHistory).
    static let metricsByWindowSQL = """
        ALTER TABLE model_metrics ADD COLUMN higher_is_better INTEGER;
        CREATE INDEX model_metrics_window ON model_metrics(source, window_start_ms, metric);
        """
}
