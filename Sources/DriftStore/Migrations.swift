import CSQLite

/// One schema step. `version` is the `PRAGMA user_version` the database has after the step.
public struct Migration: Sendable {
    public var version: Int32
    public var name: String
    public var apply: @Sendable (SQLiteConnection) throws -> Void

    public init(version: Int32, name: String, apply: @escaping @Sendable (SQLiteConnection) throws -> Void) {
        self.version = version
        self.name = name
        self.apply = apply
    }

    /// A step that runs a fixed SQL script.
    public init(version: Int32, name: String, sql: String) {
        self.init(version: version, name: name) { try $0.execute(sql) }
    }
}

/// Errors of `Migrations.migrate`.
public enum MigrationError: Error, Sendable, Equatable {
    /// Steps must have strictly increasing versions starting above 0.
    case unordered(version: Int32)
    /// The database was written by a newer build (its user_version is above the last known step).
    case databaseNewer(databaseVersion: Int32, latestKnown: Int32)
}

/// The schema version lives in `PRAGMA user_version` (0 = empty database). Each pending step runs in its own
/// `BEGIN IMMEDIATE` transaction together with the `user_version` update, so a failed step leaves the database at
/// the previous version, and a step never runs twice.
public enum Migrations {
    /// Applies the steps above the current version, in order. Returns the versions applied.
    @discardableResult
    public static func migrate(_ db: SQLiteConnection, steps: [Migration]) throws -> [Int32] {
        var previous: Int32 = 0
        for step in steps {
            guard step.version > previous else { throw MigrationError.unordered(version: step.version) }
            previous = step.version
        }
        let latest = steps.last?.version ?? 0
        var applied: [Int32] = []
        for step in steps {
            // Re-read inside the transaction: another process may have migrated meanwhile (BEGIN IMMEDIATE holds
            // the write lock).
            let ran = try db.transaction { () throws -> Bool in
                let current = try db.userVersion()
                if current > latest {
                    throw MigrationError.databaseNewer(databaseVersion: current, latestKnown: latest)
                }
                guard current < step.version else { return false }
                try step.apply(db)
                try db.setUserVersion(step.version)
                return true
            }
            if ran { applied.append(step.version) }
        }
        return applied
    }
}
