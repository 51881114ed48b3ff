import DriftStore
import DriftWire
import Testing

@Suite("Window parts and source progress (schema 3)")
struct WindowPartsStoreTests {
    @Test("parts append in order per window, survive reopening, and compaction replaces them with the merged state")
    func partsAndCompaction() throws {
        try withTempDirectory { dir in
            let path = dir + "/d.db"
            do {
                let store = try DriftStore(path: path)
                try store.createSource(spec("s"))
                try store.applyIngest(source: "s", key: "a", windowUpdates: [update(0, rows: 3, state: [])])
                try store.appendWindowPart(source: "s", start: 0, state: [1, 1])
                try store.applyIngest(source: "s", key: "b", windowUpdates: [update(0, rows: 2, state: []),
                                                                            update(1, rows: 4, state: [])])
                try store.appendWindowPart(source: "s", start: 0, state: [2])
                try store.appendWindowPart(source: "s", start: hour, state: [3])
            }
            let store = try DriftStore(path: path)
            #expect(try store.windowParts(source: "s", start: 0) == [[1, 1], [2]])
            #expect(try store.windowParts(source: "s", start: hour) == [[3]])
            #expect(try store.openWindows(source: "s").map(\.startMilliseconds) == [0, hour])
            #expect(try store.openWindows(source: "s").map(\.rows) == [5, 4])
            try store.compactWindow(source: "s", start: 0, state: [9, 9, 9])
            try store.closeWindow(source: "s", start: 0)
            #expect(try store.windowParts(source: "s", start: 0) == [])
            #expect(try store.window(source: "s", start: 0)?.state == [9, 9, 9])
            #expect(try store.openWindows(source: "s").map(\.startMilliseconds) == [hour])
            let last = try #require(try store.lastClosedWindow(source: "s"))
            #expect(last.startMilliseconds == 0 && last.endMilliseconds == hour && last.closed && last.state.isEmpty)
            #expect(try store.ingestKeyRecord(source: "s", key: "b")?.rows == 6)
            #expect(try store.ingestKeyRecord(source: "s", key: "zzz") == nil)
        }
    }

    @Test("a part for an unknown source is refused; a part rolled back with its transaction leaves nothing")
    func partsAreTransactional() throws {
        let store = try DriftStore(path: ":memory:")
        try store.createSource(spec("s"))
        #expect(throws: DriftStoreError.notFound(source: "nope")) {
            try store.appendWindowPart(source: "nope", start: 0, state: [1])
        }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.connection.transaction {
                try store.applyIngest(source: "s", key: "k", windowUpdates: [update(0, rows: 1, state: [])])
                try store.appendWindowPart(source: "s", start: 0, state: [1])
                throw Boom()
            }
        }
        #expect(try store.windowParts(source: "s", start: 0) == [])
        #expect(try store.ingestKeyRecord(source: "s", key: "k") == nil)
    }

    @Test("progress round-trips with absent times, and is replaced whole")
    func progress() throws {
        let store = try DriftStore(path: ":memory:")
        try store.createSource(spec("s"))
        #expect(try store.progress(source: "s") == nil)
        let p = SourceProgress(source: "s", maxEventMilliseconds: nil, rowsSeen: 12, lastArrivalMilliseconds: 5, lateRows: 1)
        try store.putProgress(p)
        #expect(try store.progress(source: "s") == p)
        let q = SourceProgress(source: "s", maxEventMilliseconds: -7, rowsSeen: 0, lastArrivalMilliseconds: nil, lateRows: 0)
        try store.putProgress(q)
        #expect(try store.progress(source: "s") == q)
        #expect(throws: DriftStoreError.notFound(source: "x")) { try store.putProgress(SourceProgress(source: "x")) }
    }
}
