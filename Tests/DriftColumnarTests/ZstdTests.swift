import Testing

@testable import DriftColumnar

@Suite("zstd wrapper")
struct ZstdTests {
    @Test("round trip of float bytes and of empty input")
    func roundTrip() throws {
        let values = (0..<50_000).map { Float($0 % 997) * 0.25 }
        let bytes = values.withUnsafeBytes { Array($0) }
        let packed = try Zstd.compress(bytes)
        #expect(packed.count < bytes.count)
        #expect(try Zstd.decompress(packed, maxOutput: bytes.count) == bytes)
        #expect(try Zstd.decompress(Zstd.compress([]), maxOutput: 0) == [])
    }

    @Test("a bomb costs at most the cap")
    func bomb() throws {
        let packed = try Zstd.compress([UInt8](repeating: 0, count: 8 << 20))
        #expect(packed.count < 4096)
        #expect(throws: ZstdError(code: .outputLimitExceeded,
                                  message: "zstd: frame declares 8388608 bytes, limit is 1048576")) {
            try Zstd.decompress(packed, maxOutput: 1 << 20)
        }
    }

    @Test("corrupt and truncated input give errors, never a crash")
    func corrupt() throws {
        let packed = try Zstd.compress((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        #expect(throws: ZstdError.self) { try Zstd.decompress(Array(packed.prefix(packed.count / 2)), maxOutput: 1 << 20) }
        #expect(throws: ZstdError.self) { try Zstd.decompress([1, 2, 3, 4, 5, 6, 7, 8], maxOutput: 1 << 20) }
        var flipped = packed
        for i in stride(from: 12, to: flipped.count, by: 7) { flipped[i] ^= 0x5A }
        #expect(throws: ZstdError.self) { try Zstd.decompress(flipped, maxOutput: 1 << 20) }
    }
}
