import DriftTestSupport
import Testing
import DriftWire

@testable import DriftColumnar

@Suite("columnar block: hostile input")
struct ColumnBlockHostileTests {
    /// Decodes and returns the error (nil when it decoded).
    func failure(_ bytes: [UInt8], limits: BlockLimits = .default) -> ColumnBlockError? {
        do {
            _ = try ColumnBlockDecoder(limits: limits).decode(bytes)
            return nil
        } catch {
            return error
        }
    }

    func expectInvalid(_ bytes: [UInt8], _ reason: ColumnBlockError.Reason, mentions: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let e = failure(bytes)
        #expect(e?.code == .invalidArgument, "\(String(describing: e))", sourceLocation: sourceLocation)
        #expect(e?.reason == reason, "\(String(describing: e))", sourceLocation: sourceLocation)
        if let mentions { #expect(e?.message.contains(mentions) == true, "\(String(describing: e))", sourceLocation: sourceLocation) }
    }

    static let f4: [UInt8] = [0, 0, 128, 63, 0, 0, 0, 64]   // two float32

    @Test("truncated messages at every length")
    func truncated() throws {
        var enc = ColumnBlockEncoder(rowCount: 2, timestampUnixMs: 5)
        try enc.addFloat32("x", [1, 2])
        try enc.addCategorical("c", codes: [0, 0], dictionary: ["a"])
        let full = enc.encode()
        for n in 0..<full.count {
            // Some prefixes are valid blocks (field boundaries); the rest must throw, none may trap.
            if let e = failure(Array(full.prefix(n))) { #expect(e.code == .invalidArgument) }
        }
        expectInvalid(Array(full.prefix(full.count - 1)), .malformed)
        expectInvalid([0x80], .malformed)                                         // varint cut short
        expectInvalid([0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01], .malformed) // varint > 10 bytes
        expectInvalid([0x0B], .malformed)                                         // wire type 3
        expectInvalid([0x00, 0x00], .malformed)                                   // field 0
        expectInvalid([0x0A, 0x00], .malformed)                                   // row_count sent as bytes
        expectInvalid([0x12, 0x05, 0x0A], .malformed)                             // column length past the end
    }

    @Test("values and validity sizes must match row_count × width")
    func sizes() {
        expectInvalid(rawBlock(rows: 3, [RawColumn(values: Self.f4)]), .lengthMismatch, mentions: "column 'c'")
        expectInvalid(rawBlock(rows: 1, [RawColumn(values: Self.f4)]), .lengthMismatch)
        expectInvalid(rawBlock(rows: 2, [RawColumn(values: Array(Self.f4.prefix(7)))]), .lengthMismatch)
        expectInvalid(rawBlock(rows: 2, [RawColumn(type: 2, values: Self.f4)]), .lengthMismatch)  // width 8
        expectInvalid(rawBlock(rows: 2, [RawColumn()]), .lengthMismatch)                           // values missing
        // Validity: ceil(rows/8) bytes exactly.
        expectInvalid(rawBlock(rows: 2, [RawColumn(values: Self.f4, validity: [])]), .lengthMismatch, mentions: "validity")
        expectInvalid(rawBlock(rows: 2, [RawColumn(values: Self.f4, validity: [3, 0])]), .lengthMismatch, mentions: "validity")
        #expect(failure(rawBlock(rows: 2, [RawColumn(values: Self.f4, validity: [3])])) == nil)
        // Columns disagreeing on the row count: the second one is named.
        expectInvalid(rawBlock(rows: 2, [RawColumn(name: Array("a".utf8), values: Self.f4),
                                         RawColumn(name: Array("b".utf8), values: Array(Self.f4.prefix(4)))]),
                      .lengthMismatch, mentions: "column 'b'")
        // row_count over the limit is refused before any allocation.
        let e = failure(rawBlock(rows: 1 << 40, [RawColumn(values: Self.f4)]))
        #expect(e?.code == .resourceExhausted && e?.reason == .tooManyRows)
        let e2 = failure(rawBlock(rows: UInt64.max, []))
        #expect(e2?.reason == .tooManyRows)
    }

    @Test("names: empty, overlong, control characters, invalid UTF-8, duplicates")
    func names() {
        expectInvalid(rawBlock(rows: 2, [RawColumn(name: [], values: Self.f4)]), .invalidName)
        expectInvalid(rawBlock(rows: 2, [RawColumn(name: nil, values: Self.f4)]), .invalidName)
        let long = failure(rawBlock(rows: 2, [RawColumn(name: Array(repeating: 0x61, count: 257), values: Self.f4)]))
        #expect(long?.code == .resourceExhausted && long?.reason == .nameTooLong)
        #expect(failure(rawBlock(rows: 2, [RawColumn(name: Array(repeating: 0x61, count: 256), values: Self.f4)])) == nil)
        for bad in [[0x61, 0x0A], [0x00], [0x61, 0x7F], [0xC2, 0x85] /* U+0085 */, [0x09, 0x62]] as [[UInt8]] {
            expectInvalid(rawBlock(rows: 2, [RawColumn(name: bad, values: Self.f4)]), .invalidName)
        }
        for bad in [[0xFF], [0xC3], [0xED, 0xA0, 0x80] /* surrogate */, [0xC0, 0x80] /* overlong NUL */] as [[UInt8]] {
            expectInvalid(rawBlock(rows: 2, [RawColumn(name: bad, values: Self.f4)]), .invalidUTF8)
        }
        #expect(failure(rawBlock(rows: 2, [RawColumn(name: Array("température °C 温度".utf8), values: Self.f4)])) == nil)
        expectInvalid(rawBlock(rows: 2, [RawColumn(values: Self.f4), RawColumn(values: Self.f4)]), .duplicateName,
                      mentions: "column 'c'")
        // The encoder refuses the same names.
        var enc = ColumnBlockEncoder(rowCount: 1)
        #expect(throws: ColumnBlockError.self) { try enc.addBool("", [true]) }
        #expect(throws: ColumnBlockError.self) { try enc.addBool("a\nb", [true]) }
        #expect(throws: ColumnBlockError.self) { try enc.addBool(String(repeating: "é", count: 129), [true]) }
        #expect(throws: ColumnBlockError.self) { try enc.addBool("x", [true, false]) }
        #expect(throws: ColumnBlockError.self) { try enc.addBool("x", [true], validity: [1, 0]) }
        #expect(throws: Never.self) { try enc.addBool("x", [true]) }
        #expect(throws: ColumnBlockError.self) { try enc.addBool("x", [true]) }
    }

    @Test("type, encoding, dictionary and value checks")
    func typesAndValues() {
        expectInvalid(rawBlock(rows: 2, [RawColumn(type: 0, values: Self.f4)]), .unknownType)
        expectInvalid(rawBlock(rows: 2, [RawColumn(type: nil, values: Self.f4)]), .unknownType)
        expectInvalid(rawBlock(rows: 2, [RawColumn(type: 7, values: Self.f4)]), .unknownType)
        expectInvalid(rawBlock(rows: 2, [RawColumn(type: 257, values: Self.f4)]), .unknownType)
        expectInvalid(rawBlock(rows: 2, [RawColumn(encoding: 2, values: Self.f4)]), .unknownEncoding)
        expectInvalid(rawBlock(rows: 2, [RawColumn(encoding: 1 << 40, values: Self.f4)]), .unknownEncoding)
        for t: UInt64 in [3, 4, 5, 6] {
            let width = ColumnType(rawValue: UInt8(t))!.width
            expectInvalid(rawBlock(rows: 2, [RawColumn(type: t, encoding: 1, values: [UInt8](repeating: 0, count: 2 * width))]),
                          .encodingNotAllowed, mentions: "BYTE_STREAM_SPLIT")
        }
        #expect(failure(rawBlock(rows: 2, [RawColumn(type: 1, encoding: 1, values: Self.f4)])) == nil)
        // BOOL: 0 or 1 only.
        expectInvalid(rawBlock(rows: 2, [RawColumn(type: 4, values: [1, 2])]), .invalidBool)
        #expect(failure(rawBlock(rows: 2, [RawColumn(type: 4, values: [1, 0])])) == nil)
        // Dictionary codes: < count or UInt32.max.
        let codes: ([UInt32]) -> [UInt8] = { c in c.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } } }
        let dict = [Array("a".utf8), Array("b".utf8)]
        #expect(failure(rawBlock(rows: 3, [RawColumn(type: 5, values: codes([0, 1, .max]), dictionary: dict)])) == nil)
        expectInvalid(rawBlock(rows: 3, [RawColumn(type: 5, values: codes([0, 2, .max]), dictionary: dict)]),
                      .codeOutOfRange, mentions: "row 1: code 2")
        expectInvalid(rawBlock(rows: 1, [RawColumn(type: 5, values: codes([0]))]), .codeOutOfRange)   // empty dictionary
        expectInvalid(rawBlock(rows: 1, [RawColumn(type: 5, values: codes([.max - 1]), dictionary: dict)]), .codeOutOfRange)
        expectInvalid(rawBlock(rows: 1, [RawColumn(type: 5, values: codes([0]), dictionary: [[0xFF]])]), .invalidUTF8)
        expectInvalid(rawBlock(rows: 2, [RawColumn(type: 1, values: Self.f4, dictionary: dict)]), .unexpectedDictionary)
        // The encoder checks codes too.
        var enc = ColumnBlockEncoder(rowCount: 1)
        #expect(throws: ColumnBlockError.self) { try enc.addCategorical("c", codes: [1], dictionary: ["a"]) }
    }

    @Test("limits: columns and dictionary entries are refused before they are stored")
    func limits() throws {
        let small = BlockLimits(maxColumns: 3, maxRows: 10, maxNameBytes: 4, maxDictionaryEntries: 2)
        let cols = (0..<4).map { RawColumn(name: Array("c\($0)".utf8), type: 4, values: [1]) }
        #expect(failure(rawBlock(rows: 1, Array(cols.prefix(3))), limits: small) == nil)
        let e = failure(rawBlock(rows: 1, cols), limits: small)
        #expect(e?.code == .resourceExhausted && e?.reason == .tooManyColumns)
        #expect(failure(rawBlock(rows: 11, []), limits: small)?.reason == .tooManyRows)
        #expect(failure(rawBlock(rows: 1, [RawColumn(name: Array("abcde".utf8), type: 4, values: [1])]), limits: small)?.reason == .nameTooLong)
        let dict = failure(rawBlock(rows: 1, [RawColumn(type: 5, values: [0, 0, 0, 0], dictionary: [[0x61], [0x62], [0x63]])]),
                           limits: small)
        #expect(dict?.code == .resourceExhausted && dict?.reason == .dictionaryTooLarge)
        #expect(dict?.message.contains("column 'c'") == true)
        #expect(dict?.wireError.code == .resourceExhausted)
    }

    @Test("randomized mutations: decode succeeds or throws, never traps")
    func mutations() throws {
        var rng = SplitMix64(seed: 2026)
        var seeds: [[UInt8]] = []
        for floatEncoding in ValueEncoding.allCases {
            var enc = ColumnBlockEncoder(rowCount: 9, timestampUnixMs: 77, options: .init(floatEncoding: floatEncoding))
            try enc.addFloat32("f", (0..<9).map { Float($0) - 4 }, validity: [0xFF, 0x01])
            try enc.addFloat64("d", (0..<9).map { Double($0) * 1e300 })
            try enc.addInt64("i", (0..<9).map { Int64($0) << 40 })
            try enc.addBool("b", (0..<9).map { $0 % 2 == 0 })
            try enc.addCategorical("k", codes: (0..<9).map { $0 == 4 ? .max : UInt32($0 % 3) }, dictionary: ["x", "y", "z"])
            try enc.addTimestampMs("t", (0..<9).map { Int64($0) })
            seeds.append(enc.encode())
        }
        seeds.append(blockBytes(hex: ColumnBlockTests.goldenHex))
        var decoded = 0, refused = 0
        for _ in 0..<25_000 {
            var b = seeds[rng.below(seeds.count)]
            for _ in 0...rng.below(4) {
                switch rng.below(6) {
                case 0: b[rng.below(b.count)] = UInt8(truncatingIfNeeded: rng.next())           // overwrite a byte
                case 1: b[rng.below(b.count)] ^= 1 << UInt8(rng.below(8))                      // flip a bit
                case 2: b.removeSubrange(rng.below(b.count)...)                                  // truncate
                case 3: b.insert(UInt8(truncatingIfNeeded: rng.next()), at: rng.below(b.count + 1))
                case 4: if !b.isEmpty { b.remove(at: rng.below(b.count)) }
                default:                                                                         // small length/varint values
                    b[rng.below(b.count)] = [0x00, 0x01, 0x7F, 0x80, 0xFF][rng.below(5)]
                }
                if b.isEmpty { b = [0x08] }
            }
            do {
                let block = try ColumnBlockDecoder().decode(b)
                decoded += 1
                for c in block.columns {   // every accessor is safe on whatever decoded
                    _ = c.withUnsafeValueBytes { $0.count }
                    _ = c.validity?.nullCount
                }
            } catch {
                #expect(error.code == .invalidArgument || error.code == .resourceExhausted)
                refused += 1
            }
        }
        #expect(decoded > 100 && refused > 100)

        // The same through zstd: corrupt frames are INVALID_ARGUMENT, never a trap.
        let packed = try seeds.map { try Zstd.compress($0, level: 1) }
        for _ in 0..<2_000 {
            var b = packed[rng.below(packed.count)]
            b[rng.below(b.count)] ^= 1 << UInt8(rng.below(8))
            if rng.below(4) == 0 { b.removeSubrange(rng.below(b.count)...) }
            do {
                _ = try ColumnBlockDecoder().decodeCompressed(b, maxDecoded: 1 << 16)
            } catch {
                #expect(error.code == .invalidArgument || error.code == .resourceExhausted)
            }
        }
    }
}
