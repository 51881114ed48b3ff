import DriftKernels

/// Why a ``BaselineState`` blob was rejected.
public enum BaselineStateError: Error, Equatable, Sendable {
    /// Fewer bytes remain than the field at `offset` needs (including declared lengths larger than the blob).
    case truncated(offset: Int)
    /// The blob starts with neither "DBS2" nor "DBS1".
    case badMagic
    /// A format version this build does not read.
    case unsupportedVersion(UInt16)
    /// A feature record with an unknown type tag.
    case unknownTag(UInt8, offset: Int)
    /// Well-formed bytes whose contents contradict each other (unsorted values, counts that do not add up, …).
    case invalid(String)
}

/// Everything a baseline keeps, per feature in feature order, plus the co-moments of its numeric feature pairs:
/// the opaque `state` blob `DriftStore` persists.
///
/// ## Binary layout (format version 2, magic "DBS2")
///
/// All integers little-endian; floats are stored as their raw IEEE-754 bits (bit-exact: ±inf, −0, subnormals and
/// NaN payloads survive; profile fields, edges and co-moments are float64, sorted values float64 or float32 by
/// tag); `u64` counts must be ≤ `Int.max`. Every array is preceded by its length.
///
/// ```
///  0      4        6        8             12
///  +------+--------+--------+-------------+---------------- … ----------------+----------------------+
///  |"DBS2"| ver u16| rsv u16| nfeat u32   | nfeat × feature record           | correlation section  |
///  +------+--------+--------+-------------+---------------- … ----------------+----------------------+
///           = 2      = 0                                                         (no trailing bytes)
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
///  | grid:    g u32 (≤ 1024) | count u64 | nullCount u64 | −infCount u64 | +infCount u64 |            (new in 2)
///  |          g × f64 edges | g × u64 count below edge | g × u64 count at or below edge |
///
///  categorical body (tag 2):
///  | d u32 | d × (len u32 | UTF-8 bytes) | c u32 (= d) | c × u64 counts | nullCount u64 |
///
///  correlation section (new in 2):
///  | p u32 (0 = none, else 2 … 32) | p × u32 feature index (ascending, numeric features) |
///  | p(p−1)/2 × (count u64 | mean₁ f64 | mean₂ f64 | Σd₁² f64 | Σd₂² f64 | Σd₁d₂ f64) |    pairs (i<j) row-major
/// ```
///
/// Format version 1 ("DBS1", version 1) is the same without the grid and the correlation section; it still
/// decodes (persisted baselines survive an upgrade): with no co-moments, and each numeric grid derived from the
/// stored sorted values (exact for an unsampled baseline, from the kept sample otherwise). ``encode()`` always
/// writes version 2.
///
/// Decoding checks every length against the remaining bytes before allocating, and rejects: another magic or
/// version, unknown tags or flag bits, a body whose length disagrees with its contents, invalid UTF-8,
/// duplicate names, edges that `QuantileBins(edges:)` or `KSGrid` refuse, non-finite or descending sorted values,
/// counts that do not add up (profile vs. total vs. sorted sample vs. bin counts vs. grid; a sample must be
/// smaller than the total; an unsampled baseline's grid must be the one its sorted values give), and correlation
/// sections naming other than 2 … 32 ascending numeric features.
public struct BaselineState: Sendable {
    public static let magic: [UInt8] = Array("DBS2".utf8)
    public static let formatVersion: UInt16 = 2
    /// The previous format, still decoded.
    public static let legacyMagic: [UInt8] = Array("DBS1".utf8)
    public static let legacyFormatVersion: UInt16 = 1
    /// Co-moments are kept for every pair when a baseline has at most this many numeric features
    /// (32 features: 496 pairs); more needs declared feature groups (a later format).
    public static let maxCorrelatedFeatures = 32

    public var features: [(name: String, baseline: FeatureBaseline)]
    /// Co-moments of the numeric feature pairs; nil when not kept (fewer than 2 or more than
    /// ``maxCorrelatedFeatures`` numeric features, or a state decoded from "DBS1").
    public var correlations: FeatureCorrelations?

    /// - Precondition: every feature `correlations` names is a numeric feature of `features`, in the same order.
    public init(features: [(name: String, baseline: FeatureBaseline)], correlations: FeatureCorrelations? = nil) {
        self.features = features
        self.correlations = correlations
        if correlations != nil { _ = correlationIndices() }
    }

    /// The baseline of the feature called `name`.
    public subscript(name: String) -> FeatureBaseline? { features.first { $0.name == name }?.baseline }

    /// Co-moments of numeric features `a` and `b` over the baseline rows where both are non-null and finite
    /// (`means[0]` is a's); nil when the baseline keeps none for the pair.
    public func correlation(of a: String, and b: String) -> CoMoments? {
        correlations?.coMoments(of: a, and: b)
    }

    /// Positions of the correlated features in `features`.
    func correlationIndices() -> [Int] {
        guard let correlations else { return [] }
        var indices: [Int] = []
        var from = 0
        for name in correlations.features {
            guard let i = features[from...].firstIndex(where: { $0.name == name }),
                  case .numeric = features[i].baseline
            else { preconditionFailure("correlated feature \(name) is not a numeric feature in feature order") }
            indices.append(i)
            from = i + 1
        }
        return indices
    }

    /// The "DBS2" bytes of this state.
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
        w.correlations(correlations, indices: correlationIndices())
        return w.bytes
    }

    /// Reads "DBS2" (and the previous "DBS1") bytes.
    public static func decode(_ bytes: [UInt8]) throws(BaselineStateError) -> BaselineState {
        var r = _Reader(bytes: bytes)
        guard bytes.count >= 4 else { throw .truncated(offset: 0) }
        let head = Array(bytes[0..<4])
        guard head == magic || head == legacyMagic else { throw .badMagic }
        r.offset = 4
        let version = try r.u16()
        guard version == (head == magic ? formatVersion : legacyFormatVersion) else { throw .unsupportedVersion(version) }
        r.version = Int(version)
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
        let correlations = version >= 2 ? try r.correlations(features) : nil
        guard r.offset == bytes.count else { throw .invalid("\(bytes.count - r.offset) trailing bytes") }
        return BaselineState(features: features, correlations: correlations)
    }
}

extension BaselineState: Equatable {
    /// Same names in the same order with bit-exact equal baselines and co-moments.
    public static func == (a: BaselineState, b: BaselineState) -> Bool {
        a.features.count == b.features.count
            && zip(a.features, b.features).allSatisfy { $0.name == $1.name && $0.baseline == $1.baseline }
            && a.correlations == b.correlations
    }
}
