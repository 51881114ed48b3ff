import DriftEngine
import DriftStore
import DriftWire
import Synchronization

/// The monitoring state of one source in memory: its window assigner, open windows, hysteresis and progress.
/// Ingests, window closings, freshness checks and acknowledgements of one source run one at a time under
/// `state`'s lock (held across the group commit, so what the store holds and what memory holds move together);
/// different sources proceed in parallel and share commits.
final class SourceMonitor: Sendable {
    let name: String
    let state: Mutex<SourceMonitorState?>

    init(name: String) {
        self.name = name
        state = Mutex(nil)
    }
}

/// One open window in memory: the merge of every part the store holds for it.
struct OpenWindow: Sendable {
    var key: WindowKey
    var range: WindowRange
    var state: WindowState
}

/// What a `SourceMonitor` holds once loaded from the store.
struct SourceMonitorState: Sendable {
    var spec: SourceSpec
    var settings: MonitorSettings
    var assigner: WindowAssigner
    /// Open windows by index.
    var open: [Int64: OpenWindow]
    var tracker: FeatureStatusTracker
    var progress: SourceProgress
    var lastClosed: WindowRange?
    /// Index of the newest closed window: rows of it or of any earlier window are late, whatever the watermark
    /// says (windows also close on the timer when idle).
    var closedThrough: Int64?
    /// The last recorded freshness state (nil: no SLA, or never checked).
    var stale: Bool?
    /// Which load of the store this state is (a reloaded source gets a new one): a deferred window decision taken
    /// from an older load is abandoned (the reloaded state has the window open again).
    var generation: UInt64 = 0
    /// Deferred window decisions run in window order: the next sequence number to hand out, and the one whose
    /// turn it is.
    var closeSeq: UInt64 = 0
    var closeTurn: UInt64 = 0
    /// Idempotency keys of ingests submitted and not yet committed (a retry waits for their outcome).
    var pendingKeys: Set<String> = []
    /// Wall-clock time the source was loaded (freshness of a source that has never sent data counts from here).
    var loadedMs: Int64

    /// The `[start, end)` of a window in ms: event-time windows are their range; row-count windows are keyed by
    /// their index (start = index, end = index + 1), which keeps the store's `(source, window_start_ms)` key unique.
    func range(of key: WindowKey) -> WindowRange {
        if let r = assigner.range(of: key) { return WindowRange(startMs: r.lowerBound, endMs: r.upperBound) }
        return WindowRange(startMs: key.index, endMs: key.index &+ 1)
    }

    func key(ofStart start: Int64) -> WindowKey {
        switch settings.mode {
        case .eventTime(let length, _): WindowKey(index: start / length - (start % length != 0 && start < 0 ? 1 : 0))
        case .rowCount: WindowKey(index: start)
        }
    }

    func emptyWindow() -> WindowState {
        WindowState(features: settings.windowFeatures, valueCap: settings.valueCap,
                    correlationPairs: settings.policy.correlationPairs)
    }
}
