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
        // end + grace <= watermark: window -1 (0 + 500) and 0 (1000 + 500) closed, window 1 (2000 + 500) open.
        #expect(assigner.isClosed(WindowKey(index: -1)))
        #expect(assigner.isClosed(WindowKey(index: 0)))
        #expect(!assigner.isClosed(WindowKey(index: 1)))
    }

    @Test func lateRowsAreCountedNotFolded() {
        var assigner = WindowAssigner(mode: .eventTime(lengthMilliseconds: 1_000, graceMilliseconds: 500))
        _ = assigner.assign(rowCount: 1, eventTimes: [3_000])  // watermark 2500: windows ≤ 1 closed (2000 + 500 ≤ 2500)
        let result = assigner.assign(rowCount: 5, eventTimes: [100, 999, 1_200, 2_100, 3_100])
        #expect(result.lateRows == [WindowKey(index: 0): 2, WindowKey(index: 1): 1])
        #expect(result.slices == [
            WindowSlice(window: WindowKey(index: 2), rows: [3]),
            WindowSlice(window: WindowKey(index: 3), rows: [4]),
        ])
        #expect(assigner.maxEventTimeSeen == 3_100)
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
