#if canImport(Glibc)
import Glibc
#endif
import DriftEngine
import DriftStore
import DriftWire

/// Windows of a fixed-baseline source taken out of its open set under the source's lock, to be compared outside
/// it (the expensive part: every feature against the baseline) and graded in window order.
struct DeferredClose: Sendable {
    var source: String
    var windows: [OpenWindow]
    /// The sequence number of the first window; its decision waits until `closeTurn` reaches it.
    var firstSeq: UInt64
    /// The state generation the windows were taken from (a reload abandons the decision: the reloaded state
    /// holds the windows open again, and the next ingest or tick closes them).
    var generation: UInt64
    var baseline: (id: UInt64, state: BaselineState)?
    var stale: Bool
    var policies: [DriftPolicy]
    /// The request whose ingest closed the windows (its id goes into the alerts they fire); "" on the timer.
    var requestID: String = ""
}

extension ServerCore {
    /// Under the source's lock: takes `windows` (in window order) out of the open set — later rows of them are
    /// late from now on — and hands out their turn.
    func deferClose(_ windows: [OpenWindow], st: inout SourceMonitorState,
                    baseline: (id: UInt64, state: BaselineState)?) -> DeferredClose? {
        guard !windows.isEmpty else { return nil }
        for w in windows {
            st.open[w.key.index] = nil
            st.closedThrough = max(st.closedThrough ?? .min, w.key.index)
        }
        // `lastClosed` (GetSourceStatus' last closed window) moves only when the verdicts are committed
        // (`finishClose`), so a reader never sees a closed window without its verdicts.
        let d = DeferredClose(source: st.spec.name, windows: windows, firstSeq: st.closeSeq, generation: st.generation,
                              baseline: baseline, stale: st.stale == true, policies: st.settings.driftPolicies)
        st.closeSeq &+= UInt64(windows.count)
        return d
    }

    /// Outside the lock: compares the windows, then — in turn, under the lock — grades them (BH, hysteresis in
    /// the source's tracker), submits their commit (state, closed flag, verdicts, tracker) and waits for it.
    /// Returns the closed windows' verdicts; none when the state was reloaded meanwhile.
    func finishClose(_ d: DeferredClose) throws -> [ClosedWindow] {
        let compared = d.windows.map { compare($0, policies: d.policies, baseline: d.baseline) }
        let m = monitor(d.source)
        enum Turn { case wait, abandoned, submitted(PendingUnit<UInt64?>, AlertWrites, [DecidedWindow]) }
        while true {
            let turn: Turn = try m.state.withLock { slot in
                guard let st = slot, st.generation == d.generation else { return .abandoned }
                guard st.closeTurn == d.firstSeq else { return .wait }
                var tracker = st.tracker
                let decided = compared.map { evaluate($0, st: st, stale: d.stale, tracker: &tracker, requestID: d.requestID) }
                let bytes = tracker.encode(), keep = st.settings.keptClosedStates, source = d.source
                do {
                    // The verdicts and the alert decisions they cause: one unit.
                    let (pending, writes) = try submitWithAlerts(
                        source: source, components: Self.alertComponents(decided, source: source, requestID: d.requestID),
                        nowMs: DriftStore.wallClockMilliseconds()) { store in
                        try Self.persist(decided, source: source, tracker: bytes, rolling: nil, keepStates: keep, in: store)
                    }
                    slot!.tracker = tracker
                    slot!.closeTurn &+= UInt64(compared.count)
                    return .submitted(pending, writes, decided)
                } catch {
                    slot = nil  // the turn cannot advance: reload (new generation), the windows close again
                    throw RequestError(.unavailable, "the store writer is stopped (\(error)); retry on another server")
                }
            }
            switch turn {
            case .wait:
                usleep(200)
            case .abandoned:
                return []
            case .submitted(let pending, let writes, let decided):
                do { _ = try waitForAlertUnit(pending, writes) } catch {
                    m.state.withLock { $0 = nil }  // memory is ahead of the store: reload on next use
                    throw RequestError(.internal, "the windows this ingest closed could not be stored: \(error); "
                        + "they are decided again by the next ingest")
                }
                // Committed: the windows are closed with their verdicts. Turns commit in order but finish their
                // waits in any order, so the last closed window only moves forward.
                if let last = decided.last?.range {
                    m.state.withLock { slot in
                        guard slot?.generation == d.generation else { return }
                        if (slot!.lastClosed?.startMs ?? .min) < last.startMs { slot!.lastClosed = last }
                    }
                }
                return decided.map(\.closed)
            }
        }
    }
}
