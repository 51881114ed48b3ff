import DriftStore

extension ServerCore {
    /// Deletes verdict history, model metrics and closed windows of windows starting more than
    /// `historyRetentionDays` before `nowMs`, and freshness checks made before then (`DriftStore.deleteHistory`);
    /// nothing when the retention is 0 (keep forever). Returns the rows deleted. Called periodically by the
    /// monitoring timer (every `monitorIntervalMilliseconds` or less often: one call deletes everything due).
    @discardableResult
    func applyRetention(nowMs: Int64) throws -> Int {
        let days = configuration.historyRetentionDays
        guard days > 0 else { return 0 }
        let (span, o1) = Int64(days).multipliedReportingOverflow(by: 86_400_000)
        let (cutoff, o2) = nowMs.subtractingReportingOverflow(span)
        guard !o1, !o2 else { return 0 }  // the cutoff lies before any representable time: nothing is old enough
        return try withStore { try $0.deleteHistory(olderThan: cutoff) }
    }
}
