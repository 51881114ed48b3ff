import CSQLite

/// A failed SQLite call: the primary and extended result codes, SQLite's message (`sqlite3_errmsg`, or
/// `sqlite3_errstr` when there is no connection), and the SQL that was running (empty for calls without SQL).
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Primary result code (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`, ...): `extendedCode & 0xff`.
    public var code: Int32
    /// Extended result code (`SQLITE_CONSTRAINT_FOREIGNKEY`, ...).
    public var extendedCode: Int32
    public var message: String
    public var sql: String

    public init(code: Int32, extendedCode: Int32, message: String, sql: String) {
        self.code = code
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    // Extended codes are function-like macros in sqlite3.h (`SQLITE_CONSTRAINT | (3<<8)`), which Swift does not
    // import; these are their values.
    public static let constraintForeignKey: Int32 = SQLITE_CONSTRAINT | (3 << 8)  // 787
    public static let constraintPrimaryKey: Int32 = SQLITE_CONSTRAINT | (6 << 8)  // 1555
    public static let constraintUnique: Int32 = SQLITE_CONSTRAINT | (8 << 8)  // 2067

    public var isForeignKeyViolation: Bool { extendedCode == Self.constraintForeignKey }
    public var isUniqueViolation: Bool {
        extendedCode == Self.constraintPrimaryKey || extendedCode == Self.constraintUnique
    }

    public var description: String {
        "SQLite error \(code) (extended \(extendedCode)): \(message)" + (sql.isEmpty ? "" : " [\(sql)]")
    }
}

/// The one place SQLite result codes become errors. `ok` lists the codes that count as success for this call.
@inline(__always)
func check(_ rc: Int32, _ db: OpaquePointer?, sql: String = "", ok: Int32 = SQLITE_OK) throws(SQLiteError) {
    if rc == ok { return }
    throw makeError(rc, db, sql: sql)
}

func makeError(_ rc: Int32, _ db: OpaquePointer?, sql: String) -> SQLiteError {
    guard let db else {
        return SQLiteError(code: rc & 0xff, extendedCode: rc, message: String(cString: sqlite3_errstr(rc)), sql: sql)
    }
    // The connection's last error describes this call (NOMUTEX: callers serialise access to the connection).
    let ext = sqlite3_extended_errcode(db)
    let extended = (ext & 0xff) == (rc & 0xff) ? ext : rc
    return SQLiteError(code: rc & 0xff, extendedCode: extended, message: String(cString: sqlite3_errmsg(db)), sql: sql)
}
