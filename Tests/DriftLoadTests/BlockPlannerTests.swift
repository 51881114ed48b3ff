import DriftClient
import DriftColumnar
import DriftWire
import Testing
@testable import DriftLoad

@Suite("BlockPlanner: blocks that fit the server's frame limits")
struct BlockPlannerTests {
    static let data = SyntheticDataset(seed: 11, features: 4, baselineRows: 10_000, blockRows: 10, blockCount: 1)

    @Test("rows are cut at the preferred size, in order, covering every row once")
    func preferred() throws {
        let columns = Self.data.baselineColumns()
        let planner = BlockPlanner(limits: ConnectionLimits(), preferredRows: 3000)
        let blocks = try planner.blocks(rowCount: 10_000, bytesPerRow: 16) { rows in
            try Self.data.encoder(columns, rows: rows, encoding: .plain)
        }
        #expect(blocks.map(\.rowCount) == [3000, 3000, 3000, 1000])
        #expect(blocks.allSatisfy { $0.columnCount == 4 && $0.codec == .zstd && planner.fits($0) })
        // The blocks decode back to the rows in order.
        var f0: [Float] = []
        for b in blocks {
            let decoded = try ColumnBlockDecoder().decodeCompressed(b.bytes, maxDecoded: 1 << 20)
            f0 += decoded.column(named: "f0")!.withFloat32Values { Array($0) }!
        }
        #expect(f0 == columns[0])
    }

    @Test("small limits: the estimate and then halving keep every block within them")
    func shrinks() throws {
        let columns = Self.data.baselineColumns()
        let limits = ConnectionLimits(maxFrameBody: 20_000, maxDecoded: 30_000)
        let planner = BlockPlanner(limits: limits, preferredRows: 100_000)
        #expect(planner.estimatedRowsPerBlock(bytesPerRow: 16) == 1125)
        var encodedRanges: [Range<Int>] = []
        let blocks = try planner.blocks(rowCount: 10_000, bytesPerRow: 1) { rows in   // a bad estimate: halving fixes it
            encodedRanges.append(rows)
            return try Self.data.encoder(columns, rows: rows, encoding: .byteStreamSplit)
        }
        #expect(blocks.reduce(0) { $0 + $1.rowCount } == 10_000)
        #expect(blocks.allSatisfy { $0.bytes.count <= 20_000 && $0.rawLength <= 30_000 })
        #expect(encodedRanges.count > blocks.count)   // some attempts were too big and were halved
    }

    @Test("one block: refused with the number of rows that would fit; one row over the limits is an error")
    func single() throws {
        let columns = Self.data.baselineColumns()
        let planner = BlockPlanner(limits: ConnectionLimits(maxFrameBody: 8_000))
        let error = #expect(throws: BlockPlanningError.self) {
            try planner.singleBlock(rowCount: 10_000) { rows in try Self.data.encoder(columns, rows: rows, encoding: .plain) }
        }
        #expect(error?.message.contains("10000 rows do not fit in one request") == true)
        #expect(error?.message.contains("check at most about 4") == true, "\(error?.message ?? "")")
        let ok = try planner.singleBlock(rowCount: 100) { rows in try Self.data.encoder(columns, rows: rows, encoding: .plain) }
        #expect(ok.rowCount == 100)
        let tiny = BlockPlanner(limits: ConnectionLimits(maxFrameBody: 10))
        #expect(throws: BlockPlanningError.self) {
            try tiny.blocks(rowCount: 10, bytesPerRow: 16) { rows in try Self.data.encoder(columns, rows: rows, encoding: .plain) }
        }
    }
}
