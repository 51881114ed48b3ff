internal import DriftWire

/// Builds a `ColumnBlock` (`proto/driftd.proto`) from typed columns.
///
///     var enc = ColumnBlockEncoder(rowCount: 3, options: .init(floatEncoding: .byteStreamSplit))
///     try enc.addFloat32("latency", [1.5, .nan, 3])
///     try enc.addCategorical("country", codes: [0, 1, .max], dictionary: ["de", "fr"])
///     let body = try enc.encodeCompressed(level: 1)
///
/// The encoder checks what the decoder checks (names, sizes, codes) with the same errors, so a block it produces
/// always decodes. PLAIN values of width > 1 are placed at 8-byte-aligned offsets of the block (an ignored
/// `padding` field 15 before `values`), so a decoder reading from an aligned buffer views them without copying.
public struct ColumnBlockEncoder: Sendable {
    public struct Options: Sendable, Equatable {
        /// Encoding for FLOAT32/FLOAT64 columns added without an explicit one.
        public var floatEncoding: ValueEncoding
        /// Names and dictionary sizes are checked against these.
        public var limits: BlockLimits
        public init(floatEncoding: ValueEncoding = .plain, limits: BlockLimits = .default) {
            self.floatEncoding = floatEncoding
            self.limits = limits
        }
    }

    struct Pending: Sendable {
        var name: String
        var type: ColumnType
        var encoding: ValueEncoding
        var values: [UInt8]
        var validity: [UInt8]?
        var dictionary: [String]
    }

    public let rowCount: Int
    public var timestampUnixMs: Int64
    public var options: Options
    private(set) var pending: [Pending] = []
    private var names = Set<String>()

    public init(rowCount: Int, timestampUnixMs: Int64 = 0, options: Options = Options()) {
        precondition(rowCount >= 0, "rowCount must not be negative")
        self.rowCount = rowCount
        self.timestampUnixMs = timestampUnixMs
        self.options = options
    }

    public var columnCount: Int { pending.count }

    // MARK: - Adding columns

    /// `validity`: nil (all present) or `(rowCount + 7) / 8` bytes, LSB-first, 1 = present.
    public mutating func addFloat32(_ name: String, _ values: [Float], validity: [UInt8]? = nil,
                                    encoding: ValueEncoding? = nil) throws(ColumnBlockError) {
        try addFloats(name, values, as: UInt32.self, type: .float32, validity: validity, encoding: encoding) {
            ByteStreamSplit.split4($0, count: $1, into: $2)
        }
    }

    public mutating func addFloat64(_ name: String, _ values: [Double], validity: [UInt8]? = nil,
                                    encoding: ValueEncoding? = nil) throws(ColumnBlockError) {
        try addFloats(name, values, as: UInt64.self, type: .float64, validity: validity, encoding: encoding) {
            ByteStreamSplit.split8($0, count: $1, into: $2)
        }
    }

    /// A float column as PLAIN bytes or byte planes (`split` writes the planes of `count` values viewed as `W`).
    private mutating func addFloats<T, W: FixedWidthInteger>(
        _ name: String, _ values: [T], as _: W.Type, type: ColumnType, validity: [UInt8]?, encoding: ValueEncoding?,
        split: (UnsafePointer<W>, Int, UnsafeMutablePointer<UInt8>) -> Void
    ) throws(ColumnBlockError) {
        let enc = encoding ?? options.floatEncoding
        try checkCommon(name, values.count, validity)
        var bytes = [UInt8](repeating: 0, count: values.count * MemoryLayout<W>.size)
        if enc == .byteStreamSplit {
            values.withUnsafeBufferPointer { src in
                src.withMemoryRebound(to: W.self) { words in
                    bytes.withUnsafeMutableBufferPointer { dst in
                        guard let s = words.baseAddress, let d = dst.baseAddress else { return }
                        split(s, values.count, d)
                    }
                }
            }
        } else {
            bytes.withUnsafeMutableBytes { dst in values.withUnsafeBytes { dst.copyMemory(from: $0) } }
        }
        add(Pending(name: name, type: type, encoding: enc, values: bytes, validity: validity, dictionary: []))
    }

    public mutating func addInt64(_ name: String, _ values: [Int64], validity: [UInt8]? = nil) throws(ColumnBlockError) {
        try checkCommon(name, values.count, validity)
        add(Pending(name: name, type: .int64, encoding: .plain, values: values.withUnsafeBytes { Array($0) },
                    validity: validity, dictionary: []))
    }

    /// Milliseconds since the Unix epoch.
    public mutating func addTimestampMs(_ name: String, _ values: [Int64], validity: [UInt8]? = nil) throws(ColumnBlockError) {
        try checkCommon(name, values.count, validity)
        add(Pending(name: name, type: .timestampMs, encoding: .plain, values: values.withUnsafeBytes { Array($0) },
                    validity: validity, dictionary: []))
    }

    public mutating func addBool(_ name: String, _ values: [Bool], validity: [UInt8]? = nil) throws(ColumnBlockError) {
        try checkCommon(name, values.count, validity)
        add(Pending(name: name, type: .bool, encoding: .plain, values: values.map { $0 ? 1 : 0 },
                    validity: validity, dictionary: []))
    }

    /// Codes index `dictionary`; `UInt32.max` is null.
    public mutating func addCategorical(_ name: String, codes: [UInt32], dictionary: [String],
                                        validity: [UInt8]? = nil) throws(ColumnBlockError) {
        try checkCommon(name, codes.count, validity)
        guard dictionary.count <= options.limits.maxDictionaryEntries else {
            throw .exhausted(.dictionaryTooLarge, "dictionary has \(dictionary.count) entries, limit is \(options.limits.maxDictionaryEntries)",
                             column: name)
        }
        if let bad = codes.withUnsafeBufferPointer({ ColumnBlockValidation.firstBadCode($0, dictionaryCount: dictionary.count) }) {
            throw .invalid(.codeOutOfRange, "row \(bad.row): code \(bad.code) is not below the dictionary size \(dictionary.count) (nor UInt32.max = null)",
                           column: name)
        }
        add(Pending(name: name, type: .categorical, encoding: .plain, values: codes.withUnsafeBytes { Array($0) },
                    validity: validity, dictionary: dictionary))
    }

    private func checkCommon(_ name: String, _ count: Int, _ validity: [UInt8]?) throws(ColumnBlockError) {
        try ColumnBlockValidation.checkName(name, limits: options.limits, index: pending.count)
        guard !names.contains(name) else { throw .invalid(.duplicateName, "name appears more than once", column: name) }
        guard pending.count < options.limits.maxColumns else {
            throw .exhausted(.tooManyColumns, "more than \(options.limits.maxColumns) columns", column: name)
        }
        guard count == rowCount else {
            throw .invalid(.lengthMismatch, "\(count) values, the block has \(rowCount) rows", column: name)
        }
        if let validity, validity.count != (rowCount + 7) / 8 {
            throw .invalid(.lengthMismatch, "validity has \(validity.count) bytes, \(rowCount) rows need \((rowCount + 7) / 8)",
                           column: name)
        }
    }

    private mutating func add(_ p: Pending) {
        names.insert(p.name)
        pending.append(p)
    }

    // MARK: - Encoding

    /// The uncompressed block.
    public func encode() -> [UInt8] {
        var total = 16
        for p in pending { total += p.values.count + (p.validity?.count ?? 0) + p.name.utf8.count + 48 }
        var w = ProtoWriter(capacity: total)
        if rowCount > 0 { w.writeVarintField(BlockField.rowCount, UInt64(rowCount)) }
        for p in pending { Self.writeColumn(p, into: &w) }
        if timestampUnixMs != 0 { w.writeSInt64Field(BlockField.timestamp, timestampUnixMs) }
        return w.bytes
    }

    /// The block compressed as one zstd frame (level 1 is fast; 3 to 19 trade speed for size).
    public func encodeCompressed(level: Int32 = 1) throws(ZstdError) -> [UInt8] {
        try Zstd.compress(encode(), level: level)
    }

    private static func varintSize(_ v: Int) -> Int {
        var n = 1, x = UInt64(v)
        while x >= 0x80 { x >>= 7; n += 1 }
        return n
    }

    private static func writeHead(_ p: Pending, into w: inout ProtoWriter) {
        w.writeStringField(ColumnField.name, p.name)
        w.writeVarintField(ColumnField.type, UInt64(p.type.rawValue))
        if p.encoding != .plain { w.writeVarintField(ColumnField.encoding, UInt64(p.encoding.rawValue)) }
    }

    private static func writeTail(_ p: Pending, into w: inout ProtoWriter) {
        if let v = p.validity { w.writeBytesField(ColumnField.validity, v) }
        for d in p.dictionary { w.writeStringField(ColumnField.dictionary, d) }
    }

    /// Padding field sizes tried: none, or key + length + k zero bytes (2 ... 17 bytes) — every residue mod 8.
    private static func paddingFieldSize(_ k: Int) -> Int { k < 0 ? 0 : 2 + k }

    private static func writeColumn(_ p: Pending, into w: inout ProtoWriter) {
        var m = ProtoWriter()
        writeHead(p, into: &m)
        let headSize = m.bytes.count
        m = ProtoWriter()
        writeTail(p, into: &m)
        let tailSize = m.bytes.count
        let valuesFieldSize = 1 + varintSize(p.values.count) + p.values.count
        var pad = -1   // -1: no padding field
        if p.encoding == .plain && p.type.width > 1 && !p.values.isEmpty {
            for k in -1..<16 {
                let colLen = headSize + paddingFieldSize(k) + valuesFieldSize + tailSize
                let valuesOffset = w.bytes.count + 1 + varintSize(colLen) + headSize + paddingFieldSize(k)
                    + 1 + varintSize(p.values.count)
                if valuesOffset % 8 == 0 { pad = k; break }
            }
        }
        let colLen = headSize + paddingFieldSize(pad) + valuesFieldSize + tailSize
        w.writeKey(field: BlockField.columns, wireType: .lengthDelimited)
        w.writeVarint(UInt64(colLen))
        writeHead(p, into: &w)
        if pad >= 0 { w.writeBytesField(ColumnField.padding, repeatElement(UInt8(0), count: pad)) }
        w.writeBytesField(ColumnField.values, p.values)
        writeTail(p, into: &w)
    }
}
