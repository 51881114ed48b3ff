import DriftWire
import Foundation
import Testing

@Suite struct GoldenFrameTests {
    @Test(arguments: Golden.all.map(\.name))
    func encodeAndDecodeMatchGoldenBytes(name: String) throws {
        let c = Golden.all.first { $0.name == name }!
        let expected = bytes(hex: c.hex)
        #expect(hexString(c.frame.encode()) == hexString(expected))
        #expect(try FrameEncoder().encode(c.frame) == expected)
        #expect(try FrameHeader.decode(expected) == c.frame.header)
        let decoded = try decodeAll(expected, chunks: [expected.count])
        #expect(decoded == [c.frame])
        #expect(expected.count == c.frame.header.frameLength)
        // The body starts 8-aligned.
        #expect((FrameHeader.size + c.frame.header.paddedMetadataLength) % 8 == 0)
    }

    @Test(arguments: Golden.all.map(\.name))
    func fixtureFilesMatch(name: String) throws {
        let c = Golden.all.first { $0.name == name }!
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("proto/fixtures/\(name).bin")
        let data = try Data(contentsOf: url)
        #expect([UInt8](data) == bytes(hex: c.hex))
        #expect(try decodeAll([UInt8](data), chunks: [7]) == [c.frame])
    }

    @Test func headerFieldsOfTheRequest() throws {
        let h = try FrameHeader.decode(bytes(hex: Golden.requestZstd.hex))
        #expect(h.type == .request && h.codec == .zstd && h.flags == .idempotencyKeyPresent)
        #expect(h.streamID == 1 && h.methodID == 3 && h.methodVersion == 1 && h.deadlineMs == 30000)
        #expect(h.metadataLength == 6 && h.paddedMetadataLength == 8 && h.bodyLength == 22 && h.bodyRawLength == 36)
    }

    @Test func framesWithEveryPaddingLengthRoundTrip() throws {
        for metaLen in 0...17 {
            for bodyLen in [0, 1, 7, 8, 9] {
                let f = Frame(header: FrameHeader(type: .request, streamID: UInt32(metaLen + 1), methodID: 2),
                              metadata: (0..<metaLen).map { UInt8(1 + $0) }, body: (0..<bodyLen).map { UInt8($0) })
                let b = f.encode()
                #expect(b.count == 40 + (metaLen + 7) / 8 * 8 + bodyLen)
                #expect(try decodeAll(b, chunks: [b.count]) == [f])
            }
        }
    }

    @Test func statusAndTypeTables() {
        #expect(WireStatus.allCases.count == 17)
        #expect(WireStatus(rawValue: 16) == .unauthenticated && WireStatus(rawValue: 17) == nil)
        #expect(WireStatus.resourceExhausted.name == "RESOURCE_EXHAUSTED" && WireStatus.internal.rawValue == 13)
        #expect(FrameType(rawValue: 0) == nil && FrameType(rawValue: 9) == nil && FrameType(rawValue: 8) == .goAway)
        #expect(BodyCodec(rawValue: 2) == nil)
        #expect(!FrameFlags(rawValue: 4).isValid && FrameFlags(rawValue: 3).isValid)
    }
}
