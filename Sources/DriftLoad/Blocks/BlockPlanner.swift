import DriftClient
import DriftColumnar
import DriftWire

/// Cuts a table of `rowCount` rows into encoded request blocks that fit the server's frame limits: at most
/// `preferredRows` rows each, fewer when a block would be too big (estimated from `bytesPerRow` first, then
/// halved until the encoded block fits).
public struct BlockPlanner: Sendable {
    /// The server's limits (from `DriftClient.limits`).
    public var limits: ConnectionLimits
    /// Rows per block when they fit (driftctl's default: 100 000).
    public var preferredRows: Int
    /// zstd level of the blocks.
    public var compressionLevel: Int32
    /// Share of a limit a block is planned to use, leaving room for framing (0 < headroom ≤ 1).
    public var headroom: Double = 0.9

    public static let defaultRowsPerBlock = 100_000

    public init(limits: ConnectionLimits, preferredRows: Int = BlockPlanner.defaultRowsPerBlock, compressionLevel: Int32 = 1) {
        precondition(preferredRows >= 1, "at least one row per block")
        self.limits = limits
        self.preferredRows = preferredRows
        self.compressionLevel = compressionLevel
    }

    /// Whether `block` may be sent as one frame body.
    public func fits(_ block: EncodedBlock) -> Bool {
        block.bytes.count <= Int(limits.maxFrameBody) && block.rawLength <= Int(limits.maxDecoded)
    }

    /// Rows per block that the limits allow by estimate, for `bytesPerRow` uncompressed bytes per row.
    public func estimatedRowsPerBlock(bytesPerRow: Int) -> Int {
        let budget = Double(min(limits.maxFrameBody, limits.maxDecoded)) * headroom
        return max(1, min(preferredRows, Int(budget / Double(max(1, bytesPerRow)))))
    }

    /// Encodes `rowCount` rows as blocks that fit, in row order. `encode` builds the encoder of a row range.
    /// - Throws: `BlockPlanningError` when even one row does not fit, or encoding fails.
    public func blocks(rowCount: Int, bytesPerRow: Int,
                       encode: (Range<Int>) throws -> ColumnBlockEncoder) throws(BlockPlanningError) -> [EncodedBlock] {
        var blocks: [EncodedBlock] = []
        var rows = estimatedRowsPerBlock(bytesPerRow: bytesPerRow)
        var start = 0
        repeat {
            let range = start..<min(rowCount, start + rows)
            let block = try encodeBlock(range, encode)
            if fits(block) {
                blocks.append(block)
                start = range.upperBound
            } else {
                guard range.count > 1 else {
                    throw BlockPlanningError("one row encodes to \(block.bytes.count) bytes (\(block.rawLength) uncompressed), "
                                             + "over the server's limits (\(limits.maxFrameBody) bytes per frame body, "
                                             + "\(limits.maxDecoded) decoded)")
                }
                rows = max(1, range.count / 2)
            }
        } while start < rowCount
        return blocks
    }

    /// Encodes `range` as one block; when it does not fit, the error suggests how many rows would.
    public func singleBlock(rowCount: Int, encode: (Range<Int>) throws -> ColumnBlockEncoder) throws(BlockPlanningError) -> EncodedBlock {
        let block = try encodeBlock(0..<rowCount, encode)
        guard fits(block) else {
            let ratio = min(Double(limits.maxFrameBody) / Double(max(1, block.bytes.count)),
                            Double(limits.maxDecoded) / Double(max(1, block.rawLength)))
            let rows = max(1, Int(Double(rowCount) * ratio * headroom))
            throw BlockPlanningError("\(rowCount) rows do not fit in one request (\(block.bytes.count) bytes compressed, "
                                     + "\(block.rawLength) uncompressed; the server allows \(limits.maxFrameBody) and "
                                     + "\(limits.maxDecoded)): check at most about \(rows) rows at a time")
        }
        return block
    }

    private func encodeBlock(_ range: Range<Int>, _ encode: (Range<Int>) throws -> ColumnBlockEncoder) throws(BlockPlanningError) -> EncodedBlock {
        let encoder: ColumnBlockEncoder
        do { encoder = try encode(range) } catch { throw BlockPlanningError("\(error)") }
        do { return try EncodedBlock(encoder, compressionLevel: compressionLevel) } catch {
            throw BlockPlanningError("cannot compress the block: \(error)")
        }
    }
}
