/// How far a source's ingest has got: what the window assigner needs after a restart, and what freshness is
/// checked against (`source_progress`, schema step 3).
public struct SourceProgress: Sendable, Equatable {
    public var source: String
    /// Largest event time seen (ms since the epoch); nil before the first event-time row.
    public var maxEventMilliseconds: Int64?
    /// Rows seen, for row-count windows.
    public var rowsSeen: Int64
    /// When the last batch arrived (server wall clock, ms); nil before the first.
    public var lastArrivalMilliseconds: Int64?
    /// Rows that arrived after their window had closed, over all windows.
    public var lateRows: Int64

    public init(source: String, maxEventMilliseconds: Int64? = nil, rowsSeen: Int64 = 0,
                lastArrivalMilliseconds: Int64? = nil, lateRows: Int64 = 0) {
        self.source = source
        self.maxEventMilliseconds = maxEventMilliseconds
        self.rowsSeen = rowsSeen
        self.lastArrivalMilliseconds = lastArrivalMilliseconds
        self.lateRows = lateRows
    }
}
