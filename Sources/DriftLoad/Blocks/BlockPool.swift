import DriftClient
import DriftColumnar

/// Request blocks encoded (and zstd-compressed) once and sent over and over by a load test.
public struct BlockPool: Sendable {
    public let blocks: [EncodedBlock]
    /// Which blocks carry shifted (drifted) features.
    public let drifted: [Bool]

    public init(blocks: [EncodedBlock], drifted: [Bool]) {
        precondition(blocks.count == drifted.count, "one drift flag per block")
        self.blocks = blocks
        self.drifted = drifted
    }

    /// The pool blocks of `dataset`, each checked against `planner`'s limits.
    /// - Throws: `BlockPlanningError` when a block does not fit one request.
    public init(dataset: SyntheticDataset, encoding: ValueEncoding, planner: BlockPlanner) throws(BlockPlanningError) {
        var blocks: [EncodedBlock] = []
        for b in 0..<dataset.blockCount {
            let columns = dataset.blockColumns(b)
            blocks.append(try planner.singleBlock(rowCount: dataset.blockRows) { rows in
                try dataset.encoder(columns, rows: rows, encoding: encoding)
            })
        }
        self.init(blocks: blocks, drifted: (0..<dataset.blockCount).map { dataset.isDrifted(block: $0) })
    }

    /// Compressed bytes of all blocks.
    public var totalBytes: Int { blocks.reduce(0) { $0 + $1.bytes.count } }
}
