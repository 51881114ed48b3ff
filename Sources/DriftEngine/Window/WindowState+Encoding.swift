import DriftKernels

/// The persisted form of a ``WindowState``: format version 1, magic "DWS1".
///
/// All integers little-endian; floats as their raw IEEE-754 bits; every array preceded by its length. The
/// encoding is canonical — kept values sorted by (priority, bits) and cut to the cap, categories in ascending
/// UTF-8 byte order, exact sums in their canonical form — so equal states (the same rows, folded and merged in
/// any order) give equal bytes.
///
/// ```
///  0      4        6        8              16          24          28          32
///  +------+--------+--------+--------------+-----------+-----------+-----------+---- … ----+---- … ----+
///  |"DWS1"| ver u16| rsv u16| valueCap u64 | rows u64  | nfeat u32 | npair u32 | features  | pairs     |
///  +------+--------+--------+--------------+-----------+-----------+-----------+---- … ----+---- … ----+
///           = 1      = 0                                                         (no trailing bytes)
///
///  feature:  | len u32 | name (UTF-8, len) | kind u8 | bodyLen u64 | body (bodyLen) |
///            kind 1 = float64, 3 = float32, 2 = categorical (BaselineBuilder.Kind)
///
///  numeric body:
///  | nulls u64 | NaN u64 | +inf u64 | −inf u64 | hasMin u8 | min f64 | hasMax u8 | max f64 |   (absent: 0 bits)
///  | Σx  ExactSum | Σx² ExactSum |
///  | bins u8: 0 = no row yet, 1 = tagged, 2 = dropped | (1:) baselineId u64 | c u32 | c × u64 counts |
///  | k u64 (= min(rows − nulls, valueCap)) | k × (priority u64 | value bits f64) |       ascending (priority, bits)
///
///  categorical body:
///  | nulls u64 | d u32 | d × (len u32 | UTF-8 name | count u64) |      names strictly ascending (bytes), counts > 0
///
///  pair:     | len u32 | first | len u32 | second | count u64 | Σx | Σy | Σx² | Σy² | Σxy  (ExactSum each)
///
///  ExactSum: | +inf u64 | −inf u64 | NaN u64 | sign u8 | low u16 | n u16 | n × u32 magnitude limbs |
/// ```
///
/// Size: 16 bytes per kept value, plus ~100–400 bytes per numeric feature (the exact sums hold as many limbs
/// as the values' exponents span), the category names and counts, and ~5 exact sums per pair.
///
/// Decoding checks every length against the remaining bytes before allocating and rejects with a typed
/// ``WindowStateError`` (never a crash): another magic or version, unknown kinds or flags, invalid UTF-8, counts
/// that do not add up (nulls, infinities and kept values against rows; bin counts against non-null rows;
/// category counts against rows; pair counts), unsorted kept values or categories, NaN among kept values or
/// extremes, non-canonical exact sums, and trailing bytes.
extension WindowState {
    /// The first four bytes of every encoded window state.
    public static let magic: [UInt8] = Array("DWS1".utf8)
    /// The format version ``encode()`` writes and ``decode(_:)`` reads.
    public static let formatVersion: UInt16 = 1

    /// The canonical "DWS1" bytes of this state.
    public func encode() -> [UInt8] {
        var w = _Writer()
        w.bytes.append(contentsOf: Self.magic)
        w.u16(Self.formatVersion)
        w.u16(0)
        w.u64(UInt64(valueCap))
        w.u64(rows)
        w.u32(UInt32(features.count))
        w.u32(UInt32(correlationPairs.count))
        for (f, summary) in zip(features, summaries) {
            w.string(f.name)
            w.u8(Self.kindTag(f.kind))
            var body = _Writer()
            switch summary {
            case .numeric(let n):
                body.u64(n.nulls); body.u64(n.nans); body.u64(n.positiveInfinities); body.u64(n.negativeInfinities)
                body.u8(n.minimum == nil ? 0 : 1); body.f64(n.minimum ?? 0)
                body.u8(n.maximum == nil ? 0 : 1); body.f64(n.maximum ?? 0)
                n.sum.encode(into: &body)
                n.sumOfSquares.encode(into: &body)
                switch n.bins {
                case .empty: body.u8(0)
                case .tagged(let id, let counts):
                    body.u8(1); body.u64(id); body.u32(UInt32(counts.count))
                    for c in counts { body.u64(c) }
                case .dropped: body.u8(2)
                }
                let kept = n.kept.canonical()
                body.u64(UInt64(kept.count))
                body.bytes.reserveCapacity(body.bytes.count + 16 * kept.count)
                for e in kept { body.u64(e.priority); body.u64(e.bits) }
            case .categorical(let c):
                body.u64(c.nulls)
                let sorted = c.sorted
                body.u32(UInt32(sorted.count))
                for (name, count) in sorted {
                    body.string(name)
                    body.u64(count)
                }
            }
            w.u64(UInt64(body.bytes.count))
            w.bytes.append(contentsOf: body.bytes)
        }
        for (pair, m) in zip(correlationPairs, pairMoments) {
            w.string(pair.first)
            w.string(pair.second)
            w.u64(m.count)
            for s in [m.sx, m.sy, m.sxx, m.syy, m.sxy] { s.encode(into: &w) }
        }
        return w.bytes
    }

    static func kindTag(_ kind: BaselineBuilder.Kind) -> UInt8 {
        switch kind {
        case .float64: 1
        case .categorical: 2
        case .float32: 3
        }
    }

    /// Reads "DWS1" bytes.
    /// - Throws: a ``WindowStateError`` for truncated, corrupt or contradictory bytes.
    public static func decode(_ bytes: [UInt8]) throws(WindowStateError) -> WindowState {
        var r = _WindowReader(bytes: bytes)
        guard bytes.count >= 4 else { throw .truncated(offset: 0) }
        guard Array(bytes[0..<4]) == magic else { throw .badMagic }
        r.offset = 4
        let version = try r.u16()
        guard version == formatVersion else { throw .unsupportedVersion(version) }
        guard try r.u16() == 0 else { throw .invalid("reserved header field is not 0") }
        let cap = try r.u64()
        guard cap >= 1, cap <= UInt64(Int.max) else { throw .invalid("value cap \(cap) outside 1 … Int.max") }
        let rows = try r.u64()
        guard rows <= UInt64(Int.max) else { throw .invalid("row count \(rows) exceeds Int.max") }
        let featureCount = Int(try r.u32())
        let pairCount = Int(try r.u32())
        try r.need(featureCount, times: 13)  // each feature record is at least 4 + 1 + 8 bytes
        var features: [Feature] = []
        var summaries: [WindowFeatureSummary] = []
        for _ in 0..<featureCount {
            let name = try r.string()
            let tag = try r.u8()
            let kind: BaselineBuilder.Kind
            switch tag {
            case 1: kind = .float64
            case 2: kind = .categorical
            case 3: kind = .float32
            default: throw .invalid("feature \"\(name)\": unknown kind \(tag)")
            }
            let bodyLength = try r.u64()
            guard bodyLength <= UInt64(r.remaining) else { throw .truncated(offset: r.offset) }
            let end = r.offset + Int(bodyLength)
            if kind == .categorical {
                summaries.append(.categorical(try r.categorical(rows: rows, feature: name)))
            } else {
                summaries.append(.numeric(try r.numeric(rows: rows, cap: Int(cap), feature: name)))
            }
            guard r.offset == end else { throw .invalid("feature \"\(name)\": body length \(bodyLength) disagrees with its contents") }
            features.append(Feature(name: name, kind: kind))
        }
        try r.need(pairCount, times: 8 + 8 + 5 * 29)
        var pairs: [FeaturePair] = []
        var moments: [WindowPairMoments] = []
        for _ in 0..<pairCount {
            let first = try r.string(), second = try r.string()
            var m = WindowPairMoments()
            m.count = try r.u64()
            guard m.count <= rows else { throw .invalid("pair (\(first), \(second)): \(m.count) rows of \(rows)") }
            m.sx = try r.exactSum(); m.sy = try r.exactSum(); m.sxx = try r.exactSum(); m.syy = try r.exactSum()
            m.sxy = try r.exactSum()
            pairs.append(FeaturePair(first, second))
            moments.append(m)
        }
        guard r.offset == bytes.count else { throw .invalid("\(bytes.count - r.offset) trailing bytes") }
        var state = WindowState(features: features, valueCap: Int(cap), correlationPairs: pairs)
        for (p, m) in moments.enumerated() where state.pairIndices[p] == nil && m.count != 0 {
            throw .invalid("pair (\(pairs[p].first), \(pairs[p].second)) cannot accumulate but has \(m.count) rows")
        }
        state.rows = rows
        state.summaries = summaries
        state.pairMoments = moments
        return state
    }
}

/// Bounds-checked little-endian reads over a window-state blob.
private struct _WindowReader {
    let bytes: [UInt8]
    var offset = 0

    var remaining: Int { bytes.count - offset }

    func need(_ count: Int, times size: Int) throws(WindowStateError) {
        let (total, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, count >= 0, total <= remaining else { throw .truncated(offset: offset) }
    }

    mutating func u8() throws(WindowStateError) -> UInt8 {
        try need(1, times: 1)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint(_ size: Int) throws(WindowStateError) -> UInt64 {
        try need(size, times: 1)
        var v: UInt64 = 0
        for i in 0..<size { v |= UInt64(bytes[offset + i]) << (8 * i) }
        offset += size
        return v
    }

    mutating func u16() throws(WindowStateError) -> UInt16 { UInt16(try uint(2)) }
    mutating func u32() throws(WindowStateError) -> UInt32 { UInt32(try uint(4)) }
    mutating func u64() throws(WindowStateError) -> UInt64 { try uint(8) }

    mutating func rawBytes() throws(WindowStateError) -> [UInt8] {
        let n = Int(try u32())
        try need(n, times: 1)
        defer { offset += n }
        return Array(bytes[offset..<(offset + n)])
    }

    mutating func string() throws(WindowStateError) -> String {
        let at = offset
        let raw = try rawBytes()
        guard let s = String(validating: raw, as: UTF8.self) else { throw .invalid("invalid UTF-8 at offset \(at)") }
        return s
    }

    mutating func exactSum() throws(WindowStateError) -> ExactSum {
        let pos = try u64(), neg = try u64(), nan = try u64()
        let sign = try u8()
        let low = Int(try u16()), n = Int(try u16())
        guard sign <= 1 else { throw .invalid("exact sum: sign byte \(sign)") }
        try need(n, times: 4)
        var limbs: [UInt32] = []
        limbs.reserveCapacity(n)
        for _ in 0..<n { limbs.append(try u32()) }
        if n == 0 {
            guard sign == 0, low == 0 else { throw .invalid("exact sum: a zero sum must be stored as +0") }
        } else {
            guard low + n < ExactSum.limbCount, limbs.first != 0, limbs.last != 0 else {
                throw .invalid("exact sum: limbs \(low) ..< \(low + n) not canonical")
            }
        }
        return ExactSum(positiveInfinities: pos, negativeInfinities: neg, nans: nan, negative: sign == 1, low: low, limbs: limbs)
    }

    mutating func numeric(rows: UInt64, cap: Int, feature: String) throws(WindowStateError) -> WindowNumericSummary {
        var n = WindowNumericSummary(cap: cap)
        n.nulls = try u64(); n.nans = try u64(); n.positiveInfinities = try u64(); n.negativeInfinities = try u64()
        let (a, o1) = n.nulls.addingReportingOverflow(n.positiveInfinities)
        let (special, o2) = a.addingReportingOverflow(n.negativeInfinities)
        guard !o1, !o2, special <= rows, n.nans <= n.nulls else { throw .invalid("feature \"\(feature)\": counts exceed the rows") }
        let nonNull = rows - n.nulls
        let hasMin = try u8(), minBits = try u64(), hasMax = try u8(), maxBits = try u64()
        guard hasMin <= 1, hasMax <= 1 else { throw .invalid("feature \"\(feature)\": bad min/max presence flag") }
        guard (hasMin == 1) == (nonNull > 0), (hasMax == 1) == (nonNull > 0) else {
            throw .invalid("feature \"\(feature)\": min/max presence disagrees with the non-null count")
        }
        if nonNull > 0 {
            let lo = Double(bitPattern: minBits), hi = Double(bitPattern: maxBits)
            guard !lo.isNaN, !hi.isNaN, lo <= hi else { throw .invalid("feature \"\(feature)\": bad min/max") }
            n.minimum = lo
            n.maximum = hi
        } else {
            guard minBits == 0, maxBits == 0 else { throw .invalid("feature \"\(feature)\": absent min/max not 0") }
        }
        n.sum = try exactSum()
        n.sumOfSquares = try exactSum()
        let binsTag = try u8()
        switch binsTag {
        case 0:
            guard rows == 0 else { throw .invalid("feature \"\(feature)\": bin state empty after rows") }
            n.bins = .empty
        case 1:
            let id = try u64()
            let c = Int(try u32())
            try need(c, times: 8)
            guard c >= 2 else { throw .invalid("feature \"\(feature)\": \(c) bin counts") }
            var counts: [UInt64] = []
            counts.reserveCapacity(c)
            var sum: UInt64 = 0
            for _ in 0..<c {
                let x = try u64()
                let (s, o) = sum.addingReportingOverflow(x)
                guard !o else { throw .invalid("feature \"\(feature)\": bin counts overflow") }
                sum = s
                counts.append(x)
            }
            guard sum == nonNull, rows > 0 else { throw .invalid("feature \"\(feature)\": bin counts do not add up") }
            n.bins = .tagged(baselineId: id, counts: counts)
        case 2:
            guard rows > 0 else { throw .invalid("feature \"\(feature)\": bins dropped without rows") }
            n.bins = .dropped
        default:
            throw .invalid("feature \"\(feature)\": unknown bin state \(binsTag)")
        }
        let k = try u64()
        guard k == Swift.min(nonNull, UInt64(cap)) else {
            throw .invalid("feature \"\(feature)\": \(k) kept values for \(nonNull) non-null values and cap \(cap)")
        }
        try need(Int(k), times: 16)
        var entries: [WindowKeptValues.Entry] = []
        entries.reserveCapacity(Int(k))
        var posInf: UInt64 = 0, negInf: UInt64 = 0
        for _ in 0..<k {
            let e = WindowKeptValues.Entry(priority: try u64(), bits: try u64())
            let x = Double(bitPattern: e.bits)
            guard !x.isNaN, let lo = n.minimum, let hi = n.maximum, lo <= x, x <= hi else {
                throw .invalid("feature \"\(feature)\": a kept value is NaN or outside [min, max]")
            }
            if let last = entries.last, e < last { throw .invalid("feature \"\(feature)\": kept values not in canonical order") }
            if x == .infinity { posInf += 1 } else if x == -.infinity { negInf += 1 }
            entries.append(e)
        }
        guard posInf <= n.positiveInfinities, negInf <= n.negativeInfinities else {
            throw .invalid("feature \"\(feature)\": more infinite kept values than counted")
        }
        if nonNull <= UInt64(cap) && (posInf != n.positiveInfinities || negInf != n.negativeInfinities) {
            throw .invalid("feature \"\(feature)\": kept values disagree with the infinity counts")
        }
        n.kept.entries = entries
        n.kept.sortedCount = entries.count
        n.kept.seen = nonNull
        if nonNull > UInt64(cap) { n.kept.bound = entries.last }
        return n
    }

    mutating func categorical(rows: UInt64, feature: String) throws(WindowStateError) -> WindowCategorySummary {
        var c = WindowCategorySummary()
        c.nulls = try u64()
        let d = Int(try u32())
        try need(d, times: 12)
        var total = c.nulls
        var previous: String? = nil
        for _ in 0..<d {
            let name = try string()
            if let previous, !WindowCategorySummary.precedes(previous, name) {
                throw .invalid("feature \"\(feature)\": categories not strictly ascending")
            }
            let count = try u64()
            guard count > 0 else { throw .invalid("feature \"\(feature)\": a category with count 0") }
            let (t, o) = total.addingReportingOverflow(count)
            guard !o else { throw .invalid("feature \"\(feature)\": category counts overflow") }
            total = t
            c.add(name, count)  // canonically equivalent spellings (written before they were merged) become one
            previous = name
        }
        guard total == rows else { throw .invalid("feature \"\(feature)\": category counts and nulls do not add up to the rows") }
        return c
    }
}
