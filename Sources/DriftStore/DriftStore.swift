import CSQLite
import DriftWire
#if canImport(Glibc)
import Glibc
#endif

/// Errors of `DriftStore`. SQLite failures that are not mapped to a typed case arrive as `.sqlite`.
public enum DriftStoreError: Error, Sendable, Equatable {
    /// A source with this name exists with a different definition (CreateSource is idempotent only for equal
    /// definitions).
    case conflict(source: String)
    /// No source with this name.
    case notFound(source: String)
    /// The request is not storable (e.g. an empty source name).
    case invalidArgument(String)
    /// A stored row could not be decoded.
    case corrupt(String)
    case sqlite(SQLiteError)
}

/// A stored baseline: its id (1, 2, … per source), its row count and the engine's opaque state blob.
public struct StoredBaseline: Sendable, Equatable {
    public var id: UInt64
    public var rows: UInt64
    public var createdMilliseconds: Int64
    public var state: [UInt8]

    public init(id: UInt64, rows: UInt64, createdMilliseconds: Int64, state: [UInt8]) {
        self.id = id
        self.rows = rows
        self.createdMilliseconds = createdMilliseconds
        self.state = state
    }
}

/// Persistent state of driftd in one SQLite database: sources (their `SourceSpec` as a protobuf blob) and
/// versioned baselines (opaque state blobs), with one "current" baseline per source; since schema 2
/// (`MonitoringSchema`) also windows and ingest keys (`DriftStore+Ingest`), verdict history (`DriftStore+History`),
/// freshness checks, model metrics and feature status (`DriftStore+Monitoring`), baseline kinds, promotion and
/// rollback (`DriftStore+BaselineVersions`). Many writers on many threads: `GroupCommitWriter`.
///
/// **Concurrency:** the store is the single owner of its `SQLiteConnection`, opened with `SQLITE_OPEN_NOMUTEX`.
/// It is not thread-safe and deliberately not `Sendable`: callers serialise access — one store per writer thread
/// (or one store behind a lock). Separate stores on the same file (other threads or processes) are safe; SQLite
/// serialises their writes (WAL, busy timeout) and every write method runs in one `BEGIN IMMEDIATE` transaction.
///
/// Names are always bound as parameters, never interpolated into SQL.
public final class DriftStore {
    /// The result of an idempotent `createSource`.
    public enum Created: Sendable, Equatable {
        case created
        /// An equal definition (byte-identical encoded `SourceSpec`) already existed; nothing was written.
        case existing
    }

    public let connection: SQLiteConnection
    let now: () -> Int64
    /// Prepared statements reused by the hot paths (`withStatement`), keyed by their SQL.
    var statementCache: [String: Statement] = [:]

    /// The schema, in order. Append steps; never edit a released one.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "sources and baselines", sql: """
            CREATE TABLE sources(
                name TEXT PRIMARY KEY NOT NULL,
                spec BLOB NOT NULL,
                created_ms INTEGER NOT NULL
            );
            CREATE TABLE baselines(
                source TEXT NOT NULL REFERENCES sources(name),
                id INTEGER NOT NULL,
                created_ms INTEGER NOT NULL,
                rows INTEGER NOT NULL,
                state BLOB NOT NULL,
                PRIMARY KEY(source, id)
            );
            CREATE TABLE baseline_current(
                source TEXT PRIMARY KEY NOT NULL REFERENCES sources(name),
                id INTEGER NOT NULL,
                FOREIGN KEY(source, id) REFERENCES baselines(source, id)
            );
            """),
        Migration(version: 2, name: "monitoring: windows, ingest keys, history, metrics", sql: MonitoringSchema.sql),
        Migration(version: 3, name: "model metric direction and window order", sql: MonitoringSchema.metricsByWindowSQL),
        Migration(version: 4, name: "window parts and source progress", sql: WindowPartsSchema.sql),
        Migration(version: 5, name: "alert outbox, attempts, dispatcher state, silences", sql: AlertingSchema.sql),
    ]

    /// The schema version this build writes.
    public static var schemaVersion: Int32 { migrations.last!.version }

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    /// - Parameter now: milliseconds since the Unix epoch for `created_ms` (injectable for tests).
    public init(path: String, now: @escaping () -> Int64 = DriftStore.wallClockMilliseconds) throws {
        self.connection = try SQLiteConnection(path: path)
        self.now = now
        try Migrations.migrate(connection, steps: Self.migrations)
    }

    public static func wallClockMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Runs `body`, turning SQLite errors into `DriftStoreError.sqlite` (typed errors pass through).
    func mapped<R>(_ body: () throws -> R) throws -> R {
        do { return try body() } catch let e as SQLiteError { throw DriftStoreError.sqlite(e) }
    }

    private func decodeSpec(_ bytes: [UInt8], name: String) throws -> SourceSpec {
        do { return try SourceSpec.decode(bytes) } catch {
            throw DriftStoreError.corrupt("source \(name): undecodable spec (\(error))")
        }
    }

    // MARK: Sources

    /// Creates the source `spec.name`. Idempotent: an existing source whose encoded spec is byte-identical gives
    /// `.existing`; a different one throws `DriftStoreError.conflict`.
    @discardableResult
    public func createSource(_ spec: SourceSpec) throws -> Created {
        guard !spec.name.isEmpty else { throw DriftStoreError.invalidArgument("source name is empty") }
        let encoded = spec.encode()
        return try mapped {
            try connection.transaction {
                let find = try connection.prepare("SELECT spec FROM sources WHERE name = ?1")
                try find.bind(1, spec.name)
                if try find.step() {
                    guard find.blob(at: 0) == encoded else { throw DriftStoreError.conflict(source: spec.name) }
                    return .existing
                }
                let insert = try connection.prepare("INSERT INTO sources(name, spec, created_ms) VALUES(?1, ?2, ?3)")
                try insert.bind(1, spec.name)
                try insert.bind(2, blob: encoded)
                try insert.bind(3, now())
                try insert.step()
                return .created
            }
        }
    }

    /// The source's definition, or nil when there is no such source.
    public func source(named name: String) throws -> SourceSpec? {
        try mapped {
            let s = try connection.prepare("SELECT spec FROM sources WHERE name = ?1")
            try s.bind(1, name)
            guard try s.step() else { return nil }
            return try decodeSpec(s.blob(at: 0), name: name)
        }
    }

    /// Sources sorted by name (binary UTF-8 order), the first `limit` after `after` (nil = from the start).
    /// Page with `after: lastPage.last?.name`.
    public func listSources(after: String? = nil, limit: Int) throws -> [SourceSpec] {
        guard limit > 0 else { return [] }
        return try mapped {
            let s = try connection.prepare(
                "SELECT name, spec FROM sources WHERE ?1 IS NULL OR name > ?1 ORDER BY name LIMIT ?2")
            try s.bind(1, after)
            try s.bind(2, Int64(limit))
            var out: [SourceSpec] = []
            while try s.step() {
                out.append(try decodeSpec(s.blob(at: 1), name: s.text(at: 0) ?? ""))
            }
            return out
        }
    }

    // MARK: Baselines

    /// Stores a new fixed baseline for `source` and makes it current (`putBaseline(source:rows:state:kind:)`).
    @discardableResult
    public func putBaseline(source: String, rows: UInt64, state: [UInt8]) throws -> UInt64 {
        try putBaseline(source: source, rows: rows, state: state, kind: .fixed)
    }

    /// The current baseline of `source`, or nil when it has none (or the source does not exist).
    public func currentBaseline(source: String) throws -> StoredBaseline? {
        try mapped {
            let s = try connection.prepare("""
                SELECT b.id, b.rows, b.created_ms, b.state FROM baseline_current c
                JOIN baselines b ON b.source = c.source AND b.id = c.id WHERE c.source = ?1
                """)
            try s.bind(1, source)
            return try s.step() ? Self.baseline(from: s) : nil
        }
    }

    /// One baseline by id, or nil.
    public func baseline(source: String, id: UInt64) throws -> StoredBaseline? {
        guard id <= UInt64(Int64.max) else { return nil }
        return try mapped {
            let s = try connection.prepare(
                "SELECT id, rows, created_ms, state FROM baselines WHERE source = ?1 AND id = ?2")
            try s.bind(1, source)
            try s.bind(2, Int64(id))
            return try s.step() ? Self.baseline(from: s) : nil
        }
    }

    private static func baseline(from s: Statement) -> StoredBaseline {
        StoredBaseline(id: UInt64(s.int64(at: 0)), rows: UInt64(s.int64(at: 1)),
                       createdMilliseconds: s.int64(at: 2), state: s.blob(at: 3))
    }
}
