import DriftColumnar

/// The data of a load test: a baseline and a pool of current blocks, all float32 standard normals, each column
/// from its own seeded stream, so every run with the same seed sends the same bytes (and `DatasetDump` can hand
/// the same numbers to numpy/scipy).
///
/// Features are named `f0`, `f1`, …. A share `driftShare` of the pool blocks (spread evenly over the pool) is
/// drifted: their first ⌈features / 2⌉ features are shifted by `driftShift` (0.3 σ).
public struct SyntheticDataset: Sendable, Equatable {
    public var seed: UInt64
    public var features: Int
    public var baselineRows: Int
    public var blockRows: Int
    public var blockCount: Int
    /// Fraction of pool blocks that are drifted, 0 … 1.
    public var driftShare: Double
    /// The mean shift of a drifted feature, in standard deviations.
    public var driftShift: Double

    public init(seed: UInt64 = 42, features: Int, baselineRows: Int, blockRows: Int, blockCount: Int,
                driftShare: Double = 0, driftShift: Double = 0.3) {
        precondition(features >= 1 && baselineRows >= 0 && blockRows >= 0 && blockCount >= 1)
        precondition((0...1).contains(driftShare), "driftShare is a fraction")
        self.seed = seed
        self.features = features
        self.baselineRows = baselineRows
        self.blockRows = blockRows
        self.blockCount = blockCount
        self.driftShare = driftShare
        self.driftShift = driftShift
    }

    /// `f0`, `f1`, …
    public var featureNames: [String] { (0..<features).map { "f\($0)" } }

    /// The features a drifted block shifts: the first ⌈features / 2⌉.
    public var driftedFeatureIndices: Range<Int> { 0..<((features + 1) / 2) }

    /// Whether pool block `block` is drifted: round(driftShare · blockCount) blocks, spread evenly.
    public func isDrifted(block: Int) -> Bool {
        let before = Int((Double(block) * driftShare).rounded(.down))
        let through = Int((Double(block + 1) * driftShare).rounded(.down))
        return through > before
    }

    /// How many pool blocks are drifted.
    public var driftedBlockCount: Int { (0..<blockCount).filter { isDrifted(block: $0) }.count }

    /// The baseline column of feature `feature` (`baselineRows` values).
    public func baselineColumn(_ feature: Int) -> [Float] {
        var g = NormalGenerator(seed: NormalGenerator.derivedSeed(seed, stream: UInt64(feature)))
        return g.float32s(count: baselineRows)
    }

    /// Every baseline column, in feature order.
    public func baselineColumns() -> [[Float]] { (0..<features).map(baselineColumn) }

    /// The columns of pool block `block` (`blockRows` values each), shifted where the block is drifted.
    public func blockColumns(_ block: Int) -> [[Float]] {
        let drifted = isDrifted(block: block)
        return (0..<features).map { f in
            let stream = (UInt64(block) + 1) << 32 | UInt64(f)
            var g = NormalGenerator(seed: NormalGenerator.derivedSeed(seed, stream: stream))
            let shift = drifted && driftedFeatureIndices.contains(f) ? driftShift : 0
            return g.float32s(count: blockRows, mean: shift)
        }
    }

    /// A block encoder holding rows `rows` of `columns` (one array per feature) as float32 columns.
    public func encoder(_ columns: [[Float]], rows: Range<Int>, encoding: ValueEncoding) throws(ColumnBlockError)
        -> ColumnBlockEncoder {
        var e = ColumnBlockEncoder(rowCount: rows.count, options: .init(floatEncoding: encoding))
        for (name, column) in zip(featureNames, columns) {
            try e.addFloat32(name, rows == column.indices ? column : Array(column[rows]))
        }
        return e
    }
}
