import DriftTestSupport
import Foundation
import Testing
import DriftWire

@testable import DriftColumnar

@Suite("columnar block: round trips and golden bytes")
struct ColumnBlockTests {
    static let specials: [Float] = [0, -0.0, 1, -1.5, .nan, -.nan, .infinity, -.infinity, .leastNonzeroMagnitude,
                                    .greatestFiniteMagnitude, Float(bitPattern: 0x7FA0_0001) /* signalling NaN payload */]
    static let specials64: [Double] = [0, -0.0, 1, -1.5, .nan, -.nan, .infinity, -.infinity, .leastNonzeroMagnitude,
                                       .greatestFiniteMagnitude, Double(bitPattern: 0x7FF4_0000_0000_0001)]

    /// Every type, with and without validity, PLAIN and BSS, at row counts around the bitmap and vector boundaries.
    @Test("round trip of every type", arguments: [0, 1, 2, 7, 8, 9, 11, 31, 33, 1000])
    func roundTrip(rows: Int) throws {
        var rng = SplitMix64(seed: UInt64(rows) &+ 17)
        let f32 = (0..<rows).map { i in i < Self.specials.count ? Self.specials[i] : Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())) }
        let f64 = (0..<rows).map { i in i < Self.specials64.count ? Self.specials64[i] : Double(bitPattern: rng.next()) }
        let i64 = (0..<rows).map { _ in Int64(bitPattern: rng.next()) }
        let ts = (0..<rows).map { Int64(1_700_000_000_000 + $0) }
        let bools = (0..<rows).map { _ in rng.next() & 1 == 1 }
        let dict = ["a", "b", "ünï", ""]
        let codes = (0..<rows).map { i in i % 5 == 4 ? UInt32.max : UInt32(rng.below(dict.count)) }
        let valid = bitmap((0..<rows).map { _ in rng.next() % 3 != 0 })

        for floatEncoding in ValueEncoding.allCases {
            var enc = ColumnBlockEncoder(rowCount: rows, timestampUnixMs: -42, options: .init(floatEncoding: floatEncoding))
            try enc.addFloat32("f32", f32)
            try enc.addFloat32("f32 valid", f32, validity: valid)
            try enc.addFloat64("f64", f64)
            try enc.addFloat64("f64 valid", f64, validity: valid)
            try enc.addInt64("i64", i64)
            try enc.addInt64("i64 valid", i64, validity: valid)
            try enc.addTimestampMs("ts", ts, validity: valid)
            try enc.addBool("b", bools)
            try enc.addBool("b valid", bools, validity: valid)
            try enc.addCategorical("cat", codes: codes, dictionary: dict)
            try enc.addCategorical("cat valid", codes: codes, dictionary: dict, validity: valid)
            let block = try ColumnBlockDecoder().decode(enc.encode())

            #expect(block.rowCount == rows)
            #expect(block.timestampUnixMs == -42)
            #expect(block.columns.map(\.name) == ["f32", "f32 valid", "f64", "f64 valid", "i64", "i64 valid", "ts", "b",
                                                  "b valid", "cat", "cat valid"])
            for c in block.columns {
                #expect(c.rowCount == rows)
                #expect(c.validity == ((c.name.hasSuffix("valid") || c.name == "ts") ? ColumnValidity(bytes: valid[...], count: rows) : nil))
                // Blocks from this encoder are aligned, so PLAIN columns are views.
                if c.encoding == .plain { #expect(c.isView, "\(c.name)") }
            }
            for name in ["f32", "f32 valid"] {
                let c = try #require(block.column(named: name))
                #expect(c.type == .float32 && c.encoding == floatEncoding)
                #expect(c.float32Bits == f32.map(\.bitPattern))   // NaN payloads, ±0, ±inf bit-exact
                #expect(c.withFloat64Values { _ in 0 } == nil)
            }
            for name in ["f64", "f64 valid"] {
                let c = try #require(block.column(named: name))
                #expect(c.type == .float64 && c.encoding == floatEncoding)
                #expect(c.float64Bits == f64.map(\.bitPattern))
            }
            #expect(block.column(named: "i64")?.int64s == i64)
            #expect(block.column(named: "i64 valid")?.int64s == i64)
            #expect(block.column(named: "ts")?.type == .timestampMs)
            #expect(block.column(named: "ts")?.int64s == ts)
            #expect(block.column(named: "b")?.bools == bools)
            #expect(block.column(named: "b valid")?.bools == bools)
            #expect(block.column(named: "cat")?.codes == codes)
            #expect(block.column(named: "cat")?.dictionary == dict)
            #expect(block.column(named: "cat valid")?.codes == codes)
        }
    }

    @Test("empty block, and a block without timestamp")
    func empty() throws {
        let enc = ColumnBlockEncoder(rowCount: 0)
        #expect(enc.encode() == [])
        let block = try ColumnBlockDecoder().decode([])
        #expect(block.rowCount == 0 && block.columns.isEmpty && block.timestampUnixMs == nil)
        let rowsOnly = try ColumnBlockDecoder().decode(ColumnBlockEncoder(rowCount: 5).encode())
        #expect(rowsOnly.rowCount == 5 && rowsOnly.columns.isEmpty)
    }

    @Test("validity accessors")
    func validity() throws {
        var enc = ColumnBlockEncoder(rowCount: 10)
        let flags = [true, false, true, true, false, false, true, true, true, false]
        try enc.addFloat64("x", Array(repeating: 1, count: 10), validity: bitmap(flags))
        let c = try ColumnBlockDecoder().decode(enc.encode()).columns[0]
        let v = try #require(c.validity)
        #expect((0..<10).map(v.isValid) == flags)
        #expect(v.nullCount == 4)
    }

    @Test("un-split matches a scalar reference at vector boundaries")
    func byteStreamSplit() {
        var rng = SplitMix64(seed: 3)
        for n in [0, 1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 100] {
            let v4 = (0..<n).map { _ in UInt32(truncatingIfNeeded: rng.next()) }
            var split = [UInt8](repeating: 0, count: 4 * n)
            for i in 0..<n { for k in 0..<4 { split[k * n + i] = UInt8(truncatingIfNeeded: v4[i] >> (8 * k)) } }
            var mine = [UInt8](repeating: 0, count: 4 * n)
            v4.withUnsafeBufferPointer { s in mine.withUnsafeMutableBufferPointer { d in
                if n > 0 { ByteStreamSplit.split4(s.baseAddress!, count: n, into: d.baseAddress!) } } }
            #expect(mine == split)
            var back = [UInt32](repeating: 0, count: n)
            split.withUnsafeBytes { s in back.withUnsafeMutableBufferPointer { d in
                if n > 0 { ByteStreamSplit.unsplit4(s.baseAddress!, count: n, into: d.baseAddress!) } } }
            #expect(back == v4)

            let v8 = (0..<n).map { _ in rng.next() }
            var split8 = [UInt8](repeating: 0, count: 8 * n)
            for i in 0..<n { for k in 0..<8 { split8[k * n + i] = UInt8(truncatingIfNeeded: v8[i] >> (8 * k)) } }
            var back8 = [UInt64](repeating: 0, count: n)
            split8.withUnsafeBytes { s in back8.withUnsafeMutableBufferPointer { d in
                if n > 0 { ByteStreamSplit.unsplit8(s.baseAddress!, count: n, into: d.baseAddress!) } } }
            #expect(back8 == v8)
        }
    }

    @Test("a misaligned PLAIN column (another encoder, no padding) is copied into aligned storage")
    func misaligned() throws {
        let values: [Double] = [1, .nan, -.infinity]
        let bytes = values.withUnsafeBytes { Array($0) }
        // Name lengths 1...8 shift the values through every residue mod 8.
        for len in 1...8 {
            let raw = rawBlock(rows: 3, [RawColumn(name: Array(repeating: UInt8(ascii: "a"), count: len), type: 2, values: bytes)])
            let c = try ColumnBlockDecoder().decode(raw).columns[0]
            #expect(c.float64Bits == values.map(\.bitPattern))
            c.withFloat64Values { p in #expect(Int(bitPattern: p.baseAddress) % 8 == 0) }
        }
    }

    @Test("unknown fields are skipped, the last scalar wins")
    func unknownFields() throws {
        var col = ProtoWriter()
        col.writeStringField(1, "x")
        col.writeVarintField(2, 4)
        col.writeFixed32Field(9, 7)
        col.writeBytesField(4, [1, 0])
        col.writeFixed64Field(10, 7)
        var w = ProtoWriter()
        w.writeVarintField(1, 99)
        w.writeBytesField(2, col.bytes)
        w.writeStringField(77, "future")
        w.writeVarintField(1, 2)
        let block = try ColumnBlockDecoder().decode(w.bytes)
        #expect(block.rowCount == 2)
        #expect(block.columns[0].bools == [true, false])
    }

    // MARK: - Golden bytes

    /// Written by an encoder independent of the Swift one (Python, `proto/PROTOCOL.md` "Columnar block" example):
    /// row_count 3; "x" FLOAT32 PLAIN [1, NaN, −2.5] validity 0b101 (3 bytes of padding field 15 align the
    /// values); "c" CATEGORICAL codes [0, null, 1] dictionary ["de", "fr"]; "z" FLOAT32 BYTE_STREAM_SPLIT
    /// [1, −2, +inf]; timestamp_unix_ms 1 700 000 000 000.
    static let goldenHex = """
        0803121b0a017810017a03000000220c0000803f0000c07f000020c02a0105121b0a01631005220c00000000ffffffff0100000032026465
        320266721215 0a017a10011801220c0000000000008000803fc07f1880a0abfef962
        """

    func checkGolden(_ block: DecodedBlock) throws {
        #expect(block.rowCount == 3 && block.timestampUnixMs == 1_700_000_000_000)
        let x = block.columns[0], c = block.columns[1], z = block.columns[2]
        #expect(x.name == "x" && x.type == .float32 && x.encoding == .plain && x.isView)
        #expect(x.float32Bits == [0x3F80_0000, 0x7FC0_0000, 0xC020_0000])
        #expect(x.validity.map { (0..<3).map($0.isValid) } == [true, false, true])
        #expect(c.name == "c" && c.type == .categorical && c.codes == [0, .max, 1] && c.dictionary == ["de", "fr"])
        #expect(z.name == "z" && z.encoding == .byteStreamSplit && !z.isView)
        #expect(z.withFloat32Values { Array($0) } == [1, -2, .infinity])
    }

    @Test("golden block: the Swift encoder writes it byte for byte and the decoder reads it")
    func golden() throws {
        let golden = blockBytes(hex: Self.goldenHex)
        var enc = ColumnBlockEncoder(rowCount: 3, timestampUnixMs: 1_700_000_000_000)
        try enc.addFloat32("x", [1, .nan, -2.5], validity: [0b101])
        try enc.addCategorical("c", codes: [0, .max, 1], dictionary: ["de", "fr"])
        try enc.addFloat32("z", [1, -2, .infinity], encoding: .byteStreamSplit)
        #expect(enc.encode() == golden)
        try checkGolden(ColumnBlockDecoder().decode(golden))
    }

    @Test("golden block file proto/fixtures/column_block.bin")
    func goldenFile() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("proto/fixtures/column_block.bin")
        let data = [UInt8](try Data(contentsOf: url))
        #expect(data == blockBytes(hex: Self.goldenHex))
        try checkGolden(ColumnBlockDecoder().decode(data))
    }

    // MARK: - Compression

    @Test("compressed round trip; a bomb over the cap is refused")
    func compressed() throws {
        var enc = ColumnBlockEncoder(rowCount: 10_000, options: .init(floatEncoding: .byteStreamSplit))
        try enc.addFloat32("x", (0..<10_000).map { Float($0 % 100) * 0.5 })
        let plain = enc.encode()
        let packed = try enc.encodeCompressed(level: 3)
        #expect(packed.count < plain.count / 4)
        let block = try ColumnBlockDecoder().decodeCompressed(packed, maxDecoded: plain.count)
        #expect(block.columns[0].withFloat32Values { Array($0) } == (0..<10_000).map { Float($0 % 100) * 0.5 })

        #expect(throws: ColumnBlockError.self) { try ColumnBlockDecoder().decodeCompressed(packed, maxDecoded: plain.count - 1) }
        do {
            _ = try ColumnBlockDecoder().decodeCompressed(packed, maxDecoded: plain.count - 1)
        } catch {
            #expect(error.code == .resourceExhausted && error.reason == .decodedTooLarge)
        }
        // A bomb: 64 MiB of zeros in a few KiB.
        let bomb = try Zstd.compress([UInt8](repeating: 0, count: 64 << 20))
        do {
            _ = try ColumnBlockDecoder().decodeCompressed(bomb, maxDecoded: 1 << 20)
            Issue.record("bomb accepted")
        } catch {
            #expect(error.code == .resourceExhausted)
            #expect(error.wireError.code == .resourceExhausted && !error.wireError.isConnectionError)
        }
        do {
            _ = try ColumnBlockDecoder().decodeCompressed(Array(packed.prefix(packed.count / 2)), maxDecoded: 1 << 20)
            Issue.record("truncated zstd accepted")
        } catch {
            #expect(error.code == .invalidArgument && error.reason == .corruptCompression)
        }
    }
}
