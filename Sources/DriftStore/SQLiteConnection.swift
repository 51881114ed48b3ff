import CSQLite

/// `SQLITE_TRANSIENT` is a macro and is not imported: SQLite copies the bound bytes before the bind returns.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite connection, opened with `SQLITE_OPEN_NOMUTEX`: **not thread-safe**. The owner serialises every use
/// of the connection and of its statements (one connection per thread, or an external lock).
public final class SQLiteConnection {
    /// The raw handle; valid until the connection is deinitialised.
    public let handle: OpaquePointer
    public let path: String

    /// Opens (creating if needed) the database at `path` with WAL journaling, `synchronous=FULL`, foreign keys on
    /// and a busy timeout. `":memory:"` opens a private in-memory database (journal mode stays `memory`).
    public init(path: String, busyTimeoutMilliseconds: Int32 = 5_000) throws(SQLiteError) {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let error = makeError(rc, db, sql: "")
            sqlite3_close_v2(db)  // a handle is returned even on most failures; nil is a harmless no-op
            throw SQLiteError(code: error.code, extendedCode: error.extendedCode,
                              message: "cannot open \(path): \(error.message)", sql: "")
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        try check(sqlite3_busy_timeout(db, busyTimeoutMilliseconds), db)
        // journal_mode returns a row with the resulting mode.
        let mode = try prepare("PRAGMA journal_mode=WAL")
        _ = try mode.step()
        let actual = mode.text(at: 0)?.lowercased() ?? ""
        if path != ":memory:" && !path.isEmpty && actual != "wal" {
            throw SQLiteError(code: SQLITE_ERROR, extendedCode: SQLITE_ERROR,
                              message: "journal_mode is \(actual), expected wal", sql: "PRAGMA journal_mode=WAL")
        }
        try execute("PRAGMA synchronous=FULL")
        try execute("PRAGMA foreign_keys=ON")
    }

    deinit {
        // Statements hold a strong reference to the connection, so none is alive here.
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that bind no parameters (result rows are discarded).
    public func execute(_ sql: String) throws(SQLiteError) {
        try check(sqlite3_exec(handle, sql, nil, nil, nil), handle, sql: sql)
    }

    /// Compiles a single statement. Parameters are bound with `Statement.bind`; never interpolate values into SQL.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        var stmt: OpaquePointer?
        try check(sqlite3_prepare_v2(handle, sql, -1, &stmt, nil), handle, sql: sql)
        guard let stmt else {
            throw SQLiteError(code: SQLITE_MISUSE, extendedCode: SQLITE_MISUSE, message: "empty statement", sql: sql)
        }
        return Statement(stmt, connection: self, sql: sql)
    }

    /// True while a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` inside `BEGIN IMMEDIATE` … `COMMIT`; any error thrown by `body` (or by COMMIT) rolls back and
    /// is rethrown. Called while a transaction is already open, `body` runs inside a savepoint of it
    /// (`SAVEPOINT` … `RELEASE`): an error rolls back `body`'s own changes only (`ROLLBACK TO`) and is rethrown,
    /// so a caller that catches it keeps everything else of the outer transaction. Nothing is durable before the
    /// outermost `COMMIT`.
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        if isInTransaction { return try savepoint(body) }
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Runs `body` inside a savepoint of the open transaction; an error thrown by `body` undoes `body`'s changes
    /// (`ROLLBACK TO`, then `RELEASE`, leaving the outer transaction open) and is rethrown. Savepoints nest: the
    /// name is fixed and SQLite resolves it to the innermost open savepoint of that name. Without an open
    /// transaction this is `transaction(body)`.
    public func savepoint<R>(_ body: () throws -> R) throws -> R {
        guard isInTransaction else { return try transaction(body) }
        try execute("SAVEPOINT drift_unit")
        do {
            let result = try body()
            try execute("RELEASE drift_unit")
            return result
        } catch {
            if isInTransaction {
                try? execute("ROLLBACK TO drift_unit")
                try? execute("RELEASE drift_unit")
            }
            throw error
        }
    }

    /// Rows changed by the last INSERT/UPDATE/DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// `PRAGMA user_version`.
    public func userVersion() throws(SQLiteError) -> Int32 {
        let s = try prepare("PRAGMA user_version")
        _ = try s.step()
        return Int32(truncatingIfNeeded: s.int64(at: 0))
    }

    /// Sets `PRAGMA user_version` (a pragma cannot take a bound parameter; the value is an integer).
    public func setUserVersion(_ version: Int32) throws(SQLiteError) {
        try execute("PRAGMA user_version = \(version)")
    }
}

/// A prepared statement. Bind parameters by 1-based index, `step()` until it returns false, read columns by
/// 0-based index while a row is current. Finalized on deinit.
public final class Statement {
    let handle: OpaquePointer
    /// Keeps the connection open for as long as the statement lives.
    public let connection: SQLiteConnection
    public let sql: String

    init(_ handle: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    private func checked(_ rc: Int32) throws(SQLiteError) {
        try check(rc, connection.handle, sql: sql)
    }

    // MARK: Binding (1-based)

    public func bind(_ index: Int32, _ value: Int64) throws(SQLiteError) {
        try checked(sqlite3_bind_int64(handle, index, value))
    }

    public func bind(_ index: Int32, _ value: Double) throws(SQLiteError) {
        try checked(sqlite3_bind_double(handle, index, value))
    }

    public func bind(_ index: Int32, _ value: String) throws(SQLiteError) {
        var utf8 = Array(value.utf8)
        if utf8.isEmpty { utf8 = [0] }  // a non-nil pointer; length 0 below
        let count = value.utf8.count
        let rc = utf8.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                sqlite3_bind_text64(handle, index, $0, sqlite3_uint64(count), sqliteTransient, UInt8(SQLITE_UTF8))
            }
        }
        try checked(rc)
    }

    /// Binds a blob; an empty array binds a zero-length blob (not NULL).
    public func bind(_ index: Int32, blob: [UInt8]) throws(SQLiteError) {
        if blob.isEmpty {
            try checked(sqlite3_bind_zeroblob(handle, index, 0))
            return
        }
        let rc = blob.withUnsafeBytes {
            sqlite3_bind_blob64(handle, index, $0.baseAddress, sqlite3_uint64($0.count), sqliteTransient)
        }
        try checked(rc)
    }

    public func bindNull(_ index: Int32) throws(SQLiteError) {
        try checked(sqlite3_bind_null(handle, index))
    }

    /// Binds `value`, or NULL when nil.
    public func bind(_ index: Int32, _ value: String?) throws(SQLiteError) {
        if let value { try bind(index, value) } else { try bindNull(index) }
    }

    // MARK: Execution

    /// Advances: true when a row is available, false when the statement is done.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw makeError(rc, connection.handle, sql: sql)
        }
    }

    /// Rewinds the statement and clears its bindings, ready for reuse.
    public func reset() {
        // sqlite3_reset repeats the last step's error, which `step` already reported.
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: Columns (0-based, valid while a row is current)

    public var columnCount: Int32 { sqlite3_column_count(handle) }

    public func isNull(at column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    public func int64(at column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    public func double(at column: Int32) -> Double { sqlite3_column_double(handle, column) }

    /// The column as UTF-8 text; nil when NULL.
    public func text(at column: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        let n = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    /// The column as bytes; a zero-length blob and NULL both read as [] (check `isNull` to tell them apart).
    public func blob(at column: Int32) -> [UInt8] {
        let p = sqlite3_column_blob(handle, column)  // before _bytes, as SQLite requires
        let n = Int(sqlite3_column_bytes(handle, column))
        guard let p, n > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }
}

extension SQLiteConnection {
    /// The rowid of the last successful INSERT on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
}
