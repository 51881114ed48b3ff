/// One tumbling window of a source as stored: the engine's encoded (mergeable) window state, opaque to the store,
/// with its counters and flags.
public struct StoredWindow: Sendable, Equatable {
    public var source: String
    public var startMilliseconds: Int64
    public var endMilliseconds: Int64
    /// The engine's encoded window state (replaced whole by each ingest that touches the window).
    public var state: [UInt8]
    /// Rows folded into the window, late rows included.
    public var rows: UInt64
    /// Rows that arrived after the grace period (counted, as the engine decides whether they are folded in).
    public var lateRows: UInt64
    /// The window has been decided; no more data is folded in.
    public var closed: Bool
    /// The window raised an alert: it stays out of rolling baselines until acknowledged.
    public var alerted: Bool
    public var acknowledged: Bool
    public var updatedMilliseconds: Int64

    public init(source: String, startMilliseconds: Int64, endMilliseconds: Int64, state: [UInt8], rows: UInt64,
                lateRows: UInt64, closed: Bool, alerted: Bool, acknowledged: Bool, updatedMilliseconds: Int64) {
        self.source = source
        self.startMilliseconds = startMilliseconds
        self.endMilliseconds = endMilliseconds
        self.state = state
        self.rows = rows
        self.lateRows = lateRows
        self.closed = closed
        self.alerted = alerted
        self.acknowledged = acknowledged
        self.updatedMilliseconds = updatedMilliseconds
    }

    /// Usable in a rolling baseline: closed, and not an unacknowledged alert.
    public var isBaselineEligible: Bool { closed && (!alerted || acknowledged) }
}

/// One window touched by an ingest: its bounds, the new encoded state (the engine merged the block into the
/// stored state) and the rows this ingest adds.
public struct WindowUpdate: Sendable, Equatable {
    public var startMilliseconds: Int64
    public var endMilliseconds: Int64
    public var state: [UInt8]
    public var rowsAdded: UInt64
    public var lateRows: UInt64

    public init(startMilliseconds: Int64, endMilliseconds: Int64, state: [UInt8], rowsAdded: UInt64,
                lateRows: UInt64 = 0) {
        self.startMilliseconds = startMilliseconds
        self.endMilliseconds = endMilliseconds
        self.state = state
        self.rowsAdded = rowsAdded
        self.lateRows = lateRows
    }
}

/// The outcome of `DriftStore.applyIngest`.
public enum IngestOutcome: Sendable, Equatable {
    /// The key was new (or absent): the window updates are written.
    case applied
    /// The key was seen before within the retention period: nothing was written. `rows` is what the first
    /// ingest recorded.
    case duplicate(receivedMilliseconds: Int64, rows: UInt64)
}
