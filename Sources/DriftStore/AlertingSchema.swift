/// Schema step 5: the alerting outbox, every delivery attempt, the alert dispatcher's state and silences.
///
/// ```
/// alert_outbox    rowid table; UNIQUE (dedup_key, receiver, integration)
///   id · dedup_key (AlertNotification.dedupKey) · receiver · integration ("webhook_configs[0]" …) · group_key
///   · status ("firing"/"resolved") · notification BLOB (engine-defined bytes, "DALN") · created_ms
///   · state (0 pending, 1 delivered, 2 failed — permanent —, 3 given up) · attempts · next_attempt_ms
///   · last_status NULL · last_error NULL · delivered_ms NULL
/// alert_attempts  one row per delivery attempt: outbox_id → alert_outbox(id) · at_ms · outcome
///   ("delivered"/"retryable"/"permanent"/"given_up") · status NULL · message · duration_us
/// alert_state     one row (id 1): the dispatcher's state (engine-defined bytes, "DALD") · updated_ms
/// silences        id PK · matchers (one matcher per line, Alertmanager's string form) · starts_ms · ends_ms
///   · created_by · comment · created_ms · expired_ms NULL
/// ```
///
/// The outbox rows and the dispatcher state are written in the same transaction as the verdicts that caused
/// them (DriftServer's alert coordinator); the unique key makes a notification written twice one row, so a
/// delivery worker sends each (dedup key, integration) once.
enum AlertingSchema {
    static let sql = """
        CREATE TABLE alert_outbox(
            id INTEGER PRIMARY KEY,
            dedup_key TEXT NOT NULL,
            receiver TEXT NOT NULL,
            integration TEXT NOT NULL,
            group_key TEXT NOT NULL,
            status TEXT NOT NULL,
            notification BLOB NOT NULL,
            created_ms INTEGER NOT NULL,
            state INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_ms INTEGER NOT NULL,
            last_status INTEGER,
            last_error TEXT,
            delivered_ms INTEGER,
            UNIQUE(dedup_key, receiver, integration)
        );
        CREATE INDEX alert_outbox_due ON alert_outbox(state, next_attempt_ms);
        CREATE TABLE alert_attempts(
            outbox_id INTEGER NOT NULL REFERENCES alert_outbox(id) ON DELETE CASCADE,
            at_ms INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            status INTEGER,
            message TEXT NOT NULL,
            duration_us INTEGER NOT NULL
        );
        CREATE INDEX alert_attempts_by_outbox ON alert_attempts(outbox_id, at_ms);
        CREATE TABLE alert_state(
            id INTEGER PRIMARY KEY CHECK (id = 1),
            state BLOB NOT NULL,
            updated_ms INTEGER NOT NULL
        );
        CREATE TABLE silences(
            id TEXT PRIMARY KEY NOT NULL,
            matchers TEXT NOT NULL,
            starts_ms INTEGER NOT NULL,
            ends_ms INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            comment TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            expired_ms INTEGER
        );
        """
}
