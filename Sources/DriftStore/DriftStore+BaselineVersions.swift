extension DriftStore {
    /// Stores a new baseline version of `kind` for `source` (id = the source's highest id + 1, starting at 1) and
    /// makes it current; the version that was current becomes the rollback target. Throws `.notFound` when the
    /// source does not exist.
    @discardableResult
    public func putBaseline(source: String, rows: UInt64, state: [UInt8], kind: BaselineKind) throws -> UInt64 {
        guard rows <= UInt64(Int64.max) else { throw DriftStoreError.invalidArgument("rows out of range") }
        return try writing(source: source) {
            let id = try withStatement("SELECT coalesce(max(id), 0) + 1 FROM baselines WHERE source = ?1") { s in
                try s.bind(1, source)
                try s.step()
                return s.int64(at: 0)
            }
            try withStatement("""
                INSERT INTO baselines(source, id, created_ms, rows, state, kind) VALUES(?1, ?2, ?3, ?4, ?5, ?6)
                """) { s in
                try s.bind(1, source)
                try s.bind(2, id)
                try s.bind(3, now())
                try s.bind(4, Int64(rows))
                try s.bind(5, blob: state)
                try s.bind(6, Int64(kind.rawValue))
                try s.step()
            }
            try makeCurrent(source: source, id: id)
            return UInt64(id)
        }
    }

    /// All baseline versions of `source`, by id, without their state blobs (empty for an unknown source).
    public func listBaselines(source: String) throws -> [BaselineInfo] {
        try mapped {
            try withStatement("""
                SELECT b.id, b.rows, b.created_ms, b.kind, b.id = c.id, b.id = c.previous_id FROM baselines b
                LEFT JOIN baseline_current c ON c.source = b.source WHERE b.source = ?1 ORDER BY b.id
                """) { s in
                try s.bind(1, source)
                var out: [BaselineInfo] = []
                while try s.step() {
                    out.append(BaselineInfo(
                        id: UInt64(s.int64(at: 0)), rows: UInt64(s.int64(at: 1)), createdMilliseconds: s.int64(at: 2),
                        kind: BaselineKind(rawValue: UInt8(truncatingIfNeeded: s.int64(at: 3))) ?? .fixed,
                        isCurrent: s.int64(at: 4) == 1, isPrevious: s.int64(at: 5) == 1))
                }
                return out
            }
        }
    }

    /// Makes version `id` current; the version that was current becomes the rollback target. Promoting the
    /// current version changes nothing. Throws `.notFound` when the source or the version does not exist.
    public func promoteBaseline(source: String, id: UInt64) throws {
        guard id <= UInt64(Int64.max) else { throw DriftStoreError.notFound(source: source) }
        try writing(source: source) {
            let exists = try withStatement("SELECT 1 FROM baselines WHERE source = ?1 AND id = ?2") { s in
                try s.bind(1, source)
                try s.bind(2, Int64(id))
                return try s.step()
            }
            guard exists else { throw DriftStoreError.notFound(source: source) }
            try makeCurrent(source: source, id: Int64(id))
        }
    }

    /// Returns to the version that was current before the last promotion (or `putBaseline`) and clears the
    /// rollback target, so a second rollback without a promotion in between throws. Returns the id now current.
    /// Throws `.invalidArgument` when there is nothing to roll back to.
    @discardableResult
    public func rollbackBaseline(source: String) throws -> UInt64 {
        try writing(source: source) {
            let previous = try withStatement("SELECT previous_id FROM baseline_current WHERE source = ?1") { s in
                try s.bind(1, source)
                return try s.step() ? s.optionalInt64(at: 0) : nil
            }
            guard let previous else {
                throw DriftStoreError.invalidArgument("source \(source): no previous baseline to roll back to")
            }
            try withStatement("UPDATE baseline_current SET id = ?2, previous_id = NULL WHERE source = ?1") { s in
                try s.bind(1, source)
                try s.bind(2, previous)
                try s.step()
            }
            return UInt64(previous)
        }
    }

    /// Points the current baseline at `id`, remembering the old current as the rollback target.
    private func makeCurrent(source: String, id: Int64) throws {
        try withStatement("""
            INSERT INTO baseline_current(source, id, previous_id) VALUES(?1, ?2, NULL)
            ON CONFLICT(source) DO UPDATE SET previous_id = CASE WHEN id = excluded.id THEN previous_id ELSE id END,
                id = excluded.id
            """) { s in
            try s.bind(1, source)
            try s.bind(2, id)
            try s.step()
        }
    }
}
