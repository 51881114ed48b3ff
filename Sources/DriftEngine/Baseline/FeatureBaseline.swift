import DriftKernels

/// What a baseline keeps of one feature so that every later comparison reuses it instead of recomputing it.
///
/// - numeric: the non-null values pre-sorted for exact KS and Wasserstein (``SortedSample``), the frozen
///   ``QuantileBins`` with the baseline's own ``BinCounts``, the ``ColumnProfile``, and the fine ``KSGrid`` of the
///   approximate (binned) KS. Beyond a cap of non-null values only a seeded uniform sample of exactly `cap` of
///   them is kept sorted (`sampled == true`); bins, bin counts, profile and grid always describe *all* values.
/// - categorical: the dictionary and the ``CategoryCounts`` (the category frequencies).
public enum FeatureBaseline: Sendable, Equatable {
    case numeric(NumericBaseline)
    case categorical(CategoricalBaseline)

    /// The default cap on sorted baseline values kept for KS (10 million float64 values = 80 MB).
    public static let defaultSampleCap = 10_000_000

    /// Builds a numeric baseline from a float64 column (NaN or a cleared validity bit is null).
    ///
    /// Sampling: when the column has more than `cap` non-null values, exactly `cap` of them are kept, chosen by
    /// selection sampling (Knuth, TAOCP vol. 2, §3.4.2, Algorithm S — the sequential form of a partial
    /// Fisher–Yates selection) driven by ``SeededSplitMix64`` seeded with `seed`: walking the M sorted non-null values
    /// (−inf run, finite values, +inf run) in order, value t is kept with probability (cap − kept)/(M − t). Every
    /// subset of `cap` positions is equally likely (up to the 2⁻⁵³ resolution of the draws, compared exactly in
    /// integers), exactly `cap` are kept, the result comes out sorted, the
    /// memory is O(1) beyond the sample, and the same values and seed always give the same sample.
    ///
    /// - Parameters:
    ///   - bins: requested number of interior quantile bins (1 … 1000). An invalid count or a baseline without a
    ///     finite value leaves `bins` nil; comparisons then note the same reason as ``FeatureComparison``.
    ///   - cap: the largest number of sorted values kept (≥ 1).
    public static func numeric(values: [Double], validity: ValidityBitmap? = nil, bins: Int = QuantileBins.defaultBinCount,
                               cap: Int = defaultSampleCap, seed: UInt64) -> FeatureBaseline {
        let all = SortedSample(values, validity: validity)
        return .numeric(_build(all, profile: ColumnProfile(values, validity: validity), bins: bins, cap: cap, seed: seed,
                               histogram: { $0.histogram(values, validity: validity) },
                               grid: { KSGrid(sortedBaseline: $0) }, wrap: SortedValues.float64))
    }

    /// Builds a numeric baseline from a float32 column; the sorted values stay float32 (half the memory).
    /// Otherwise exactly as ``numeric(values:validity:bins:cap:seed:)-(Double)``.
    public static func numeric(values: [Float], validity: ValidityBitmap? = nil, bins: Int = QuantileBins.defaultBinCount,
                               cap: Int = defaultSampleCap, seed: UInt64) -> FeatureBaseline {
        let all = SortedSample(values, validity: validity)
        return .numeric(_build(all, profile: ColumnProfile(values, validity: validity), bins: bins, cap: cap, seed: seed,
                               histogram: { $0.histogram(values, validity: validity) },
                               grid: { KSGrid(sortedBaseline: $0) }, wrap: SortedValues.float32))
    }

    static func _build<T: DriftFloat>(_ all: SortedSample<T>, profile: ColumnProfile, bins: Int, cap: Int, seed: UInt64,
                                      histogram: (QuantileBins) -> BinCounts, grid: (SortedSample<T>) -> KSGrid,
                                      wrap: (SortedSample<T>) -> SortedValues) -> NumericBaseline {
        precondition(cap >= 1, "cap must be at least 1")
        let frozen = try? all.withFiniteValues { (b) throws(KernelError) in try QuantileBins(sortedBaseline: b, bins: bins) }
        let counts = frozen.map(histogram)
        let total = all.count
        let frozenGrid = grid(all)
        let sorted = total > cap ? Self.sample(all, cap: cap, seed: seed) : all
        return NumericBaseline(sortedValues: wrap(sorted), requestedBins: bins, bins: frozen, binCounts: counts,
                               profile: profile, sampled: total > cap, totalCount: total, grid: frozenGrid)
    }

    /// Builds a categorical baseline from dictionary codes (`CategoryCounts.nullCode` or a cleared validity bit
    /// is null).
    /// - Throws: `KernelError.invalidArgument` when a code is outside `dictionary`.
    public static func categorical(codes: [UInt32], dictionary: [String], validity: ValidityBitmap? = nil)
        throws(KernelError) -> FeatureBaseline
    {
        let counts = try codes.withUnsafeBufferPointer { (c) throws(KernelError) in
            try CategoryCounts(codes: c, dictionarySize: dictionary.count, validity: validity)
        }
        return .categorical(CategoricalBaseline(dictionary: dictionary, counts: counts))
    }

    /// Algorithm S over the M = `all.count` non-null values of a sorted sample; see ``numeric(values:validity:bins:cap:seed:)``.
    static func sample<T: DriftFloat>(_ all: SortedSample<T>, cap: Int, seed: UInt64) -> SortedSample<T> {
        var rng = SeededSplitMix64(seed: seed)
        let m = all.count
        var kept = 0, t = 0
        var negInf = 0, posInf = 0
        var finite: [T] = []
        finite.reserveCapacity(cap)
        @inline(__always) func take(_ rng: inout SeededSplitMix64) -> Bool {
            // keep with probability (cap − kept)/(m − t); exact integer arithmetic on a 53-bit draw
            let need = cap - kept, left = m - t
            t += 1
            if need == 0 { return false }
            if need >= left { kept += 1; return true }
            let u = rng.next() >> 11  // uniform in 0 ..< 2^53
            // u / 2^53 < need / left  ⇔  u · left < need · 2^53 (128-bit products)
            let lhs = UInt64(u).multipliedFullWidth(by: UInt64(left))
            let rhs = UInt64(need).multipliedFullWidth(by: 1 << 53)
            if lhs.high < rhs.high || (lhs.high == rhs.high && lhs.low < rhs.low) { kept += 1; return true }
            return false
        }
        for _ in 0..<all.negativeInfinityCount where take(&rng) { negInf += 1 }
        all.withFiniteValues { f in
            for x in f where take(&rng) { finite.append(x) }
        }
        for _ in 0..<all.positiveInfinityCount where take(&rng) { posInf += 1 }
        return SortedSample(sortedFinite: finite, negativeInfinityCount: negInf, positiveInfinityCount: posInf,
                            nullCount: all.nullCount)
    }
}

/// The numeric part of a ``FeatureBaseline``.
public struct NumericBaseline: Sendable {
    /// Non-null values sorted (all of them, or the seeded sample when `sampled`), in the column's float width.
    /// Setting it rebuilds ``comparisonIndex``.
    public var sortedValues: SortedValues {
        didSet { comparisonIndex = IndexedSortedValues(sortedValues) }
    }
    /// `sortedValues` with their comparison index, built once here (and on every decode) so that each exact
    /// comparison is O(m · small) against a large baseline; derived, not serialized, not part of equality.
    public private(set) var comparisonIndex: IndexedSortedValues
    /// The bin count asked for when the bins were frozen (kept to reproduce the reason when `bins` is nil).
    public var requestedBins: Int
    /// Frozen from all finite baseline values; nil when undefined (no finite value, invalid `requestedBins`).
    public var bins: QuantileBins?
    /// All baseline values over `bins` (nil exactly when `bins` is).
    public var binCounts: BinCounts?
    /// Profile of all baseline rows.
    public var profile: ColumnProfile
    /// `sortedValues` is a seeded uniform sample of `sortedValues.count` of the `totalCount` non-null values.
    public var sampled: Bool
    /// Non-null baseline values (finite and infinite) before sampling.
    public var totalCount: Int
    /// The fine grid of the binned KS (``BinnedKS``): frozen from all values when the baseline was built; a
    /// baseline read from the old `DBS1` format gets it from `sortedValues` (all values, or the kept sample).
    public var grid: KSGrid

    /// - Parameter grid: nil derives it from `sortedValues` (exact unless `sampled`).
    public init(sortedValues: SortedValues, requestedBins: Int, bins: QuantileBins?, binCounts: BinCounts?,
                profile: ColumnProfile, sampled: Bool, totalCount: Int, grid: KSGrid? = nil) {
        self.sortedValues = sortedValues
        comparisonIndex = IndexedSortedValues(sortedValues)
        self.requestedBins = requestedBins
        self.bins = bins
        self.binCounts = binCounts
        self.profile = profile
        self.sampled = sampled
        self.totalCount = totalCount
        self.grid = grid ?? sortedValues.grid
    }
}

extension NumericBaseline: Equatable {
    /// Bit-exact equality (NaN fields compare by bit pattern).
    public static func == (a: NumericBaseline, b: NumericBaseline) -> Bool {
        func same(_ x: Double?, _ y: Double?) -> Bool { x?.bitPattern == y?.bitPattern }
        let s = a.sortedValues, t = b.sortedValues
        return s.isFloat32 == t.isFloat32 && s.float64.storage.map(\.bitPattern) == t.float64.storage.map(\.bitPattern)
            && s.negativeInfinityCount == t.negativeInfinityCount && s.positiveInfinityCount == t.positiveInfinityCount
            && s.nullCount == t.nullCount && a.requestedBins == b.requestedBins
            && a.bins?.edges.map(\.bitPattern) == b.bins?.edges.map(\.bitPattern) && a.binCounts == b.binCounts
            && a.sampled == b.sampled && a.totalCount == b.totalCount && a.grid == b.grid
            && a.profile.count == b.profile.count && a.profile.nullCount == b.profile.nullCount
            && a.profile.nanCount == b.profile.nanCount
            && a.profile.positiveInfinityCount == b.profile.positiveInfinityCount
            && a.profile.negativeInfinityCount == b.profile.negativeInfinityCount
            && same(a.profile.minimum, b.profile.minimum) && same(a.profile.maximum, b.profile.maximum)
            && same(a.profile.mean, b.profile.mean)
            && same(a.profile.sumOfSquaredDeviations, b.profile.sumOfSquaredDeviations)
    }
}

/// Sorted baseline values in the width of the column they came from.
public enum SortedValues: Sendable {
    case float64(SortedSample<Double>)
    case float32(SortedSample<Float>)

    public var isFloat32: Bool { if case .float32 = self { true } else { false } }
    /// Non-null values kept (finite and infinite).
    public var count: Int { switch self { case .float64(let s): s.count; case .float32(let s): s.count } }
    public var finiteCount: Int { switch self { case .float64(let s): s.finiteCount; case .float32(let s): s.finiteCount } }
    public var negativeInfinityCount: Int {
        switch self { case .float64(let s): s.negativeInfinityCount; case .float32(let s): s.negativeInfinityCount }
    }
    public var positiveInfinityCount: Int {
        switch self { case .float64(let s): s.positiveInfinityCount; case .float32(let s): s.positiveInfinityCount }
    }
    public var nullCount: Int { switch self { case .float64(let s): s.nullCount; case .float32(let s): s.nullCount } }

    /// The fine KS grid of these values (``KSGrid/init(sortedBaseline:maximumEdges:)-(SortedSample<Float>,_)``).
    public var grid: KSGrid {
        switch self {
        case .float64(let s): KSGrid(sortedBaseline: s)
        case .float32(let s): KSGrid(sortedBaseline: s)
        }
    }

    /// The values as float64 (exact: every float32 is a float64; order and ties are preserved). O(n) for float32.
    public var float64: SortedSample<Double> {
        switch self {
        case .float64(let s): return s
        case .float32(let s):
            return SortedSample(sortedFinite: s.withFiniteValues { $0.map(Double.init) },
                                negativeInfinityCount: s.negativeInfinityCount,
                                positiveInfinityCount: s.positiveInfinityCount, nullCount: s.nullCount)
        }
    }
}

/// The categorical part of a ``FeatureBaseline``.
public struct CategoricalBaseline: Sendable, Equatable {
    /// Category names; code i is `dictionary[i]`.
    public var dictionary: [String]
    /// `counts.counts.count == dictionary.count`.
    public var counts: CategoryCounts

    public init(dictionary: [String], counts: CategoryCounts) {
        self.dictionary = dictionary
        self.counts = counts
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): the seeded generator of baseline sampling. State += golden gamma,
/// then two xor-shift-multiply rounds; the same seed gives the same stream on every platform.
public struct SeededSplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
