import DriftTestSupport
import DriftWire
import Testing

@Suite struct CRC32CTests {
    /// Bit-at-a-time reference.
    static func reference(_ data: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in data {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        }
        return ~c
    }

    @Test func knownVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum(Array(0...31)) == 0x46DD_794E)
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    @Test func slicingMatchesBitwiseAtEveryLengthAndSplit() {
        var rng = SplitMix64(seed: 7)
        for n in 0..<70 {
            let data = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(CRC32C.checksum(data) == Self.reference(data))
            let cut = n / 3
            #expect(CRC32C.update(CRC32C.checksum(Array(data[..<cut])), Array(data[cut...])) == Self.reference(data))
        }
    }
}
