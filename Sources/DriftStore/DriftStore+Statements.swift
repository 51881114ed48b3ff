import CSQLite

extension DriftStore {
    /// Runs `body` with the cached prepared statement for `sql` (prepared on first use), reset and cleared before
    /// and after: a statement never stays active between calls, so no read snapshot outlives the call.
    func withStatement<R>(_ sql: String, _ body: (Statement) throws -> R) throws -> R {
        let statement: Statement
        if let cached = statementCache[sql] {
            statement = cached
        } else {
            statement = try connection.prepare(sql)
            statementCache[sql] = statement
        }
        statement.reset()
        defer { statement.reset() }
        return try body(statement)
    }

    /// Runs `body` in a transaction (a savepoint when one is open), mapping SQLite errors to `DriftStoreError`:
    /// a foreign-key violation becomes `.notFound(source:)`.
    func writing<R>(source: String, _ body: () throws -> R) throws -> R {
        do {
            return try connection.transaction(body)
        } catch let e as SQLiteError {
            if e.isForeignKeyViolation { throw DriftStoreError.notFound(source: source) }
            throw DriftStoreError.sqlite(e)
        }
    }
}

extension Statement {
    /// Binds a double; NaN is bound as NULL (SQLite would store NULL anyway) and read back by `doubleOrNaN`.
    func bindReal(_ index: Int32, _ value: Double) throws(SQLiteError) {
        if value.isNaN { try bindNull(index) } else { try bind(index, value) }
    }

    /// The column as a double; NULL reads as NaN.
    func doubleOrNaN(at column: Int32) -> Double {
        isNull(at: column) ? .nan : double(at: column)
    }

    /// Binds an unsigned count, which must fit in Int64.
    func bind(_ index: Int32, count: UInt64) throws {
        guard count <= UInt64(Int64.max) else { throw DriftStoreError.invalidArgument("count \(count) out of range") }
        try bind(index, Int64(count))
    }

    /// Binds `value`, or NULL when nil.
    func bind(_ index: Int32, _ value: Int64?) throws(SQLiteError) {
        if let value { try bind(index, value) } else { try bindNull(index) }
    }

    /// The column as an Int64, nil when NULL.
    func optionalInt64(at column: Int32) -> Int64? {
        isNull(at: column) ? nil : int64(at: column)
    }
}
