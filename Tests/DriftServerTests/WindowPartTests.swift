@testable import DriftServer
import DriftEngine
import DriftWire
import Testing

@Suite("WindowPart (DWP1)")
struct WindowPartTests {
    @Test("round trip with and without a row list; every truncation and a bad magic are refused, never a crash")
    func roundTripAndHostile() throws {
        let all = WindowPart(blockKey: 0x0123_4567_89AB_CDEF, codec: .zstd, rows: nil, body: [1, 2, 3])
        let some = WindowPart(blockKey: 7, codec: .none, rows: [0, 5, 70_000], body: Array(repeating: 9, count: 40))
        for p in [all, some] {
            let bytes = p.encode()
            #expect(try WindowPart.decode(bytes) == p)
            for n in 0..<(bytes.count - p.body.count) {
                #expect(throws: WindowPart.DecodingError.self) { try WindowPart.decode(Array(bytes.prefix(n))) }
            }
        }
        var bad = all.encode()
        bad[0] = UInt8(ascii: "X")
        #expect(throws: WindowPart.DecodingError.self) { try WindowPart.decode(bad) }
        var kind = all.encode()
        kind[13] = 7
        #expect(throws: WindowPart.DecodingError.self) { try WindowPart.decode(kind) }
        // The layout of the doc comment: magic, key LE, codec, rows kind, body.
        #expect(Array(all.encode().prefix(14)) == Array("DWP1".utf8) + [0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01, 1, 0])
    }
}

@Suite("AlertTimestamp in server messages")
struct ServerTimestampTests {
    @Test("ISO-8601 UTC from epoch milliseconds, across leap days, centuries and before 1970")
    func format() {
        #expect(AlertTimestamp.rfc3339(ms: 0) == "1970-01-01T00:00:00Z")
        #expect(AlertTimestamp.rfc3339(ms: 1_796_083_200_000) == "2026-12-01T00:00:00Z")
        #expect(AlertTimestamp.rfc3339(ms: 951_782_400_000) == "2000-02-29T00:00:00Z")
        #expect(AlertTimestamp.rfc3339(ms: 4_107_542_399_999) == "2100-02-28T23:59:59.999Z")
        #expect(AlertTimestamp.rfc3339(ms: -1) == "1969-12-31T23:59:59.999Z")
        #expect(AlertTimestamp.rfc3339(ms: -86_400_000) == "1969-12-31T00:00:00Z")
    }
}
