import DriftTestSupport
import DriftWire
import Testing

@Suite struct ProtoWireTests {
    @Test func knownEncodings() {
        var w = ProtoWriter()
        w.writeVarint(150)
        #expect(w.bytes == [0x96, 0x01])
        w = ProtoWriter(); w.writeVarintField(1, 150)
        #expect(w.bytes == [0x08, 0x96, 0x01])
        w = ProtoWriter(); w.writeStringField(2, "testing")
        #expect(w.bytes == [0x12, 0x07] + Array("testing".utf8))
        w = ProtoWriter(); w.writeVarint(.max)
        #expect(w.bytes == [UInt8](repeating: 0xFF, count: 9) + [0x01])
        w = ProtoWriter(); w.writeInt64(-1)
        #expect(w.bytes.count == 10)
        w = ProtoWriter(); w.writeSInt64(-1); w.writeSInt64(1); w.writeSInt64(-2); w.writeSInt64(.min)
        #expect(w.bytes == [0x01, 0x02, 0x03] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
        w = ProtoWriter(); w.writeFixed32Field(5, 0x0102_0304); w.writeDoubleField(3, 1.0)
        #expect(w.bytes == [0x2D, 4, 3, 2, 1, 0x19, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        w = ProtoWriter(); w.writeKey(field: ProtoWriter.maxFieldNumber, wireType: .varint)
        #expect(w.bytes == [0xF8, 0xFF, 0xFF, 0xFF, 0x0F])
    }

    @Test func varintBoundaryRoundTrips() throws {
        let values: [UInt64] = [0, 1, 127, 128, 255, 300, 16383, 16384, UInt64(UInt32.max), 1 << 56, 1 << 63,
                                (1 << 63) - 1, .max]
        for v in values {
            var w = ProtoWriter()
            w.writeVarint(v)
            var r = ProtoReader(w.bytes)
            #expect(try r.readVarint() == v)
            #expect(r.isAtEnd)
        }
        let signed: [Int64] = [0, 1, -1, 63, -64, 64, -65, .max, .min, .min + 1]
        for v in signed {
            var w = ProtoWriter()
            w.writeSInt64(v); w.writeInt64(v)
            var r = ProtoReader(w.bytes)
            #expect(try r.readSInt64() == v)
            #expect(try r.readInt64() == v)
        }
    }

    @Test func messageRoundTripWithUnknownFieldsSkipped() throws {
        var w = ProtoWriter()
        w.writeStringField(1, "orders ✓")
        w.writeFixed64Field(90, 7)            // unknown
        w.writeSInt64Field(2, -12345)
        w.writeBytesField(91, [1, 2, 3])      // unknown
        w.writeFloatField(92, 1.5)            // unknown
        w.writeDoubleField(3, -0.25)
        w.writeVarintField(93, 1 << 40)       // unknown
        w.writeBoolField(4, true)
        w.writeFixed32Field(5, 42)
        var r = ProtoReader(w.bytes)
        var name = "", n: Int64 = 0, x = 0.0, flag = false, f32: UInt32 = 0, skipped = 0
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): name = try r.readString()
            case (2, .varint): n = try r.readSInt64()
            case (3, .fixed64): x = try r.readDouble()
            case (4, .varint): flag = try r.readBool()
            case (5, .fixed32): f32 = try r.readFixed32()
            default: try r.skipField(type); skipped += 1
            }
        }
        #expect(name == "orders ✓" && n == -12345 && x == -0.25 && flag && f32 == 42 && skipped == 4)
    }

    static func expectMalformed(_ b: [UInt8], _ reason: WireError.Reason, sourceLocation: SourceLocation = #_sourceLocation,
                                _ read: (inout ProtoReader) throws(WireError) -> Void) {
        var r = ProtoReader(b)
        do {
            try read(&r)
            Issue.record("expected \(reason)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.reason == reason && error.code == .invalidArgument && !error.isConnectionError,
                     "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func malformedInputThrows() {
        Self.expectMalformed([], .truncated) { r throws(WireError) in _ = try r.readVarint() }
        Self.expectMalformed([0x96], .truncated) { r throws(WireError) in _ = try r.readVarint() }
        Self.expectMalformed([UInt8](repeating: 0x80, count: 9), .truncated) { r throws(WireError) in _ = try r.readVarint() }
        // 11 bytes: the 10th still has its continuation bit.
        Self.expectMalformed([UInt8](repeating: 0x80, count: 10) + [0x00], .varintTooLong) { r throws(WireError) in _ = try r.readVarint() }
        // 10 bytes whose last byte carries bits past 2^64.
        Self.expectMalformed([UInt8](repeating: 0xFF, count: 9) + [0x02], .varintTooLong) { r throws(WireError) in _ = try r.readVarint() }
        Self.expectMalformed([1, 2, 3], .truncated) { r throws(WireError) in _ = try r.readFixed32() }
        Self.expectMalformed([1, 2, 3, 4, 5, 6, 7], .truncated) { r throws(WireError) in _ = try r.readFixed64() }
        Self.expectMalformed([0x05, 1, 2], .truncated) { r throws(WireError) in _ = try r.readBytes() }
        Self.expectMalformed([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], .truncated) { r throws(WireError) in
            _ = try r.readLengthDelimited()
        }
        Self.expectMalformed([0x02, 0xC3, 0x28], .invalidUTF8) { r throws(WireError) in _ = try r.readString() }
        Self.expectMalformed([0x0B], .invalidWireType) { r throws(WireError) in _ = try r.readKey() }  // group start
        Self.expectMalformed([0x0E], .invalidWireType) { r throws(WireError) in _ = try r.readKey() }
        Self.expectMalformed([0x00], .invalidFieldNumber) { r throws(WireError) in _ = try r.readKey() }
        Self.expectMalformed([0x80, 0x80, 0x80, 0x80, 0x80, 0x01], .invalidFieldNumber) { r throws(WireError) in _ = try r.readKey() }
        Self.expectMalformed([0x0A, 0x03, 0x01], .truncated) { r throws(WireError) in
            let k = try r.readKey()!
            try r.skipField(k.wireType)
        }
    }

    @Test func randomBytesNeverTrap() {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<20_000 {
            let b = (0..<Int.random(in: 0...24, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var r = ProtoReader(b)
            do {
                while let (_, t) = try r.readKey() { try r.skipField(t) }
                #expect(r.isAtEnd)
            } catch {
                #expect(error.code == .invalidArgument)
            }
        }
    }
}
