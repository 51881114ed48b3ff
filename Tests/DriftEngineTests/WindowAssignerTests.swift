import Testing
@testable import DriftEngine

@Suite("WindowAssigner")
struct WindowAssignerTests {
    @Test func eventTimeWindowsAlignToEpochMultiples() {
        var assigner = WindowAssigner(mode: .eventTime(lengthMilliseconds: 1_000, graceMilliseconds: 500))
        let result = assigner.assign(rowCount: 5, eventTimes: [0, 999, 1_000, -1, 2_500])
        #expect(result.slices == [
            WindowSlice(window: WindowKey(index: -1), rows: [3]),
            WindowSlice(window: WindowKey(index: 0), rows: [0, 1]),
            WindowSlice(window: WindowKey(index: 1), rows: [2]),
            WindowSlice(window: WindowKey(index: 2), rows: [4]),
        ])
        #expect(result.lateRows.isEmpty)
        #expect(assigner.watermark == 2_000)
        #expect(assigner.range(of: WindowKey(index: -1)) == -1_000..<0)
        // end <= watermark (end + grace <= max seen 2500): windows -1, 0 and 1 (end 2000) closed, window 2 open.
        #expect(assigner.isClosed(WindowKey(index: -1)))
        #expect(assigner.isClosed(WindowKey(index: 0)))
        #expect(assigner.isClosed(WindowKey(index: 1)))
        #expect(!assigner.isClosed(WindowKey(index: 2)))
    }

    @Test func lateRowsAreCountedNotFolded() {
        var assigner = WindowAssigner(mode: .eventTime(lengthMilliseconds: 1_000, graceMilliseconds: 500))
        _ = assigner.assign(rowCount: 1, eventTimes: [3_000])  // watermark 2500: windows ≤ 1 closed (end 2000 ≤ 2500), window 2 (end 3000) open
        let result = assigner.assign(rowCount: 5, eventTimes: [100, 999, 1_200, 2_100, 3_100])
        #expect(result.lateRows == [WindowKey(index: 0): 2, WindowKey(index: 1): 1])
        #expect(result.slices == [
            WindowSlice(window: WindowKey(index: 2), rows: [3]),
            WindowSlice(window: WindowKey(index: 3), rows: [4]),
        ])
        #expect(assigner.maxEventTimeSeen == 3_100)
    }

    @Test func windowClosesExactlyAtEndPlusGrace() {
        var assigner = WindowAssigner(mode: .eventTime(lengthMilliseconds: 1_000, graceMilliseconds: 500))
        _ = assigner.assign(rowCount: 1, eventTimes: [10])
        _ = assigner.assign(rowCount: 1, eventTimes: [1_499])  // end + grace − 1: window 0 stays open
        #expect(!assigner.isClosed(WindowKey(index: 0)))
        let stillOpen = assigner.assign(rowCount: 1, eventTimes: [999])
        #expect(stillOpen.lateRows.isEmpty)
        #expect(stillOpen.slices == [WindowSlice(window: WindowKey(index: 0), rows: [0])])
        _ = assigner.assign(rowCount: 1, eventTimes: [1_500])  // end + grace: window 0 closes
        #expect(assigner.isClosed(WindowKey(index: 0)))
        #expect(!assigner.isClosed(WindowKey(index: 1)))
        let late = assigner.assign(rowCount: 2, eventTimes: [999, 1_000])
        #expect(late.lateRows == [WindowKey(index: 0): 1])
        #expect(late.slices == [WindowSlice(window: WindowKey(index: 1), rows: [1])])
    }

    @Test func zeroGraceClosesAtTheEnd() {
        var assigner = WindowAssigner(mode: .eventTime(lengthMilliseconds: 10, graceMilliseconds: 0))
        _ = assigner.assign(rowCount: 1, eventTimes: [9])
        #expect(!assigner.isClosed(WindowKey(index: 0)))
        _ = assigner.assign(rowCount: 1, eventTimes: [10])
        #expect(assigner.isClosed(WindowKey(index: 0)))
    }

    @Test func restoredAssignerContinuesWhereTheOldOneStopped() {
        var original = WindowAssigner(mode: .eventTime(lengthMilliseconds: 1_000, graceMilliseconds: 500))
        _ = original.assign(rowCount: 2, eventTimes: [200, 2_600])
        var restored = WindowAssigner(mode: original.mode)
        restored.restore(maxEventTimeSeen: original.maxEventTimeSeen, rowsSeen: original.rowsSeen)
        #expect(restored == original)
        #expect(restored.assign(rowCount: 3, eventTimes: [500, 1_900, 2_700])
            == original.assign(rowCount: 3, eventTimes: [500, 1_900, 2_700]))
        var rows = WindowAssigner(mode: .rowCount(rowsPerWindow: 4))
        _ = rows.assign(rowCount: 6, eventTimes: [])
        var rowsRestored = WindowAssigner(mode: .rowCount(rowsPerWindow: 4), maxEventTimeSeen: nil, rowsSeen: 6)
        #expect(rowsRestored == rows)
        #expect(rowsRestored.assign(rowCount: 5, eventTimes: []) == rows.assign(rowCount: 5, eventTimes: []))
    }

    @Test func emptyBlockChangesNothing() {
        var assigner = WindowAssigner(mode: .eventTime(lengthMilliseconds: 10, graceMilliseconds: 0))
        let result = assigner.assign(rowCount: 0, eventTimes: [])
        #expect(result.slices.isEmpty && result.lateRows.isEmpty)
        #expect(assigner.watermark == nil)
        #expect(!assigner.isClosed(WindowKey(index: -5)))
    }

    @Test func rowCountWindowsSplitStraddlingBlocks() {
        var assigner = WindowAssigner(mode: .rowCount(rowsPerWindow: 4))
        let first = assigner.assign(rowCount: 3, eventTimes: [])
        #expect(first.slices == [WindowSlice(window: WindowKey(index: 0), rows: [0, 1, 2])])
        #expect(!assigner.isClosed(WindowKey(index: 0)))
        let second = assigner.assign(rowCount: 10, eventTimes: [])
        #expect(second.slices == [
            WindowSlice(window: WindowKey(index: 0), rows: [0]),
            WindowSlice(window: WindowKey(index: 1), rows: [1, 2, 3, 4]),
            WindowSlice(window: WindowKey(index: 2), rows: [5, 6, 7, 8]),
            WindowSlice(window: WindowKey(index: 3), rows: [9]),
        ])
        #expect(assigner.rowsSeen == 13)
        #expect(assigner.isClosed(WindowKey(index: 2)))
        #expect(!assigner.isClosed(WindowKey(index: 3)))
        #expect(assigner.range(of: WindowKey(index: 0)) == nil)
    }
}
