import DriftKernels

/// Why a ``BaselineState`` blob was rejected.
public enum BaselineStateError: Error, Equatable, Sendable {
    /// Fewer bytes remain than the field at `offset` needs (including declared lengths larger than the blob).
    case truncated(offset: Int)
    /// The blob does not start with "DBS1".
    case badMagic
    /// A format version this build does not read.
    case unsupportedVersion(UInt16)
    /// A feature record with an unknown type tag.
    case unknownTag(UInt8, offset: Int)
    /// Well-formed bytes whose contents contradict each other (unsorted values, counts that do not add up, …).
    case invalid(String)
}

/// Everything a baseline keeps, per feature in feature order: the opaque `state` blob `DriftStore` persists.
///
/// ## Binary layout (format version 1)
///
/// All integers little-endian; floats are stored as their raw IEEE-754 bits (bit-exact: ±inf, −0, subnormals and
/// NaN payloads survive; profile fields and edges are float64, sorted values float64 or float32 by tag); `u64`
/// counts must be ≤ `Int.max`. Every array is preceded by its length.
///
/// ```
///  0      4        6        8             12
///  +------+--------+--------+-------------+---------------- … ----------------+
///  |"DBS1"| ver u16| rsv u16| nfeat u32   | nfeat × feature record           |  (no trailing bytes)
///  +------+--------+--------+-------------+---------------- … ----------------+
///           = 1      = 0
///
///  feature record:
///  +----------+------------------+--------+--------------+-------------------+
///  | len u32  | name (UTF-8, len)| tag u8 | bodyLen u64  | body (bodyLen)    |
///  +----------+------------------+--------+--------------+-------------------+
///    tag 1 = numeric (float64 values), tag 3 = numeric (float32 values), tag 2 = categorical; names are unique
///
///  numeric body (tags 1 and 3; the two differ only in the width of the sorted values):
///  | flags u8 (bit 0 = sampled, others 0) | requestedBins i32 | totalCount u64 |
///  | profile: count u64 | nullCount u64 | nanCount u64 | +infCount u64 | −infCount u64 |
///  |          hasMin u8 | min f64 | hasMax u8 | max f64 | mean f64 | sumSqDev f64 |      (absent min/max: 0 bits)
///  | sorted:  nullCount u64 | −infCount u64 | +infCount u64 | n u64 | n × f64 (tag 3: f32) finite ascending |
///  | bins:    k u32 (0 = no bins, then nothing follows) | k × f64 edges |
///  |          c u32 (= k + 1) | c × u64 bin counts | binNullCount u64 |
///
///  categorical body (tag 2):
///  | d u32 | d × (len u32 | UTF-8 bytes) | c u32 (= d) | c × u64 counts | nullCount u64 |
/// ```
///
/// Decoding checks every length against the remaining bytes before allocating, and rejects: another magic or
/// version, unknown tags or flag bits, a body whose length disagrees with its contents, invalid UTF-8,
/// duplicate names, edges that `QuantileBins(edges:)` refuses, non-finite or descending sorted values, and counts
/// that do not add up (profile vs. total vs. sorted sample vs. bin counts; a sample must be smaller than the total).
public struct BaselineState: Sendable {
    public static let magic: [UInt8] = Array("DBS1".utf8)
    public static let formatVersion: UInt16 = 1

    public var features: [(name: String, baseline: FeatureBaseline)]

    public init(features: [(name: String, baseline: FeatureBaseline)]) { self.features = features }

    /// The baseline of the feature called `name`.
    public subscript(name: String) -> FeatureBaseline? { features.first { $0.name == name }?.baseline }

    public func encode() -> [UInt8] {
        var w = _Writer()
        w.bytes.append(contentsOf: Self.magic)
        w.u16(Self.formatVersion)
        w.u16(0)
        w.u32(UInt32(features.count))
        for (name, baseline) in features {
            w.string(name)
            var body = _Writer()
            switch baseline {
            case .numeric(let n):
                w.u8(n.sortedValues.isFloat32 ? 3 : 1)
                body.numeric(n)
            case .categorical(let c):
                w.u8(2)
                body.u32(UInt32(c.dictionary.count))
                for entry in c.dictionary { body.string(entry) }
                body.u32(UInt32(c.counts.counts.count))
                for x in c.counts.counts { body.u64(UInt64(x)) }
                body.u64(UInt64(c.counts.nullCount))
            }
            w.u64(UInt64(body.bytes.count))
            w.bytes.append(contentsOf: body.bytes)
        }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(BaselineStateError) -> BaselineState {
        var r = _Reader(bytes: bytes)
        guard bytes.count >= 4 else { throw .truncated(offset: 0) }
        guard Array(bytes[0..<4]) == magic else { throw .badMagic }
        r.offset = 4
        let version = try r.u16()
        guard version == formatVersion else { throw .unsupportedVersion(version) }
        guard try r.u16() == 0 else { throw .invalid("reserved header field is not 0") }
        let count = try r.u32()
        // each feature record is at least 4 + 1 + 8 bytes
        try r.need(Int(count), times: 13)
        var features: [(name: String, baseline: FeatureBaseline)] = []
        features.reserveCapacity(Int(count))
        var names = Set<String>()
        for _ in 0..<count {
            let name = try r.string()
            guard names.insert(name).inserted else { throw .invalid("duplicate feature \"\(name)\"") }
            let tagOffset = r.offset
            let tag = try r.u8()
            let bodyLength = try r.int64()
            try r.need(bodyLength, times: 1)
            let end = r.offset + bodyLength
            let baseline: FeatureBaseline
            switch tag {
            case 1: baseline = .numeric(try r.numeric(end: end, float32: false))
            case 3: baseline = .numeric(try r.numeric(end: end, float32: true))
            case 2: baseline = .categorical(try r.categorical(end: end))
            default: throw .unknownTag(tag, offset: tagOffset)
            }
            guard r.offset == end else { throw .invalid("feature \"\(name)\": body length \(bodyLength) disagrees with its contents") }
            features.append((name, baseline))
        }
        guard r.offset == bytes.count else { throw .invalid("\(bytes.count - r.offset) trailing bytes") }
        return BaselineState(features: features)
    }
}

extension BaselineState: Equatable {
    /// Same names in the same order with bit-exact equal baselines.
    public static func == (a: BaselineState, b: BaselineState) -> Bool {
        a.features.count == b.features.count
            && zip(a.features, b.features).allSatisfy { $0.name == $1.name && $0.baseline == $1.baseline }
    }
}

// MARK: - Writer

struct _Writer {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { for i in 0..<2 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        u32(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    mutating func numeric(_ n: NumericBaseline) {
        u8(n.sampled ? 1 : 0)
        u32(UInt32(bitPattern: Int32(clamping: n.requestedBins)))
        u64(UInt64(n.totalCount))
        let p = n.profile
        for c in [p.count, p.nullCount, p.nanCount, p.positiveInfinityCount, p.negativeInfinityCount] { u64(UInt64(c)) }
        u8(p.minimum == nil ? 0 : 1); f64(p.minimum ?? 0)
        u8(p.maximum == nil ? 0 : 1); f64(p.maximum ?? 0)
        f64(p.mean); f64(p.sumOfSquaredDeviations)
        let s = n.sortedValues
        u64(UInt64(s.nullCount)); u64(UInt64(s.negativeInfinityCount)); u64(UInt64(s.positiveInfinityCount))
        u64(UInt64(s.finiteCount))
        bytes.reserveCapacity(bytes.count + (s.isFloat32 ? 4 : 8) * s.finiteCount + 64)
        switch s {
        case .float64(let v):
            v.withFiniteValues { f in f.map { $0.bitPattern.littleEndian }.withUnsafeBytes { bytes.append(contentsOf: $0) } }
        case .float32(let v):
            v.withFiniteValues { f in f.map { $0.bitPattern.littleEndian }.withUnsafeBytes { bytes.append(contentsOf: $0) } }
        }
        guard let bins = n.bins, let counts = n.binCounts else { u32(0); return }
        u32(UInt32(bins.edges.count))
        for e in bins.edges { f64(e) }
        u32(UInt32(counts.counts.count))
        for c in counts.counts { u64(UInt64(c)) }
        u64(UInt64(counts.nullCount))
    }
}

// MARK: - Reader

struct _Reader {
    let bytes: [UInt8]
    var offset = 0

    var remaining: Int { bytes.count - offset }

    /// Throws unless `count × size` bytes remain (overflow-safe).
    func need(_ count: Int, times size: Int) throws(BaselineStateError) {
        guard count >= 0, count <= remaining / size else { throw .truncated(offset: offset) }
    }

    mutating func u8() throws(BaselineStateError) -> UInt8 {
        try need(1, times: 1)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) throws(BaselineStateError) -> T {
        let size = MemoryLayout<T>.size
        try need(size, times: 1)
        var v: T = 0
        for i in 0..<size { v |= T(bytes[offset + i]) << (8 * i) }
        offset += size
        return v
    }

    mutating func u16() throws(BaselineStateError) -> UInt16 { try uint(UInt16.self) }
    mutating func u32() throws(BaselineStateError) -> UInt32 { try uint(UInt32.self) }
    mutating func f64() throws(BaselineStateError) -> Double { Double(bitPattern: try uint(UInt64.self)) }

    /// A u64 count that must fit an `Int`.
    mutating func int64() throws(BaselineStateError) -> Int {
        let at = offset
        let v = try uint(UInt64.self)
        guard v <= UInt64(Int.max) else { throw .invalid("count \(v) at offset \(at) exceeds Int.max") }
        return Int(v)
    }

    mutating func string() throws(BaselineStateError) -> String {
        let length = Int(try u32())
        try need(length, times: 1)
        let slice = bytes[offset..<(offset + length)]
        guard let s = String(validating: slice, as: UTF8.self) else { throw .invalid("invalid UTF-8 at offset \(offset)") }
        offset += length
        return s
    }

    mutating func numeric(end: Int, float32: Bool) throws(BaselineStateError) -> NumericBaseline {
        let flags = try u8()
        guard flags & ~1 == 0 else { throw .invalid("unknown numeric flags \(flags)") }
        let sampled = flags & 1 != 0
        let requestedBins = Int(Int32(bitPattern: try u32()))
        let total = try int64()
        var p = ColumnProfile()
        p.count = try int64(); p.nullCount = try int64(); p.nanCount = try int64()
        p.positiveInfinityCount = try int64(); p.negativeInfinityCount = try int64()
        let hasMin = try u8(); let minimum = try f64()
        let hasMax = try u8(); let maximum = try f64()
        guard hasMin <= 1, hasMax <= 1 else { throw .invalid("bad min/max presence flag") }
        p.minimum = hasMin == 1 ? minimum : nil
        p.maximum = hasMax == 1 ? maximum : nil
        p.mean = try f64(); p.sumOfSquaredDeviations = try f64()
        let (nonNullInf, o1) = p.positiveInfinityCount.addingReportingOverflow(p.negativeInfinityCount)
        let (special, o2) = nonNullInf.addingReportingOverflow(p.nullCount)
        guard !o1, !o2, special <= p.count, p.nanCount <= p.nullCount else { throw .invalid("profile counts do not add up") }
        guard total == p.count - p.nullCount else { throw .invalid("total count \(total) disagrees with the profile") }

        let sortedNulls = try int64(), negInf = try int64(), posInf = try int64()
        let n = try int64()
        let sorted: SortedValues
        if float32 {
            let finite: [Float] = try values(n)
            sorted = .float32(SortedSample(sortedFinite: finite, negativeInfinityCount: negInf, positiveInfinityCount: posInf,
                                           nullCount: sortedNulls))
        } else {
            let finite: [Double] = try values(n)
            sorted = .float64(SortedSample(sortedFinite: finite, negativeInfinityCount: negInf, positiveInfinityCount: posInf,
                                           nullCount: sortedNulls))
        }
        let (a, o3) = negInf.addingReportingOverflow(posInf)
        let (kept, o4) = a.addingReportingOverflow(n)
        guard !o3, !o4, sortedNulls == p.nullCount else { throw .invalid("sorted sample counts do not add up") }
        if sampled {
            guard kept >= 1, kept < total, negInf <= p.negativeInfinityCount, posInf <= p.positiveInfinityCount else {
                throw .invalid("a sample must keep between 1 and total − 1 values")
            }
        } else {
            guard kept == total, negInf == p.negativeInfinityCount, posInf == p.positiveInfinityCount else {
                throw .invalid("sorted values disagree with the profile")
            }
        }

        let k = Int(try u32())
        var bins: QuantileBins? = nil
        var binCounts: BinCounts? = nil
        if k > 0 {
            try need(k, times: 8)
            var edges = [Double]()
            edges.reserveCapacity(k)
            for _ in 0..<k { edges.append(try f64()) }
            do { bins = try QuantileBins(edges: edges) } catch { throw .invalid("bins: \(error.message)") }
            let c = Int(try u32())
            guard c == k + 1 else { throw .invalid("\(c) bin counts for \(k) edges") }
            let (counts, sum) = try counts(c, of: "bin")
            let nulls = try int64()
            guard sum == total, nulls == p.nullCount else { throw .invalid("bin counts do not add up to the profile") }
            binCounts = BinCounts(counts: counts, nullCount: nulls)
        }
        guard offset <= end else { throw .invalid("numeric body overruns its length") }
        return NumericBaseline(sortedValues: sorted, requestedBins: requestedBins, bins: bins, binCounts: binCounts,
                               profile: p, sampled: sampled, totalCount: total)
    }

    /// `n` little-endian float64 values (length checked before allocating), then one linear pass: finite, ascending.
    /// `n` counts (int64 each) and their sum, refusing overflow.
    mutating func counts(_ n: Int, of what: String) throws(BaselineStateError) -> ([Int], Int) {
        try need(n, times: 8)
        var counts = [Int]()
        counts.reserveCapacity(n)
        var sum = 0
        for _ in 0..<n {
            let x = try int64()
            let (s, o) = sum.addingReportingOverflow(x)
            guard !o else { throw .invalid("\(what) counts overflow") }
            sum = s
            counts.append(x)
        }
        return (counts, sum)
    }

    mutating func values(_ n: Int) throws(BaselineStateError) -> [Double] {
        let words: [UInt64] = try rawWords(n)
        let out = words.map { Double(bitPattern: UInt64(littleEndian: $0)) }
        try checkAscending(out)
        return out
    }

    /// `n` little-endian float32 values, checked as ``values(_:)-([Double])``.
    mutating func values(_ n: Int) throws(BaselineStateError) -> [Float] {
        let words: [UInt32] = try rawWords(n)
        let out = words.map { Float(bitPattern: UInt32(littleEndian: $0)) }
        try checkAscending(out)
        return out
    }

    private mutating func rawWords<W: FixedWidthInteger>(_ n: Int) throws(BaselineStateError) -> [W] {
        let size = MemoryLayout<W>.size
        try need(n, times: size)
        let start = offset
        let words = [W](unsafeUninitializedCapacity: n) { buffer, initialized in
            bytes.withUnsafeBytes { src in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: src[start..<(start + size * n)]))
            }
            initialized = n
        }
        offset += size * n
        return words
    }

    private func checkAscending<T: BinaryFloatingPoint>(_ values: [T]) throws(BaselineStateError) {
        var previous = -T.infinity
        for x in values {
            guard x.isFinite, previous <= x else { throw .invalid("sorted values are not finite and ascending") }
            previous = x
        }
    }

    mutating func categorical(end: Int) throws(BaselineStateError) -> CategoricalBaseline {
        let d = Int(try u32())
        try need(d, times: 4)
        var dictionary = [String]()
        dictionary.reserveCapacity(d)
        for _ in 0..<d { dictionary.append(try string()) }
        let c = Int(try u32())
        guard c == d else { throw .invalid("\(c) category counts for \(d) categories") }
        let (counts, sum) = try counts(c, of: "category")
        let nulls = try int64()
        guard !sum.addingReportingOverflow(nulls).overflow else { throw .invalid("category counts overflow") }
        guard offset <= end else { throw .invalid("categorical body overruns its length") }
        return CategoricalBaseline(dictionary: dictionary, counts: CategoryCounts(counts: counts, nullCount: nulls))
    }
}
