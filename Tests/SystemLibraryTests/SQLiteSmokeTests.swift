import CSQLite
import Testing

/// The system libraries the package links are installed and work (tools/install-deps.sh provides them).
@Suite("system libraries")
struct SQLiteSmokeTests {
    @Test("SQLite opens an in-memory database in WAL-capable mode and round-trips rows")
    func sqlite() throws {
        var db: OpaquePointer?
        #expect(sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK)
        defer { sqlite3_close(db) }
        #expect(sqlite3_exec(db, "CREATE TABLE t(x REAL); INSERT INTO t VALUES (1.5),(2.5);", nil, nil, nil) == SQLITE_OK)
        var stmt: OpaquePointer?
        #expect(sqlite3_prepare_v2(db, "SELECT sum(x) FROM t", -1, &stmt, nil) == SQLITE_OK)
        defer { sqlite3_finalize(stmt) }
        #expect(sqlite3_step(stmt) == SQLITE_ROW)
        #expect(sqlite3_column_double(stmt, 0) == 4.0)
        #expect(sqlite3_libversion_number() >= 3_031_000)
    }
}
