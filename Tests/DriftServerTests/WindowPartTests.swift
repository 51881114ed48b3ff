@testable import DriftServer
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
