import DriftKernels

/// The mergeable state of one source window: what the server folds each block's rows into, persists between
/// blocks, and compares with a baseline when the window closes.
///
/// Per numeric feature (``WindowNumericSummary``): counts (rows, nulls, NaN, ±inf), min and max, and exact sums
/// (``ExactSum``) of x and x² over the finite values, so the profile is a function of the rows alone; the kept
/// values — all non-null values while there are at most ``valueCap``, beyond that a bottom-k sample of exactly
/// ``valueCap`` by a priority hashed from (block key, row) (``WindowKeptValues``): uniform without replacement and
/// the same whatever the order the rows arrive in; and the bin counts on one baseline's frozen quantile bins,
/// tagged with that baseline's id (``WindowBinCounts``). Per categorical feature: counts by category name and
/// nulls. Per declared pair of numeric features: exact sums of x, y, x², y², xy over the rows where both are
/// non-null and finite.
///
/// Order independence: every part merges by an associative, commutative operation on exact quantities (integer
/// counts, exact sums, min/max with −0 < +0, the union of bottom-k samples, the bin-count tag lattice), so
/// folding the same blocks in any order, or splitting them over partial states merged in any order or tree,
/// gives the same state: equal `encode()` bytes and equal `reports`. (Folding the same block twice counts it
/// twice: idempotency is the caller's.)
///
/// What is exact: counts, null rates, min/max, category counts; mean and Σ(x − mean)² are one rounding (plus
/// a correction step for the mean) away from the exact values, computed from exact sums — bit-identical across
/// orders, but not bit-identical to ``ColumnProfile``'s own arrival-order computation (they agree to ~1e-15
/// relative); squares beyond the float64 range (|x| > 1.3e154) make the variance +inf. KS and Wasserstein are
/// exact while the window kept every value and run on the seeded sample otherwise (noted in the report); PSI/JS
/// use all rows when the bin counts are tagged with the baseline compared against, and are recomputed from the
/// kept values otherwise (noted when those are a sample).
///
/// Equality (`==`) compares the canonical encodings.
public struct WindowState: Sendable {
    /// One feature of the window.
    public struct Feature: Sendable, Equatable {
        /// The feature's name (matched against the baseline's features by name).
        public var name: String
        /// How its columns arrive (float32, float64 or categorical), as in ``BaselineBuilder``.
        public var kind: BaselineBuilder.Kind
        /// A feature called `name` whose columns are of `kind`.
        public init(name: String, kind: BaselineBuilder.Kind) {
            self.name = name
            self.kind = kind
        }
    }

    /// Exact values kept per numeric feature by default (100 000: 1.6 MB of state per feature at the cap).
    public static let defaultValueCap = 100_000

    /// The window's features, in column order.
    public let features: [Feature]
    /// Non-null values kept per numeric feature before sampling (≥ 1).
    public let valueCap: Int
    /// The declared pairs whose co-moments the window keeps; a pair naming a feature the window lacks or a
    /// categorical feature is kept in the list but never accumulates (and yields no observation).
    public let correlationPairs: [FeaturePair]
    /// Rows folded in.
    public internal(set) var rows: UInt64 = 0

    /// Per feature, parallel to `features`.
    var summaries: [WindowFeatureSummary]
    /// Per declared pair, parallel to `correlationPairs`.
    var pairMoments: [WindowPairMoments]
    /// Feature indices of each pair's two features; nil when the pair cannot accumulate.
    let pairIndices: [(Int, Int)?]

    /// - Parameters:
    ///   - valueCap: exact values kept per numeric feature (≥ 1; default ``defaultValueCap``).
    ///   - correlationPairs: declared pairs whose co-moments the window keeps.
    public init(features: [Feature], valueCap: Int = WindowState.defaultValueCap, correlationPairs: [FeaturePair] = []) {
        precondition(valueCap >= 1, "valueCap must be at least 1")
        self.features = features
        self.valueCap = valueCap
        self.correlationPairs = correlationPairs
        summaries = features.map { f in
            f.kind == .categorical ? .categorical(WindowCategorySummary()) : .numeric(WindowNumericSummary(cap: valueCap))
        }
        pairMoments = correlationPairs.map { _ in WindowPairMoments() }
        pairIndices = correlationPairs.map { pair in
            guard let i = features.firstIndex(where: { $0.name == pair.first }),
                  let j = features.firstIndex(where: { $0.name == pair.second }),
                  i != j, features[i].kind != .categorical, features[j].kind != .categorical else { return nil }
            return (i, j)
        }
    }

    /// The kept values of a numeric feature are a sample (more non-null values than ``valueCap``); false for
    /// categorical features.
    public func isSampled(feature index: Int) -> Bool {
        if case .numeric(let n) = summaries[index] { return n.kept.sampled }
        return false
    }

    /// Folds rows `rows` (ascending indices into the block) of one block. `columns` is parallel to `features`,
    /// in ``BaselineBuilder/Column`` form (nulls: NaN or a cleared validity bit for numeric columns,
    /// `CategoryCounts.nullCode` or a cleared validity bit for categorical ones, each block with its own
    /// dictionary). `blockKey` identifies the block's content (a hash of the idempotency key or of the block
    /// bytes): the sampling priority of a row is a hash of (blockKey, row index), so which values are kept beyond
    /// the cap does not depend on arrival order. `frozenBins`: the baseline (id, state) on whose frozen quantile
    /// bins the window's bin counts are taken; nil = none (the counts are then dropped and recomputed at report
    /// time). The block is checked whole first: a refused block changes nothing.
    /// - Throws: `columnCount`, `kindMismatch`, `rowCountMismatch`, `invalidRows`, `codeOutOfRange`.
    /// - Complexity: O(rows · (1 + pairs)) plus O(log cap) amortised per value once sampling.
    public mutating func fold(columns: [BaselineBuilder.Column], rows: [Int], blockKey: UInt64,
                              frozenBins: (id: UInt64, state: BaselineState)?) throws(WindowStateError) {
        guard columns.count == features.count else { throw .columnCount(expected: features.count, got: columns.count) }
        let blockRows = columns.first?.rows ?? 0
        for (f, column) in zip(features, columns) {
            guard column.kind == f.kind else {
                throw .kindMismatch(feature: f.name, expected: f.kind.rawValue, got: column.kind.rawValue)
            }
            guard column.rows == blockRows else { throw .rowCountMismatch(feature: f.name, expected: blockRows, got: column.rows) }
            if let v = column.validity, v.count != blockRows {
                throw .rowCountMismatch(feature: f.name, expected: blockRows, got: v.count)
            }
        }
        var previous = -1
        for r in rows {
            guard r > previous else { throw .invalidRows("row \(r) after \(previous): indices must be strictly ascending") }
            guard r < blockRows else { throw .invalidRows("row \(r) outside a block of \(blockRows) rows") }
            previous = r
        }
        for (f, column) in zip(features, columns) {
            if case .categorical(let codes, let dictionary, let validity) = column {
                for r in rows where validity?.isValid(r) ?? true {
                    let c = codes[r]
                    if c != CategoryCounts.nullCode && Int(c) >= dictionary.count {
                        throw .codeOutOfRange(feature: f.name, code: c, dictionarySize: dictionary.count)
                    }
                }
            }
        }
        guard !rows.isEmpty else { return }

        let wasEmpty = self.rows == 0
        let priorities = rows.map { WindowKeptValues.priority(blockKey: blockKey, row: $0) }
        var gathered = [[Double]?](repeating: nil, count: features.count)
        for i in features.indices {
            switch (summaries[i], columns[i]) {
            case (.numeric(var summary), .float64(let values, let validity)):
                summaries[i] = .categorical(WindowCategorySummary())  // keeps `summary` uniquely referenced
                let g = rows.map { validity?.isValid($0) ?? true ? values[$0] : .nan }
                Self.fold(g, valid: validity.map { v in rows.map { v.isValid($0) } }, priorities: priorities, into: &summary, feature: features[i].name, wasEmpty: wasEmpty,
                          frozenBins: frozenBins)
                summaries[i] = .numeric(summary)
                gathered[i] = g
            case (.numeric(var summary), .float32(let values, let validity)):
                summaries[i] = .categorical(WindowCategorySummary())
                let g = rows.map { validity?.isValid($0) ?? true ? Double(values[$0]) : .nan }
                Self.fold(g, valid: validity.map { v in rows.map { v.isValid($0) } }, priorities: priorities, into: &summary, feature: features[i].name, wasEmpty: wasEmpty,
                          frozenBins: frozenBins)
                summaries[i] = .numeric(summary)
                gathered[i] = g
            case (.categorical(var summary), .categorical(let codes, let dictionary, let validity)):
                var blockCounts = [UInt64](repeating: 0, count: dictionary.count)
                for r in rows {
                    let c = codes[r]
                    if c == CategoryCounts.nullCode || !(validity?.isValid(r) ?? true) {
                        summary.nulls &+= 1
                    } else {
                        blockCounts[Int(c)] &+= 1
                    }
                }
                for (code, count) in blockCounts.enumerated() where count > 0 {
                    summary.add(dictionary[code], count)
                }
                summaries[i] = .categorical(summary)
            default:
                preconditionFailure("kinds were checked above")
            }
        }
        for (p, indices) in pairIndices.enumerated() {
            guard let (i, j) = indices, let x = gathered[i], let y = gathered[j] else { continue }
            for r in x.indices { pairMoments[p].fold(x[r], y[r]) }
        }
        self.rows &+= UInt64(rows.count)
    }

    /// Folds one numeric feature's gathered values (NaN = null; `valid[r] == false`: a cleared validity bit,
    /// gathered as NaN) and its bin counts.
    private static func fold(_ values: [Double], valid: [Bool]?, priorities: [UInt64], into summary: inout WindowNumericSummary,
                             feature: String, wasEmpty: Bool, frozenBins: (id: UInt64, state: BaselineState)?) {
        if let valid {
            for r in values.indices { summary.fold(values[r], valid: valid[r], priority: priorities[r]) }
        } else {
            for r in values.indices { summary.fold(values[r], valid: true, priority: priorities[r]) }
        }
        var target: (id: UInt64, bins: QuantileBins)? = nil
        if let frozenBins, case .numeric(let nb)? = frozenBins.state[feature], let bins = nb.bins {
            target = (frozenBins.id, bins)
        }
        guard let target else { summary.bins = .dropped; return }
        let counts = target.bins.histogram(values).counts.map { UInt64($0) }
        switch summary.bins {
        case .empty where wasEmpty:
            summary.bins = .tagged(baselineId: target.id, counts: counts)
        case .tagged(let id, let existing) where id == target.id && existing.count == counts.count:
            summary.bins = .tagged(baselineId: id, counts: zip(existing, counts).map { $0 &+ $1 })
        default:
            summary.bins = .dropped
        }
    }

    /// Merges another partial state of the same window (same features, cap and pairs).
    /// - Throws: `incompatible` otherwise (the state is unchanged).
    public mutating func merge(_ other: WindowState) throws(WindowStateError) {
        guard other.features == features else { throw .incompatible("the features differ") }
        guard other.valueCap == valueCap else { throw .incompatible("value caps \(valueCap) and \(other.valueCap)") }
        guard other.correlationPairs == correlationPairs else { throw .incompatible("the correlation pairs differ") }
        let selfEmpty = rows == 0, otherEmpty = other.rows == 0
        for i in summaries.indices {
            switch (summaries[i], other.summaries[i]) {
            case (.numeric(var a), .numeric(let b)):
                summaries[i] = .categorical(WindowCategorySummary())
                a.merge(b, selfEmpty: selfEmpty, otherEmpty: otherEmpty)
                summaries[i] = .numeric(a)
            case (.categorical(var a), .categorical(let b)):
                a.merge(b)
                summaries[i] = .categorical(a)
            default:
                preconditionFailure("equal features have equal kinds")
            }
        }
        for p in pairMoments.indices { pairMoments[p].merge(other.pairMoments[p]) }
        rows &+= other.rows
    }
}

extension WindowState: Equatable {
    /// Equal canonical encodings: the same rows folded, whatever the order.
    public static func == (a: WindowState, b: WindowState) -> Bool { a.encode() == b.encode() }
}
