import DriftWire
import Testing

@Suite struct WireBufferTests {
    @Test func integersAreLittleEndianAndRoundTrip() {
        var b = WireBuffer()
        b.writeInteger(UInt8(0xAB))
        b.writeInteger(UInt16(0x1234))
        b.writeInteger(UInt32(0xDEAD_BEEF))
        b.writeInteger(UInt64(0x0102_0304_0506_0708))
        b.writeInteger(Int32(-2))
        b.writeInteger(Int64.min)
        #expect(b.readableBytes == 1 + 2 + 4 + 8 + 4 + 8)
        #expect(b.getBytes(at: 0, count: 7) == [0xAB, 0x34, 0x12, 0xEF, 0xBE, 0xAD, 0xDE])
        #expect(b.getInteger(at: 1, as: UInt16.self) == 0x1234)
        #expect(b.readerIndex == 0)
        #expect(b.readInteger(as: UInt8.self) == 0xAB)
        #expect(b.readInteger(as: UInt16.self) == 0x1234)
        #expect(b.readInteger(as: UInt32.self) == 0xDEAD_BEEF)
        #expect(b.readInteger(as: UInt64.self) == 0x0102_0304_0506_0708)
        #expect(b.readInteger(as: Int32.self) == -2)
        #expect(b.readInteger(as: Int64.self) == Int64.min)
        #expect(b.readableBytes == 0)
        #expect(b.readInteger(as: UInt8.self) == nil)
    }

    @Test func shortReadsReturnNilAndConsumeNothing() {
        var b = WireBuffer(bytes: [1, 2, 3])
        #expect(b.readInteger(as: UInt32.self) == nil)
        #expect(b.readBytes(4) == nil)
        #expect(b.readBytes(-1) == nil)
        #expect(b.getInteger(at: 2, as: UInt16.self) == nil)
        #expect(b.getInteger(at: -1, as: UInt8.self) == nil)
        #expect(b.getInteger(at: Int.max, as: UInt64.self) == nil)
        #expect(b.readerIndex == 0 && b.readableBytes == 3)
        #expect(b.readBytes(2) == [1, 2])
        #expect(b.getInteger(at: 0, as: UInt8.self) == nil)  // already read
        b.discardReadBytes()
        #expect(b.readerIndex == 0 && b.readableBytesArray == [3])
        b.writeBytes([4, 5])
        #expect(b.skipBytes(10) == 3 && b.readableBytes == 0)
    }

    @Test func setIntegerOverwrites() {
        var b = WireBuffer()
        b.writeZeros(8)
        b.setInteger(UInt32(0x0A0B_0C0D), at: 2)
        #expect(b.readableBytesArray == [0, 0, 0x0D, 0x0C, 0x0B, 0x0A, 0, 0])
        var c = WireBuffer(bytes: [9, 9] + b.readableBytesArray)
        #expect(c != b)
        _ = c.readBytes(2)
        #expect(c == b)
    }
}
