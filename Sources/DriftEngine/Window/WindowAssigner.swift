/// How a source's rows are cut into tumbling windows.
public enum WindowingMode: Sendable, Equatable {
    /// Windows of `lengthMilliseconds` of event time, aligned to multiples of the length from the Unix epoch.
    case eventTime(lengthMilliseconds: Int64, graceMilliseconds: Int64)
    /// Windows of exactly `rowsPerWindow` rows in arrival order; a block may straddle windows.
    case rowCount(rowsPerWindow: Int64)
}

/// A window of one source: its index and, for event-time windows, its `[start, end)` range in ms since the epoch.
public struct WindowKey: Sendable, Hashable, Comparable {
    /// Index of the window (event time: `floor(start / length)`; rows: `firstRow / rowsPerWindow`).
    public let index: Int64
    /// Creates a key from its index.
    public init(index: Int64) { self.index = index }
    /// Orders windows by index.
    public static func < (lhs: WindowKey, rhs: WindowKey) -> Bool { lhs.index < rhs.index }
}

/// Rows of one block that fall into one window (row indices into the block, ascending).
public struct WindowSlice: Sendable, Equatable {
    /// The window the rows belong to.
    public let window: WindowKey
    /// Row indices of the block that go into that window.
    public let rows: [Int]
}

/// The outcome of assigning one block's rows to windows.
public struct WindowAssignment: Sendable, Equatable {
    /// Rows to fold, grouped by window (ascending window index).
    public let slices: [WindowSlice]
    /// Late rows per window: counted, not folded (ascending window index).
    public let lateRows: [WindowKey: Int]
}

/// Tumbling-window assignment for one source. Pure logic: no clock reads; the watermark and the row counter
/// are state passed in and advanced by the caller through the returned values.
///
/// Event time: the watermark is `max event time seen − grace`; a window closes when its end ≤ watermark, i.e. once
/// a row at or past end + grace has been seen, and later rows of a closed window are late. The watermark advances
/// after each block (see ``assign(rowCount:eventTimes:)``). After a restart, ``restore(maxEventTimeSeen:rowsSeen:)``
/// rebuilds the assigner from the persisted watermark state.
public struct WindowAssigner: Sendable, Equatable {
    /// The windowing of the source.
    public let mode: WindowingMode
    /// Largest event time seen so far (ms), `nil` before the first row (event-time mode).
    public private(set) var maxEventTimeSeen: Int64?
    /// Rows seen so far (row-count mode).
    public private(set) var rowsSeen: Int64

    /// Creates an assigner with no history.
    public init(mode: WindowingMode) {
        self.mode = mode
        self.maxEventTimeSeen = nil
        self.rowsSeen = 0
    }

    /// Restores the progress persisted from an earlier assigner of the same source (the server's store keeps the
    /// max event time seen and the rows seen): afterwards the assigner behaves exactly as the one that saw those
    /// rows. `maxEventTimeSeen` is used in event-time mode, `rowsSeen` in row-count mode (both are kept either way).
    /// - Precondition: `rowsSeen ≥ 0`.
    public mutating func restore(maxEventTimeSeen: Int64?, rowsSeen: Int64) {
        precondition(rowsSeen >= 0, "rowsSeen must not be negative")
        self.maxEventTimeSeen = maxEventTimeSeen
        self.rowsSeen = rowsSeen
    }

    /// An assigner restored from persisted progress (``restore(maxEventTimeSeen:rowsSeen:)``).
    public init(mode: WindowingMode, maxEventTimeSeen: Int64?, rowsSeen: Int64) {
        self.init(mode: mode)
        restore(maxEventTimeSeen: maxEventTimeSeen, rowsSeen: rowsSeen)
    }

    /// The watermark (ms): max event time seen − grace; `nil` before any row or in row-count mode.
    public var watermark: Int64? {
        guard case .eventTime(_, let grace) = mode, let maxSeen = maxEventTimeSeen else { return nil }
        return maxSeen &- grace
    }

    /// `[start, end)` of an event-time window in ms; `nil` in row-count mode.
    public func range(of window: WindowKey) -> Range<Int64>? {
        guard case .eventTime(let length, _) = mode else { return nil }
        return (window.index &* length)..<((window.index &+ 1) &* length)
    }

    /// The event-time window containing `eventTime` (floor division, so negative times align too).
    public func window(forEventTime eventTime: Int64, length: Int64) -> WindowKey {
        var quotient = eventTime / length
        if eventTime % length != 0 && eventTime < 0 { quotient -= 1 }
        return WindowKey(index: quotient)
    }

    /// Whether a window is closed: event time, when end ≤ watermark (= max event time seen − grace, so the window
    /// `[start, end)` stays open while every row seen is before end + grace, and closes with the first row at or
    /// past end + grace); rows, when all its rows arrived.
    public func isClosed(_ window: WindowKey) -> Bool {
        switch mode {
        case .eventTime(let length, _):
            guard let watermark else { return false }
            return (window.index &+ 1) &* length <= watermark
        case .rowCount(let perWindow):
            return (window.index &+ 1) &* perWindow <= rowsSeen
        }
    }

    /// Assigns a block's rows. `eventTimes` (ms) is one value per row in event-time mode (use the block's
    /// timestamp repeated when the source has no timestamp column); ignored in row-count mode, where `rowCount`
    /// is used. Rows of windows already closed before this block (by the watermark as it stood) are late.
    /// The watermark advances after the block, so a block never makes its own rows late.
    public mutating func assign(rowCount: Int, eventTimes: [Int64]) -> WindowAssignment {
        switch mode {
        case .rowCount(let perWindow):
            var slices: [WindowSlice] = []
            var row = 0
            while row < rowCount {
                let absolute = rowsSeen &+ Int64(row)
                let index = absolute / perWindow
                let room = Int((index &+ 1) &* perWindow &- absolute)
                let take = min(room, rowCount - row)
                slices.append(WindowSlice(window: WindowKey(index: index), rows: Array(row..<(row + take))))
                row += take
            }
            rowsSeen &+= Int64(rowCount)
            return WindowAssignment(slices: slices, lateRows: [:])
        case .eventTime(let length, _):
            var rowsByWindow: [WindowKey: [Int]] = [:]
            var late: [WindowKey: Int] = [:]
            var newMax = maxEventTimeSeen
            for (row, time) in eventTimes.enumerated() {
                let key = window(forEventTime: time, length: length)
                if isClosed(key) {
                    late[key, default: 0] += 1
                } else {
                    rowsByWindow[key, default: []].append(row)
                }
                newMax = max(newMax ?? time, time)
            }
            maxEventTimeSeen = newMax
            let slices = rowsByWindow.keys.sorted().map { WindowSlice(window: $0, rows: rowsByWindow[$0]!) }
            return WindowAssignment(slices: slices, lateRows: late)
        }
    }
}
