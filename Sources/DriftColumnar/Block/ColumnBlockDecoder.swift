/// Decodes a `ColumnBlock` (`proto/driftd.proto`, `proto/PROTOCOL.md` "Columnar block").
///
/// Hostile input never traps: every malformed, inconsistent or over-limit input throws `ColumnBlockError`
/// (INVALID_ARGUMENT or RESOURCE_EXHAUSTED, naming the column). Limits are checked before anything is allocated
/// for the value they bound. Unknown fields are skipped; for a repeated scalar field the last value wins.
///
///     let block = try ColumnBlockDecoder().decodeCompressed(body, maxDecoded: 256 << 20)
///     block.columns[0].withFloat32Values { xs in … }
public struct ColumnBlockDecoder: Sendable {
    public var limits: BlockLimits

    public init(limits: BlockLimits = .default) { self.limits = limits }

    /// zstd-decompresses `bytes` refusing more than `maxDecoded` bytes of output (RESOURCE_EXHAUSTED; a frame that
    /// declares a larger size is refused before allocating), then decodes. Corrupt zstd is INVALID_ARGUMENT.
    public func decodeCompressed(_ bytes: [UInt8], maxDecoded: Int) throws(ColumnBlockError) -> DecodedBlock {
        let raw: [UInt8]
        do {
            raw = try Zstd.decompress(bytes, maxOutput: maxDecoded)
        } catch {
            switch error.code {
            case .outputLimitExceeded: throw .exhausted(.decodedTooLarge, error.message)
            case .library: throw .invalid(.corruptCompression, error.message)
            }
        }
        return try decode(raw)
    }

    /// Decodes an uncompressed block. The result keeps `bytes` (no copy) and PLAIN columns view into it.
    public func decode(_ bytes: [UInt8]) throws(ColumnBlockError) -> DecodedBlock {
        var reader = SliceReader(bytes, range: 0..<bytes.count)
        var rowCount: UInt64 = 0
        var timestamp: Int64 = 0
        var columnRanges: [Range<Int>] = []
        while let (field, wireType) = try reader.readKey() {
            switch field {
            case BlockField.rowCount:
                try SliceReader.expect(wireType, 0, field: "ColumnBlock.row_count")
                rowCount = try reader.readVarint()
            case BlockField.columns:
                try SliceReader.expect(wireType, 2, field: "ColumnBlock.columns")
                guard columnRanges.count < limits.maxColumns else {
                    throw .exhausted(.tooManyColumns, "more than \(limits.maxColumns) columns")
                }
                columnRanges.append(try reader.readLengthDelimited())
            case BlockField.timestamp:
                try SliceReader.expect(wireType, 0, field: "ColumnBlock.timestamp_unix_ms")
                let z = try reader.readVarint()
                timestamp = Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1)
            default:
                try reader.skipField(wireType)
            }
        }
        guard rowCount <= UInt64(limits.maxRows) else {
            throw .exhausted(.tooManyRows, "row_count \(rowCount) exceeds the limit of \(limits.maxRows)")
        }
        let rows = Int(rowCount)
        var names = Set<String>(minimumCapacity: columnRanges.count)
        var columns: [DecodedColumn] = []
        columns.reserveCapacity(columnRanges.count)
        for (index, range) in columnRanges.enumerated() {
            let column = try decodeColumn(bytes, range, rows: rows, index: index)
            guard names.insert(column.name).inserted else {
                throw .invalid(.duplicateName, "name appears more than once", column: column.name)
            }
            columns.append(column)
        }
        return DecodedBlock(rowCount: rows, timestampUnixMs: timestamp == 0 ? nil : timestamp,
                            columns: columns, buffer: bytes)
    }

    private func decodeColumn(_ bytes: [UInt8], _ range: Range<Int>, rows: Int, index: Int)
        throws(ColumnBlockError) -> DecodedColumn
    {
        var r = SliceReader(bytes, range: range)
        var nameRange: Range<Int>?
        var rawType: UInt64 = 0
        var rawEncoding: UInt64 = 0
        var values: Range<Int> = range.lowerBound..<range.lowerBound
        var validity: Range<Int>?
        var dictionaryRanges: [Range<Int>] = []
        while let (field, wireType) = try r.readKey() {
            switch field {
            case ColumnField.name:
                try SliceReader.expect(wireType, 2, field: "Column.name")
                nameRange = try r.readLengthDelimited()
            case ColumnField.type:
                try SliceReader.expect(wireType, 0, field: "Column.type")
                rawType = try r.readVarint()
            case ColumnField.encoding:
                try SliceReader.expect(wireType, 0, field: "Column.encoding")
                rawEncoding = try r.readVarint()
            case ColumnField.values:
                try SliceReader.expect(wireType, 2, field: "Column.values")
                values = try r.readLengthDelimited()
            case ColumnField.validity:
                try SliceReader.expect(wireType, 2, field: "Column.validity")
                validity = try r.readLengthDelimited()
            case ColumnField.dictionary:
                try SliceReader.expect(wireType, 2, field: "Column.dictionary")
                guard dictionaryRanges.count < limits.maxDictionaryEntries else {
                    let name = nameRange.flatMap { String(validating: bytes[$0], as: UTF8.self) } ?? "#\(index)"
                    throw .exhausted(.dictionaryTooLarge,
                                     "dictionary has more than \(limits.maxDictionaryEntries) entries", column: name)
                }
                dictionaryRanges.append(try r.readLengthDelimited())
            default:
                try r.skipField(wireType)
            }
        }

        // Name first, so every later message can carry it.
        guard let nameRange, !nameRange.isEmpty else {
            throw .invalid(.invalidName, "column #\(index) has an empty or missing name")
        }
        guard nameRange.count <= limits.maxNameBytes else {
            throw .exhausted(.nameTooLong, "column #\(index): name has \(nameRange.count) bytes, limit is \(limits.maxNameBytes)")
        }
        guard let name = String(validating: bytes[nameRange], as: UTF8.self) else {
            throw .invalid(.invalidUTF8, "column #\(index): name is not valid UTF-8")
        }
        try ColumnBlockValidation.checkName(name, limits: limits, index: index)

        guard rawType <= 255, let type = ColumnType(rawValue: UInt8(rawType)) else {
            throw .invalid(.unknownType, "unknown type \(rawType)", column: name)
        }
        guard rawEncoding <= 255, let encoding = ValueEncoding(rawValue: UInt8(rawEncoding)) else {
            throw .invalid(.unknownEncoding, "unknown encoding \(rawEncoding)", column: name)
        }
        if encoding == .byteStreamSplit && type != .float32 && type != .float64 {
            throw .invalid(.encodingNotAllowed, "BYTE_STREAM_SPLIT is for FLOAT32/FLOAT64 only, not \(type.name)", column: name)
        }
        if type != .categorical && !dictionaryRanges.isEmpty {
            throw .invalid(.unexpectedDictionary, "\(type.name) column carries a dictionary", column: name)
        }
        let width = type.width
        guard values.count == rows * width else {   // rows ≤ maxRows, so no overflow
            throw .invalid(.lengthMismatch, "values has \(values.count) bytes, row_count \(rows) × \(width) = \(rows * width)",
                           column: name)
        }
        var columnValidity: ColumnValidity?
        if let validity {
            guard validity.count == (rows + 7) / 8 else {
                throw .invalid(.lengthMismatch, "validity has \(validity.count) bytes, \(rows) rows need \((rows + 7) / 8)",
                               column: name)
            }
            columnValidity = ColumnValidity(bytes: bytes[validity], count: rows)
        }
        var dictionary: [String] = []
        if !dictionaryRanges.isEmpty {
            dictionary.reserveCapacity(dictionaryRanges.count)
            for d in dictionaryRanges {
                guard let s = String(validating: bytes[d], as: UTF8.self) else {
                    throw .invalid(.invalidUTF8, "dictionary entry \(dictionary.count) is not valid UTF-8", column: name)
                }
                dictionary.append(s)
            }
        }

        // Values: a view when PLAIN and aligned, else aligned storage.
        let storage: DecodedColumn.Storage
        let aligned = bytes.withUnsafeBytes { raw in
            (Int(bitPattern: raw.baseAddress) &+ values.lowerBound) % width == 0
        }
        if values.isEmpty || (encoding == .plain && aligned) {
            storage = .view(bytes, byteOffset: values.lowerBound)
        } else {
            let buf = AlignedBuffer(byteCount: values.count)
            bytes.withUnsafeBytes { raw in
                guard let base = raw.baseAddress, !values.isEmpty else { return }
                let src = base + values.lowerBound
                switch (encoding, width) {
                case (.byteStreamSplit, 4):
                    ByteStreamSplit.unsplit4(src, count: rows, into: buf.pointer.bindMemory(to: UInt32.self, capacity: rows))
                case (.byteStreamSplit, _):
                    ByteStreamSplit.unsplit8(src, count: rows, into: buf.pointer.bindMemory(to: UInt64.self, capacity: rows))
                default:
                    buf.pointer.copyMemory(from: src, byteCount: values.count)
                }
            }
            storage = .owned(buf)
        }
        let column = DecodedColumn(name: name, type: type, encoding: encoding, rowCount: rows,
                                   validity: columnValidity, dictionary: dictionary, storage: storage)
        switch type {
        case .bool:
            let ok = column.withBoolValues { v in ColumnBlockValidation.allBoolean(v) } ?? true
            guard ok else { throw .invalid(.invalidBool, "BOOL value other than 0 or 1", column: name) }
        case .categorical:
            if let bad = column.withCategoricalCodes({ c in ColumnBlockValidation.firstBadCode(c, dictionaryCount: dictionary.count) }) ?? nil {
                throw .invalid(.codeOutOfRange, "row \(bad.row): code \(bad.code) is not below the dictionary size \(dictionary.count) (nor UInt32.max = null)",
                               column: name)
            }
        default:
            break
        }
        return column
    }
}

enum ColumnBlockValidation {
    /// Names: 1 ... maxNameBytes bytes of UTF-8 without control characters (U+0000–U+001F, U+007F–U+009F).
    static func checkName(_ name: String, limits: BlockLimits, index: Int) throws(ColumnBlockError) {
        let n = name.utf8.count
        guard n > 0 else { throw .invalid(.invalidName, "column #\(index) has an empty or missing name") }
        guard n <= limits.maxNameBytes else {
            throw .exhausted(.nameTooLong, "column #\(index): name has \(n) bytes, limit is \(limits.maxNameBytes)")
        }
        for u in name.unicodeScalars where u.value < 0x20 || (0x7F...0x9F).contains(u.value) {
            throw .invalid(.invalidName, "name contains control character U+\(String(u.value, radix: 16, uppercase: true))",
                           column: name)
        }
    }

    /// True when every byte is 0 or 1 (branch-free OR reduction; vectorizes).
    static func allBoolean(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        var acc: UInt8 = 0
        for b in v { acc |= b }
        return acc <= 1
    }

    /// The first code that is neither `< dictionaryCount` nor `UInt32.max`. A branch-free pass finds whether there
    /// is one (vectorizes); only then is it located.
    static func firstBadCode(_ codes: UnsafeBufferPointer<UInt32>, dictionaryCount: Int) -> (row: Int, code: UInt32)? {
        let n = UInt32(clamping: dictionaryCount)
        var bad: UInt32 = 0
        for c in codes { bad |= (c >= n && c != .max) ? 1 : 0 }
        guard bad != 0 else { return nil }
        for (row, c) in codes.enumerated() where c >= n && c != .max { return (row, c) }
        return nil
    }
}
