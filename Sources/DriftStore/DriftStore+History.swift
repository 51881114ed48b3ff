extension DriftStore {
    /// Stores `rows` in one transaction (a savepoint of an open one): all or none. A row with the identity
    /// (source, feature, window start, kind) of a stored one replaces it. Throws `.notFound` when a row's source
    /// does not exist.
    public func recordVerdicts(_ rows: [VerdictRow]) throws {
        guard !rows.isEmpty else { return }
        for row in rows {
            guard row.windowEndMilliseconds >= row.windowStartMilliseconds else {
                throw DriftStoreError.invalidArgument("verdict window end before its start")
            }
        }
        try writing(source: rows[0].source) {
            var sourceIDs: [String: Int64] = [:]
            var featureIDs: [Int64: [String: Int64]] = [:]
            for row in rows {
                let sourceID: Int64
                if let known = sourceIDs[row.source] {
                    sourceID = known
                } else {
                    sourceID = try internSource(row.source)
                    sourceIDs[row.source] = sourceID
                }
                let featureID: Int64
                if let known = featureIDs[sourceID]?[row.feature] {
                    featureID = known
                } else {
                    featureID = try internFeature(row.feature, sourceID: sourceID)
                    featureIDs[sourceID, default: [:]][row.feature] = featureID
                }
                try withStatement("""
                    INSERT OR REPLACE INTO verdicts(source_id, window_start_ms, feature_id, kind, window_ms,
                        baseline_id, test, statistic, p, p_adjusted, effect_name, effect, warning, critical,
                        n_baseline, n_current, decision, severity, status, stale, reasons, created_after_end_ms)
                    VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                        ?21, ?22)
                    """) { s in
                    try s.bind(1, sourceID)
                    try s.bind(2, row.windowStartMilliseconds)
                    try s.bind(3, featureID)
                    try s.bind(4, Int64(row.kind.rawValue))
                    try s.bind(5, row.windowEndMilliseconds &- row.windowStartMilliseconds)
                    try s.bind(6, count: row.baselineID)
                    try s.bind(7, row.test)
                    try s.bindReal(8, row.statistic)
                    try s.bindReal(9, row.p)
                    try s.bindReal(10, row.pAdjusted)
                    try s.bind(11, row.effectName)
                    try s.bindReal(12, row.effect)
                    try s.bindReal(13, row.warningThreshold)
                    try s.bindReal(14, row.criticalThreshold)
                    try s.bind(15, count: row.nBaseline)
                    try s.bind(16, count: row.nCurrent)
                    try s.bind(17, Int64(row.decision))
                    try s.bind(18, Int64(row.severity))
                    try s.bind(19, Int64(row.status))
                    try s.bind(20, Int64(row.stale ? 1 : 0))
                    try s.bind(21, row.reasons)
                    try s.bind(22, row.createdMilliseconds &- row.windowEndMilliseconds)
                    try s.step()
                }
            }
        }
    }

    private func internSource(_ name: String) throws -> Int64 {
        if let id = try lookupSourceID(name) { return id }
        do {
            return try withStatement("INSERT INTO history_sources(name) VALUES(?1)") { s in
                try s.bind(1, name)
                try s.step()
                return sqliteLastInsertRowID()
            }
        } catch let e as SQLiteError where e.isForeignKeyViolation {
            throw DriftStoreError.notFound(source: name)
        }
    }

    private func internFeature(_ name: String, sourceID: Int64) throws -> Int64 {
        if let id = try lookupFeatureID(name, sourceID: sourceID) { return id }
        return try withStatement("INSERT INTO history_features(source_id, name) VALUES(?1, ?2)") { s in
            try s.bind(1, sourceID)
            try s.bind(2, name)
            try s.step()
            return sqliteLastInsertRowID()
        }
    }

    private func lookupSourceID(_ name: String) throws -> Int64? {
        try withStatement("SELECT id FROM history_sources WHERE name = ?1") { s in
            try s.bind(1, name)
            return try s.step() ? s.int64(at: 0) : nil
        }
    }

    private func lookupFeatureID(_ name: String, sourceID: Int64) throws -> Int64? {
        try withStatement("SELECT id FROM history_features WHERE source_id = ?1 AND name = ?2") { s in
            try s.bind(1, sourceID)
            try s.bind(2, name)
            return try s.step() ? s.int64(at: 0) : nil
        }
    }

    private static let verdictColumns = """
        v.window_start_ms, v.feature_id, v.kind, v.window_ms, v.baseline_id, v.test, v.statistic, v.p, v.p_adjusted,
        v.effect_name, v.effect, v.warning, v.critical, v.n_baseline, v.n_current, v.decision, v.severity, v.status,
        v.stale, v.reasons, v.created_after_end_ms, f.name
        """

    /// Verdicts of `source` (of one `feature` when given) whose window starts in `since ..< until`, of the given
    /// `kinds` (nil = all) and at least `minimumSeverity` (nil = any), at most `limit` of them after the cursor
    /// `after`. Ordered by window start, then feature (in first-recorded order), then kind. Page on with
    /// `after: page.next`; `next` is nil once a page comes back short. Unknown sources and features give an
    /// empty page.
    public func history(source: String, feature: String? = nil, kinds: Set<VerdictKind>? = nil,
                        since: Int64 = .min, until: Int64 = .max, minimumSeverity: UInt8? = nil,
                        limit: Int = 1_000, after: HistoryCursor? = nil) throws -> HistoryPage {
        guard limit > 0 else { return HistoryPage(rows: [], next: nil) }
        return try mapped {
            guard let sourceID = try lookupSourceID(source) else { return HistoryPage(rows: [], next: nil) }
            var featureID: Int64?
            if let feature {
                guard let id = try lookupFeatureID(feature, sourceID: sourceID) else {
                    return HistoryPage(rows: [], next: nil)
                }
                featureID = id
            }
            // The lower bound is ONE row-value constraint (the cursor, or `since` when the cursor lies before it), so
            // the planner seeks straight to it instead of scanning from `since`.
            let filters = """
                v.window_start_ms < ?3 AND ((?4 >> v.kind) & 1) = 1 AND v.severity >= ?5
                """
            let sql = featureID == nil
                ? """
                SELECT \(Self.verdictColumns) FROM verdicts v JOIN history_features f ON f.id = v.feature_id
                WHERE v.source_id = ?1 AND (v.window_start_ms, v.feature_id, v.kind) > (?6, ?7, ?8) AND \(filters)
                ORDER BY v.window_start_ms, v.feature_id, v.kind LIMIT ?9
                """
                : """
                SELECT \(Self.verdictColumns.replacingFeatureName) FROM verdicts v
                WHERE v.feature_id = ?1 AND (v.window_start_ms, v.kind) > (?6, ?8) AND \(filters)
                ORDER BY v.window_start_ms, v.kind LIMIT ?9
                """
            // Strictly after (since, min, min) = every row of windows from `since` on (ids and kinds are > min).
            var lower = (since, Int64.min, Int64.min)
            if let c = after, (c.windowStartMilliseconds, c.featureID, c.kind) >= lower {
                lower = (c.windowStartMilliseconds, c.featureID, c.kind)
            }
            var mask: Int64 = 0
            for kind in kinds ?? Set(VerdictKind.allCases) { mask |= 1 << Int64(kind.rawValue) }
            return try withStatement(sql) { s in
                try s.bind(1, featureID ?? sourceID)
                try s.bind(3, until)
                try s.bind(4, mask)
                try s.bind(5, Int64(minimumSeverity ?? 0))
                try s.bind(6, lower.0)
                try s.bind(7, lower.1)
                try s.bind(8, lower.2)
                try s.bind(9, Int64(limit))
                var rows: [VerdictRow] = []
                rows.reserveCapacity(min(limit, 4_096))
                var last: HistoryCursor?
                while try s.step() {
                    let start = s.int64(at: 0)
                    let kind = s.int64(at: 2)
                    rows.append(VerdictRow(
                        source: source, feature: feature ?? s.text(at: 21) ?? "", windowStartMilliseconds: start,
                        windowEndMilliseconds: start &+ s.int64(at: 3), baselineID: UInt64(s.int64(at: 4)),
                        kind: VerdictKind(rawValue: UInt8(truncatingIfNeeded: kind)) ?? .drift,
                        test: s.text(at: 5) ?? "", statistic: s.doubleOrNaN(at: 6), p: s.doubleOrNaN(at: 7),
                        pAdjusted: s.doubleOrNaN(at: 8), effectName: s.text(at: 9) ?? "",
                        effect: s.doubleOrNaN(at: 10), warningThreshold: s.doubleOrNaN(at: 11),
                        criticalThreshold: s.doubleOrNaN(at: 12), nBaseline: UInt64(s.int64(at: 13)),
                        nCurrent: UInt64(s.int64(at: 14)), decision: UInt8(truncatingIfNeeded: s.int64(at: 15)),
                        severity: UInt8(truncatingIfNeeded: s.int64(at: 16)),
                        status: UInt8(truncatingIfNeeded: s.int64(at: 17)), stale: s.int64(at: 18) != 0,
                        reasons: s.text(at: 19) ?? "",
                        createdMilliseconds: start &+ s.int64(at: 3) &+ s.int64(at: 20)))
                    last = HistoryCursor(windowStartMilliseconds: start, featureID: s.int64(at: 1), kind: kind)
                }
                return HistoryPage(rows: rows, next: rows.count == limit ? last : nil)
            }
        }
    }

    /// Retention: deletes verdicts, model metrics and **closed** windows starting before `cutoffMilliseconds`, and
    /// freshness checks made before it, in one transaction. Open windows (still collecting rows), baselines,
    /// feature status and idempotency keys (`pruneIngestKeys`) are kept. Returns the number of rows deleted.
    @discardableResult
    public func deleteHistory(olderThan cutoffMilliseconds: Int64) throws -> Int {
        try writing(source: "") {
            var sourceIDs: [Int64] = []
            try withStatement("SELECT id FROM history_sources") { s in
                while try s.step() { sourceIDs.append(s.int64(at: 0)) }
            }
            var deleted = 0
            for id in sourceIDs {  // one PK range per source
                try withStatement("DELETE FROM verdicts WHERE source_id = ?1 AND window_start_ms < ?2") { s in
                    try s.bind(1, id)
                    try s.bind(2, cutoffMilliseconds)
                    try s.step()
                    deleted += connection.changes
                }
            }
            var windowSources: [String] = []
            try withStatement("SELECT name FROM sources") { s in
                while try s.step() { windowSources.append(s.text(at: 0) ?? "") }
            }
            for name in windowSources {  // one PK range per source
                try withStatement(
                    "DELETE FROM windows WHERE source = ?1 AND window_start_ms < ?2 AND closed = 1") { s in
                    try s.bind(1, name)
                    try s.bind(2, cutoffMilliseconds)
                    try s.step()
                    deleted += connection.changes
                }
            }
            for sql in ["DELETE FROM model_metrics WHERE window_start_ms < ?1",
                        "DELETE FROM freshness WHERE checked_ms < ?1"] {
                try withStatement(sql) { s in
                    try s.bind(1, cutoffMilliseconds)
                    try s.step()
                    deleted += connection.changes
                }
            }
            return deleted
        }
    }

    fileprivate func sqliteLastInsertRowID() -> Int64 { connection.lastInsertRowID }
}

private extension String {
    /// The verdict column list with the joined feature name replaced by NULL (one-feature queries know the name
    /// and skip the join).
    var replacingFeatureName: String {
        precondition(hasSuffix("f.name"))
        return String(dropLast("f.name".count)) + "NULL"
    }
}
