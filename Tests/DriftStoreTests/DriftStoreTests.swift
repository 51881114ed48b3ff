import CSQLite
import DriftStore
import DriftWire
import Foundation
import Testing

/// A fresh directory under the system temp dir, removed when the test's closure returns.
func withTempDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("driftstore-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    return try body(dir.path)
}

func spec(_ name: String, features: [(String, UInt32)] = [("x", 2)]) -> SourceSpec {
    SourceSpec(name: name, features: features.map { FeatureSpec(name: $0.0, type: $0.1) })
}

@Suite("DriftStore")
struct DriftStoreTests {
    @Test("data and baselines survive close and reopen; WAL is on")
    func reopen() throws {
        try withTempDirectory { dir in
            let path = dir + "/drift.db"
            let rich = SourceSpec(name: "payments", features: [
                FeatureSpec(name: "amount", type: 2, policy: PolicyOverrides(psiWarning: 0.1, bins: 20)),
                FeatureSpec(name: "country", type: 5),
            ])
            do {
                let store = try DriftStore(path: path)
                #expect(try store.createSource(rich) == .created)
                #expect(try store.putBaseline(source: "payments", rows: 10, state: [1, 2, 3]) == 1)
                #expect(try store.putBaseline(source: "payments", rows: 20, state: [4, 5]) == 2)
                let mode = try store.connection.prepare("PRAGMA journal_mode")
                #expect(try mode.step())
                #expect(mode.text(at: 0) == "wal")
                let fk = try store.connection.prepare("PRAGMA foreign_keys")
                #expect(try fk.step())
                #expect(fk.int64(at: 0) == 1)
            }
            let store = try DriftStore(path: path)
            #expect(try store.source(named: "payments") == rich)
            let current = try #require(try store.currentBaseline(source: "payments"))
            #expect(current.id == 2 && current.rows == 20 && current.state == [4, 5])
            #expect(try store.baseline(source: "payments", id: 1)?.state == [1, 2, 3])
            #expect(try store.putBaseline(source: "payments", rows: 1, state: []) == 3)
        }
    }

    @Test("createSource is idempotent for equal specs and conflicts for different ones")
    func idempotency() throws {
        try withTempDirectory { dir in
            let store = try DriftStore(path: dir + "/d.db", now: { 1_234 })
            #expect(try store.createSource(spec("s")) == .created)
            #expect(try store.createSource(spec("s")) == .existing)
            #expect(throws: DriftStoreError.conflict(source: "s")) {
                try store.createSource(spec("s", features: [("x", 1)]))
            }
            #expect(try store.source(named: "s") == spec("s"))
            #expect(try store.source(named: "missing") == nil)
            #expect(throws: DriftStoreError.invalidArgument("source name is empty")) {
                try store.createSource(spec(""))
            }
            let created = try store.connection.prepare("SELECT created_ms FROM sources WHERE name = ?1")
            try created.bind(1, "s")
            #expect(try created.step())
            #expect(created.int64(at: 0) == 1_234)
        }
    }

    @Test("baseline ids increase per source and current moves")
    func baselineIDs() throws {
        try withTempDirectory { dir in
            let store = try DriftStore(path: dir + "/d.db")
            try store.createSource(spec("a"))
            try store.createSource(spec("b"))
            #expect(try store.currentBaseline(source: "a") == nil)
            #expect(try store.putBaseline(source: "a", rows: 1, state: [1]) == 1)
            #expect(try store.putBaseline(source: "a", rows: 2, state: [2]) == 2)
            #expect(try store.putBaseline(source: "b", rows: 3, state: [3]) == 1)
            #expect(try store.putBaseline(source: "a", rows: 4, state: [4]) == 3)
            #expect(try store.currentBaseline(source: "a")?.id == 3)
            #expect(try store.currentBaseline(source: "a")?.rows == 4)
            #expect(try store.currentBaseline(source: "b")?.state == [3])
            #expect(try store.baseline(source: "a", id: 2)?.rows == 2)
            #expect(try store.baseline(source: "a", id: 9) == nil)
            #expect(try store.baseline(source: "b", id: 2) == nil)
            #expect(try store.baseline(source: "a", id: UInt64.max) == nil)
            // Empty state is a zero-length blob, not NULL.
            let id = try store.putBaseline(source: "b", rows: 0, state: [])
            #expect(try store.baseline(source: "b", id: id)?.state == [])
        }
    }

    @Test("a 5 MB state blob round-trips byte for byte")
    func bigBlob() throws {
        try withTempDirectory { dir in
            let path = dir + "/d.db"
            var state = [UInt8](repeating: 0, count: 5 * 1024 * 1024)
            var x: UInt64 = 0x9E37_79B9_7F4A_7C15
            for i in state.indices {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17
                state[i] = UInt8(truncatingIfNeeded: x)
            }
            do {
                let store = try DriftStore(path: path)
                try store.createSource(spec("big"))
                try store.putBaseline(source: "big", rows: 1_000_000, state: state)
            }
            let store = try DriftStore(path: path)
            let b = try #require(try store.currentBaseline(source: "big"))
            #expect(b.rows == 1_000_000)
            #expect(b.state.count == state.count)
            #expect(b.state == state)
        }
    }

    @Test("hostile and unicode names are bound, never interpolated")
    func hostileNames() throws {
        try withTempDirectory { dir in
            let store = try DriftStore(path: dir + "/d.db")
            let names = [
                "'; DROP TABLE sources; --", "O'Brien \"quoted\"", "\"); DELETE FROM baselines; --",
                "naïve-日本語-🚀", "a%_*?\\", " leading space", "tab\there",
            ]
            for n in names {
                #expect(try store.createSource(spec(n, features: [(n, 2)])) == .created)
                #expect(try store.putBaseline(source: n, rows: 7, state: Array(n.utf8)) == 1)
            }
            for n in names {
                #expect(try store.source(named: n) == spec(n, features: [(n, 2)]))
                #expect(try store.currentBaseline(source: n)?.state == Array(n.utf8))
            }
            #expect(try store.listSources(limit: 100).count == names.count)
            #expect(try store.source(named: "' OR '1'='1") == nil)
        }
    }

    @Test("listSources pages in name order")
    func listing() throws {
        try withTempDirectory { dir in
            let store = try DriftStore(path: dir + "/d.db")
            for n in ["c", "a", "e", "b", "d"] { try store.createSource(spec(n)) }
            #expect(try store.listSources(limit: 2).map(\.name) == ["a", "b"])
            #expect(try store.listSources(after: "b", limit: 2).map(\.name) == ["c", "d"])
            #expect(try store.listSources(after: "d", limit: 2).map(\.name) == ["e"])
            #expect(try store.listSources(after: "e", limit: 2).isEmpty)
            #expect(try store.listSources(limit: 0).isEmpty)
        }
    }

    @Test("a baseline for an unknown source is a typed notFound, and nothing is written")
    func unknownSource() throws {
        try withTempDirectory { dir in
            let store = try DriftStore(path: dir + "/d.db")
            #expect(throws: DriftStoreError.notFound(source: "ghost")) {
                try store.putBaseline(source: "ghost", rows: 1, state: [1])
            }
            let count = try store.connection.prepare("SELECT count(*) FROM baselines")
            #expect(try count.step())
            #expect(count.int64(at: 0) == 0)
            #expect(!store.connection.isInTransaction)
        }
    }

    @Test("migrations run once and record user_version")
    func migrationsOnce() throws {
        try withTempDirectory { dir in
            let path = dir + "/d.db"
            do {
                let store = try DriftStore(path: path)
                #expect(try store.connection.userVersion() == DriftStore.schemaVersion)
            }
            let store = try DriftStore(path: path)  // would fail on CREATE TABLE if migration 1 ran again
            #expect(try store.connection.userVersion() == DriftStore.schemaVersion)

            let db = try SQLiteConnection(path: dir + "/m.db")
            let steps = [
                Migration(version: 1, name: "t", sql: "CREATE TABLE t(x INTEGER)"),
                Migration(version: 2, name: "row", sql: "INSERT INTO t VALUES (1)"),
            ]
            #expect(try Migrations.migrate(db, steps: steps) == [1, 2])
            #expect(try Migrations.migrate(db, steps: steps) == [])
            let n = try db.prepare("SELECT count(*) FROM t")
            #expect(try n.step())
            #expect(n.int64(at: 0) == 1)
            #expect(try db.userVersion() == 2)
            // A failing step leaves the previous version and none of its effects.
            let failing = steps + [Migration(version: 3, name: "bad") { db in
                try db.execute("INSERT INTO t VALUES (2)")
                try db.execute("THIS IS NOT SQL")
            }]
            #expect(throws: SQLiteError.self) { try Migrations.migrate(db, steps: failing) }
            #expect(try db.userVersion() == 2)
            n.reset()
            #expect(try n.step())
            #expect(n.int64(at: 0) == 1)
            // Newer database than this build, and unordered steps.
            #expect(throws: MigrationError.databaseNewer(databaseVersion: 2, latestKnown: 1)) {
                try Migrations.migrate(db, steps: [steps[0]])
            }
            #expect(throws: MigrationError.unordered(version: 1)) {
                try Migrations.migrate(db, steps: [steps[1], steps[0]])
            }
        }
    }
}

@Suite("SQLiteConnection")
struct SQLiteConnectionTests {
    struct Boom: Error {}

    @Test("a transaction that throws rolls back; a successful one commits")
    func rollback() throws {
        try withTempDirectory { dir in
            let db = try SQLiteConnection(path: dir + "/t.db")
            try db.execute("CREATE TABLE t(x INTEGER)")
            struct NotInTransaction: Error {}
            do {
                try db.transaction { () throws -> Void in
                    try db.execute("INSERT INTO t VALUES (1)")
                    guard db.isInTransaction else { throw NotInTransaction() }
                    throw Boom()
                }
                Issue.record("the transaction did not throw")
            } catch is Boom {
            } catch {
                Issue.record("unexpected \(error)")
            }
            #expect(!db.isInTransaction)
            let count = try db.prepare("SELECT count(*) FROM t")
            #expect(try count.step())
            #expect(count.int64(at: 0) == 0)
            try db.transaction { try db.execute("INSERT INTO t VALUES (2)") }
            count.reset()
            #expect(try count.step())
            #expect(count.int64(at: 0) == 1)
        }
    }

    @Test("errors carry primary and extended codes, the message and the SQL")
    func errors() throws {
        try withTempDirectory { dir in
            let db = try SQLiteConnection(path: dir + "/e.db")
            let bad = "SELEC 1"
            let syntax = #expect(throws: SQLiteError.self) { try db.execute(bad) }
            #expect(syntax?.code == SQLITE_ERROR)
            #expect(syntax?.sql == bad)
            #expect(syntax?.message.contains("syntax error") == true)

            try db.execute("CREATE TABLE p(k TEXT PRIMARY KEY); CREATE TABLE c(k TEXT REFERENCES p(k))")
            let ins = try db.prepare("INSERT INTO c VALUES (?1)")
            try ins.bind(1, "nope")
            let fk = #expect(throws: SQLiteError.self) { try ins.step() }
            #expect(fk?.code == SQLITE_CONSTRAINT)
            #expect(fk?.extendedCode == SQLiteError.constraintForeignKey)
            #expect(fk?.isForeignKeyViolation == true)
            #expect(fk?.message.contains("FOREIGN KEY") == true)

            let dup = try db.prepare("INSERT INTO p VALUES (?1)")
            try dup.bind(1, "k")
            try dup.step()
            dup.reset()
            try dup.bind(1, "k")
            let unique = #expect(throws: SQLiteError.self) { try dup.step() }
            #expect(unique?.isUniqueViolation == true)

            // A second connection cannot take the write lock while the first holds it: SQLITE_BUSY after the timeout.
            let other = try SQLiteConnection(path: dir + "/e.db", busyTimeoutMilliseconds: 20)
            try db.execute("BEGIN IMMEDIATE")
            let busy = #expect(throws: SQLiteError.self) { try other.execute("BEGIN IMMEDIATE") }
            #expect(busy?.code == SQLITE_BUSY)
            #expect(busy?.sql == "BEGIN IMMEDIATE")
            try db.execute("ROLLBACK")
            try other.transaction { try other.execute("INSERT INTO p VALUES ('after')") }

            let missing = #expect(throws: SQLiteError.self) {
                try SQLiteConnection(path: dir + "/no/such/dir/x.db")
            }
            #expect(missing?.code == SQLITE_CANTOPEN)
        }
    }

    @Test("statements bind and read every type")
    func types() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let s = try db.prepare("SELECT ?1, ?2, ?3, ?4, ?5, ?6")
        try s.bind(1, Int64.min)
        try s.bind(2, -0.5)
        try s.bind(3, "héllo")
        try s.bind(4, blob: [0, 255, 0])
        try s.bindNull(5)
        try s.bind(6, "")
        #expect(try s.step())
        #expect(s.int64(at: 0) == Int64.min)
        #expect(s.double(at: 1) == -0.5)
        #expect(s.text(at: 2) == "héllo")
        #expect(s.blob(at: 3) == [0, 255, 0])
        #expect(s.isNull(at: 4) && s.text(at: 4) == nil)
        #expect(s.text(at: 5) == "")
        #expect(try !s.step())
    }
}
