extension DriftStore {
    // MARK: Freshness

    /// Stores one freshness check (a check at the same millisecond for the same source replaces it).
    public func recordFreshness(_ record: FreshnessRecord) throws {
        try writing(source: record.source) {
            try withStatement("""
                INSERT OR REPLACE INTO freshness(source, checked_ms, newest_event_ms, last_arrival_ms, max_age_ms,
                    max_interval_ms, stale, reason) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                """) { s in
                try s.bind(1, record.source)
                try s.bind(2, record.checkedMilliseconds)
                try s.bind(3, record.newestEventMilliseconds)
                try s.bind(4, record.lastArrivalMilliseconds)
                try s.bind(5, record.maximumAgeMilliseconds)
                try s.bind(6, record.maximumIntervalMilliseconds)
                try s.bind(7, Int64(record.stale ? 1 : 0))
                try s.bind(8, record.reason)
                try s.step()
            }
        }
    }

    /// The newest freshness check of `source`, or nil.
    public func latestFreshness(source: String) throws -> FreshnessRecord? {
        try mapped {
            try withStatement("""
                SELECT checked_ms, newest_event_ms, last_arrival_ms, max_age_ms, max_interval_ms, stale, reason
                FROM freshness WHERE source = ?1 ORDER BY checked_ms DESC LIMIT 1
                """) { s in
                try s.bind(1, source)
                guard try s.step() else { return nil }
                return FreshnessRecord(
                    source: source, checkedMilliseconds: s.int64(at: 0), newestEventMilliseconds: s.optionalInt64(at: 1),
                    lastArrivalMilliseconds: s.optionalInt64(at: 2), maximumAgeMilliseconds: s.int64(at: 3),
                    maximumIntervalMilliseconds: s.int64(at: 4), stale: s.int64(at: 5) != 0, reason: s.text(at: 6) ?? "")
            }
        }
    }

    // MARK: Model metrics

    /// Stores a model metric for a window; a later report for the same (source, metric, window) replaces it
    /// (late labels win; its `higherIsBetter` too). Returns true when it replaced an earlier value.
    @discardableResult
    public func putModelMetric(_ record: ModelMetricRecord) throws -> Bool {
        try writing(source: record.source) {
            let existed = try withStatement("""
                SELECT 1 FROM model_metrics WHERE source = ?1 AND metric = ?2 AND window_start_ms = ?3
                """) { s in
                try s.bind(1, record.source)
                try s.bind(2, record.metric)
                try s.bind(3, record.windowStartMilliseconds)
                return try s.step()
            }
            try withStatement("""
                INSERT INTO model_metrics(source, metric, window_start_ms, value, reported_ms, higher_is_better)
                VALUES(?1, ?2, ?3, ?4, ?5, ?6)
                ON CONFLICT(source, metric, window_start_ms) DO UPDATE SET value = excluded.value,
                    reported_ms = excluded.reported_ms, higher_is_better = excluded.higher_is_better
                """) { s in
                try s.bind(1, record.source)
                try s.bind(2, record.metric)
                try s.bind(3, record.windowStartMilliseconds)
                try s.bindReal(4, record.value)
                try s.bind(5, record.reportedMilliseconds)
                try s.bind(6, record.higherIsBetter.map { Int64($0 ? 1 : 0) })
                try s.step()
            }
            return existed
        }
    }

    private static func metric(from s: Statement, source: String) -> ModelMetricRecord {
        ModelMetricRecord(source: source, metric: s.text(at: 0) ?? "", windowStartMilliseconds: s.int64(at: 1),
                          value: s.doubleOrNaN(at: 2), reportedMilliseconds: s.int64(at: 3),
                          higherIsBetter: s.optionalInt64(at: 4).map { $0 != 0 })
    }

    /// The values of `metric` for `source` with window start in `since ..< until`, oldest first.
    public func modelMetrics(source: String, metric: String, since: Int64 = .min, until: Int64 = .max) throws
        -> [ModelMetricRecord]
    {
        try mapped {
            try withStatement("""
                SELECT metric, window_start_ms, value, reported_ms, higher_is_better FROM model_metrics
                WHERE source = ?1 AND metric = ?2 AND window_start_ms >= ?3 AND window_start_ms < ?4
                ORDER BY window_start_ms
                """) { s in
                try s.bind(1, source)
                try s.bind(2, metric)
                try s.bind(3, since)
                try s.bind(4, until)
                var out: [ModelMetricRecord] = []
                while try s.step() { out.append(Self.metric(from: s, source: source)) }
                return out
            }
        }
    }

    /// Every metric of `source` with window start in `since ..< until`, ordered by window start then metric name
    /// (binary), at most `limit` of them strictly after `after` = (window start, metric) — keyset paging like
    /// `history`. Empty for an unknown source.
    public func modelMetricPage(source: String, since: Int64 = .min, until: Int64 = .max,
                                after: (windowStartMilliseconds: Int64, metric: String)? = nil,
                                limit: Int) throws -> [ModelMetricRecord] {
        guard limit > 0 else { return [] }
        return try mapped {
            try withStatement("""
                SELECT metric, window_start_ms, value, reported_ms, higher_is_better FROM model_metrics
                WHERE source = ?1 AND window_start_ms >= ?2 AND window_start_ms < ?3
                    AND (?4 IS NULL OR (window_start_ms, metric) > (?4, ?5))
                ORDER BY window_start_ms, metric LIMIT ?6
                """) { s in
                try s.bind(1, source)
                try s.bind(2, since)
                try s.bind(3, until)
                try s.bind(4, after?.windowStartMilliseconds)
                try s.bind(5, after?.metric ?? "")
                try s.bind(6, Int64(limit))
                var out: [ModelMetricRecord] = []
                while try s.step() { out.append(Self.metric(from: s, source: source)) }
                return out
            }
        }
    }

    // MARK: Feature status (hysteresis)

    /// Stores the engine's hysteresis state of one feature (replacing the previous one).
    public func putFeatureStatus(source: String, feature: String, state: [UInt8]) throws {
        let stamp = now()
        try writing(source: source) {
            try withStatement("""
                INSERT OR REPLACE INTO feature_status(source, feature, state, updated_ms) VALUES(?1, ?2, ?3, ?4)
                """) { s in
                try s.bind(1, source)
                try s.bind(2, feature)
                try s.bind(3, blob: state)
                try s.bind(4, stamp)
                try s.step()
            }
        }
    }

    /// Every feature's hysteresis state for `source`, keyed by feature name.
    public func featureStatuses(source: String) throws -> [String: [UInt8]] {
        try mapped {
            try withStatement("SELECT feature, state FROM feature_status WHERE source = ?1") { s in
                try s.bind(1, source)
                var out: [String: [UInt8]] = [:]
                while try s.step() { out[s.text(at: 0) ?? ""] = s.blob(at: 1) }
                return out
            }
        }
    }
}
