import DriftKernels

/// Builds a ``BaselineState`` from a baseline that arrives as several blocks of rows (PROTOCOL.md §13, "Uploading
/// a baseline"): each block carries one column per feature; ``finish()`` builds the state.
///
/// The result is identical — `==` and byte for byte in ``BaselineState/encode()`` — to building each feature
/// from the concatenation of its blocks in one column (``FeatureBaseline/numeric(values:validity:bins:cap:seed:)-(Double)``,
/// ``FeatureBaseline/categorical(codes:dictionary:validity:)``, the same seeded sample beyond the cap) plus the
/// co-moments of the numeric feature pairs (``PairwiseCoMoments``) over the concatenated rows, whatever the block
/// sizes: numeric blocks are staged and the state is built from the concatenation, categorical blocks are
/// counted as they arrive (counts add exactly).
///
/// - Numeric blocks are appended to one staged column per feature (NaN is null; a validity bitmap, when any
///   block has one, is concatenated too — a block without one counts as all valid). The first block's array is
///   kept as it is, so a one-block baseline is never copied by the builder: ``finish()`` sorts the caller's
///   array directly.
/// - Categorical blocks bring their own dictionary: each block's dictionary is re-mapped onto one running
///   dictionary (entries in order of first appearance across the blocks' dictionaries, duplicates merged), so the
///   result equals one column coded against that running dictionary. Codes outside the block's dictionary are
///   refused; `CategoryCounts.nullCode` or a cleared validity bit is null.
/// - Co-moments are kept for every pair of numeric features when there are 2 … ``BaselineState/maxCorrelatedFeatures``
///   of them, each pair over the rows where both values are non-null and finite.
///
/// Memory: ``stagedBytes`` is what the staged blocks hold (numeric values and bitmaps exactly; dictionaries
/// estimated), for the server's memory limit. ``finish()`` needs, on top, about one numeric column's worth at a
/// time (the sort's output and scratch) and releases each staged column once its feature is built.
public struct BaselineBuilder: Sendable {
    /// How a feature's columns arrive.
    public enum Kind: String, Sendable, Equatable {
        /// float32 values; the sorted baseline stays float32.
        case float32
        /// float64 values (int64, bool and timestamps arrive widened to float64).
        case float64
        /// Dictionary codes, each block with its own dictionary.
        case categorical
    }

    /// One feature of the baseline.
    public struct Feature: Sendable, Equatable {
        public var name: String
        public var kind: Kind
        /// Requested interior quantile bins (numeric; see ``FeatureBaseline``).
        public var bins: Int
        /// Seed of the sample kept beyond `cap` (numeric).
        public var seed: UInt64
        /// The largest number of sorted values kept (numeric, ≥ 1).
        public var cap: Int

        public init(name: String, kind: Kind, bins: Int = QuantileBins.defaultBinCount, seed: UInt64,
                    cap: Int = FeatureBaseline.defaultSampleCap) {
            self.name = name
            self.kind = kind
            self.bins = bins
            self.seed = seed
            self.cap = cap
        }
    }

    /// One block's column of one feature.
    public enum Column: Sendable {
        case float32([Float], validity: ValidityBitmap? = nil)
        case float64([Double], validity: ValidityBitmap? = nil)
        /// Codes into this block's `dictionary`.
        case categorical(codes: [UInt32], dictionary: [String], validity: ValidityBitmap? = nil)

        var kind: Kind {
            switch self {
            case .float32: .float32
            case .float64: .float64
            case .categorical: .categorical
            }
        }

        var rows: Int {
            switch self {
            case .float32(let v, _): v.count
            case .float64(let v, _): v.count
            case .categorical(let c, _, _): c.count
            }
        }

        var validity: ValidityBitmap? {
            switch self {
            case .float32(_, let v), .float64(_, let v), .categorical(_, _, let v): v
            }
        }
    }

    public let features: [Feature]
    /// Rows appended so far (every feature has this many).
    public private(set) var stagedRows = 0
    /// Blocks appended so far.
    public private(set) var blockCount = 0
    /// Bytes the staged blocks hold: numeric values and validity bitmaps exactly, categorical dictionaries
    /// estimated (UTF-8 bytes + 48 per entry) plus 8 per category count.
    public private(set) var stagedBytes = 0
    var stages: [_Stage]

    /// - Throws: `duplicateFeature` or `invalidCap`.
    public init(features: [Feature]) throws(BaselineBuilderError) {
        var names = Set<String>()
        for f in features {
            guard names.insert(f.name).inserted else { throw .duplicateFeature(f.name) }
            if f.kind != .categorical && f.cap < 1 { throw .invalidCap(feature: f.name, cap: f.cap) }
        }
        self.features = features
        stages = features.map { f in
            switch f.kind {
            case .float32: .float32(_NumericStage())
            case .float64: .float64(_NumericStage())
            case .categorical: .categorical(_CategoryStage())
            }
        }
    }

    /// Appends one block: one column per feature, in feature order, all of the same length. The block is checked
    /// whole before anything is staged, so a refused block changes nothing.
    /// - Throws: `columnCount`, `kindMismatch`, `rowCountMismatch` (a column or its bitmap), `codeOutOfRange`.
    public mutating func append(_ block: [Column]) throws(BaselineBuilderError) {
        guard block.count == features.count else { throw .columnCount(expected: features.count, got: block.count) }
        let rows = block.first?.rows ?? 0
        var blockCounts: [CategoryCounts?] = []
        blockCounts.reserveCapacity(block.count)
        for (f, column) in zip(features, block) {
            guard column.kind == f.kind else {
                throw .kindMismatch(feature: f.name, expected: f.kind.rawValue, got: column.kind.rawValue)
            }
            guard column.rows == rows else { throw .rowCountMismatch(feature: f.name, expected: rows, got: column.rows) }
            if let v = column.validity, v.count != rows {
                throw .rowCountMismatch(feature: f.name, expected: rows, got: v.count)
            }
            if case .categorical(let codes, let dictionary, let validity) = column {
                do {
                    blockCounts.append(try codes.withUnsafeBufferPointer { (c) throws(KernelError) in
                        try CategoryCounts(codes: c, dictionarySize: dictionary.count, validity: validity)
                    })
                } catch {
                    throw .codeOutOfRange(feature: f.name, message: error.message)
                }
            } else {
                blockCounts.append(nil)
            }
        }
        for i in block.indices {
            switch (stages[i], block[i]) {
            case (.float32(var s), .float32(let v, let validity)):
                stagedBytes -= s.bytes
                stages[i] = .float32(_NumericStage())  // keeps the staged array uniquely referenced while it grows
                s.append(v, validity, stagedRows: stagedRows)
                stagedBytes += s.bytes
                stages[i] = .float32(s)
            case (.float64(var s), .float64(let v, let validity)):
                stagedBytes -= s.bytes
                stages[i] = .float64(_NumericStage())
                s.append(v, validity, stagedRows: stagedRows)
                stagedBytes += s.bytes
                stages[i] = .float64(s)
            case (.categorical(var s), .categorical(_, let dictionary, _)):
                stagedBytes -= s.bytes
                stages[i] = .categorical(_CategoryStage())
                s.add(blockCounts[i]!, dictionary: dictionary)
                stagedBytes += s.bytes
                stages[i] = .categorical(s)
            default:
                preconditionFailure("kinds were checked above")
            }
        }
        stagedRows += rows
        blockCount += 1
    }

    /// Builds the state from everything appended (no block: every feature empty, as one-shot building from
    /// empty columns gives).
    public consuming func finish() -> BaselineState {
        var me = consume self
        let numeric = me.features.indices.filter { me.features[$0].kind != .categorical }
        var correlations: FeatureCorrelations? = nil
        if numeric.count >= 2 && numeric.count <= BaselineState.maxCorrelatedFeatures {
            let moments = _withColumns(numeric.map { me.stages[$0] }[...], []) { columns in
                try! PairwiseCoMoments(columns: columns)  // lengths agree: every block was checked
            }
            correlations = FeatureCorrelations(features: numeric.map { me.features[$0].name }, moments: moments)
        }
        var built: [(name: String, baseline: FeatureBaseline)] = []
        built.reserveCapacity(me.features.count)
        for (i, f) in me.features.enumerated() {
            let stage = me.stages[i]
            me.stages[i] = .categorical(_CategoryStage())  // release the builder's reference to the staged column
            switch stage {
            case .float32(let s):
                built.append((f.name, .numeric(values: s.values, validity: s.validity?.bitmap, bins: f.bins, cap: f.cap,
                                               seed: f.seed)))
            case .float64(let s):
                built.append((f.name, .numeric(values: s.values, validity: s.validity?.bitmap, bins: f.bins, cap: f.cap,
                                               seed: f.seed)))
            case .categorical(let s):
                built.append((f.name, .categorical(CategoricalBaseline(
                    dictionary: s.dictionary, counts: CategoryCounts(counts: s.counts, nullCount: s.nulls)))))
            }
        }
        return BaselineState(features: built, correlations: correlations)
    }
}

/// Calls `body` with every staged numeric column as a kernel column (pointers valid during the call only).
private func _withColumns<R>(_ stages: ArraySlice<_Stage>, _ columns: [PairwiseCoMoments.Column],
                             _ body: ([PairwiseCoMoments.Column]) -> R) -> R {
    guard let first = stages.first else { return body(columns) }
    let rest = stages.dropFirst()
    switch first {
    case .float32(let s):
        return s.values.withUnsafeBufferPointer { _withColumns(rest, columns + [.float32($0, validity: s.validity?.bitmap)], body) }
    case .float64(let s):
        return s.values.withUnsafeBufferPointer { _withColumns(rest, columns + [.float64($0, validity: s.validity?.bitmap)], body) }
    case .categorical:
        return _withColumns(rest, columns, body)
    }
}

/// What a feature has staged.
enum _Stage: Sendable {
    case float32(_NumericStage<Float>)
    case float64(_NumericStage<Double>)
    case categorical(_CategoryStage)
}

/// A numeric feature's concatenated values and, once any block had one, its concatenated validity bitmap.
struct _NumericStage<T: DriftFloat>: Sendable {
    var values: [T] = []
    var validity: _BitmapStage? = nil

    var bytes: Int { values.count * MemoryLayout<T>.stride + (validity?.bytes.count ?? 0) }

    /// Appends a block; `stagedRows` rows are staged before it. The first block's array is kept, not copied.
    mutating func append(_ block: [T], _ blockValidity: ValidityBitmap?, stagedRows: Int) {
        if stagedRows == 0 { values = block } else { values.append(contentsOf: block) }
        if blockValidity != nil && validity == nil { validity = _BitmapStage(allValid: stagedRows) }
        validity?.append(blockValidity, rows: block.count)
    }
}

/// A validity bitmap grown block by block (LSB-first; bits past `count` are kept 0 so the next block can be
/// shifted in).
struct _BitmapStage: Sendable {
    var bytes: [UInt8] = []
    var count = 0

    init(allValid rows: Int) { append(nil, rows: rows) }

    var bitmap: ValidityBitmap { try! ValidityBitmap(bytes: bytes, count: count) }

    /// Appends `rows` bits from `source` (nil: all valid).
    mutating func append(_ source: ValidityBitmap?, rows: Int) {
        let sourceBytes = (rows + 7) / 8
        let shift = count & 7
        let total = count + rows
        bytes.reserveCapacity((total + 7) / 8)
        for i in 0..<sourceBytes {
            var b = source?.bytes[i] ?? 0xFF
            if i == sourceBytes - 1 && rows & 7 != 0 { b &= UInt8(truncatingIfNeeded: (1 << (rows & 7)) - 1) }
            if shift == 0 {
                bytes.append(b)
            } else {
                bytes[bytes.count - 1] |= b << UInt8(shift)
                bytes.append(b >> UInt8(8 - shift))
            }
        }
        bytes.removeLast(bytes.count - (total + 7) / 8)
        count = total
    }
}

/// A categorical feature's running dictionary and counts.
struct _CategoryStage: Sendable {
    var dictionary: [String] = []
    var index: [String: Int] = [:]
    var counts: [Int] = []
    var nulls = 0
    var dictionaryBytes = 0

    var bytes: Int { dictionaryBytes + 8 * counts.count }

    /// Adds a block's counts over its own dictionary, re-mapped onto the running dictionary.
    mutating func add(_ block: CategoryCounts, dictionary blockDictionary: [String]) {
        for (code, entry) in blockDictionary.enumerated() {
            let running: Int
            if let i = index[entry] {
                running = i
            } else {
                running = dictionary.count
                index[entry] = running
                dictionary.append(entry)
                counts.append(0)
                dictionaryBytes += entry.utf8.count + 48
            }
            counts[running] += block.counts[code]
        }
        nulls += block.nullCount
    }
}
