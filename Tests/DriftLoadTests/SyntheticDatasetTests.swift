import DriftColumnar
import Testing
@testable import DriftLoad

@Suite("SyntheticDataset")
struct SyntheticDatasetTests {
    static func meanAndSD(_ v: [Float]) -> (Double, Double) {
        let m = v.reduce(0.0) { $0 + Double($1) } / Double(v.count)
        let s = v.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(v.count - 1)
        return (m, s.squareRoot())
    }

    @Test("deterministic per seed: the same seed gives the same columns, another seed different ones")
    func deterministic() {
        let a = SyntheticDataset(seed: 7, features: 3, baselineRows: 1000, blockRows: 100, blockCount: 4)
        let b = SyntheticDataset(seed: 7, features: 3, baselineRows: 1000, blockRows: 100, blockCount: 4)
        let c = SyntheticDataset(seed: 8, features: 3, baselineRows: 1000, blockRows: 100, blockCount: 4)
        #expect(a.baselineColumns() == b.baselineColumns())
        #expect(a.blockColumns(2) == b.blockColumns(2))
        #expect(a.baselineColumns() != c.baselineColumns())
        // Streams differ between features, between blocks, and between the baseline and blocks.
        let base = a.baselineColumns()
        #expect(base[0] != base[1])
        #expect(a.blockColumns(0)[0] != a.blockColumns(1)[0])
        #expect(Array(base[0].prefix(100)) != a.blockColumns(0)[0])
        var g1 = NormalGenerator(seed: 99), g2 = NormalGenerator(seed: 99)
        #expect((0..<10).map { _ in g1.next() } == (0..<10).map { _ in g2.next() })
    }

    @Test("standard normal: mean ≈ 0, sd ≈ 1, symmetric tails")
    func normal() {
        let d = SyntheticDataset(seed: 1, features: 1, baselineRows: 200_000, blockRows: 10, blockCount: 1)
        let v = d.baselineColumn(0)
        let (m, s) = Self.meanAndSD(v)
        #expect(abs(m) < 0.01 && abs(s - 1) < 0.01, "mean \(m), sd \(s)")
        let above2 = v.filter { $0 > 2 }.count, below2 = v.filter { $0 < -2 }.count
        // P(Z > 2) = 0.02275: 4550 expected on each side, sd ≈ 67.
        #expect(abs(above2 - 4550) < 350 && abs(below2 - 4550) < 350, "\(above2) \(below2)")
    }

    @Test("drift share: round(share × pool) blocks spread evenly, the first half of the features shifted by 0.3")
    func drift() {
        let d = SyntheticDataset(seed: 3, features: 4, baselineRows: 0, blockRows: 50_000, blockCount: 8, driftShare: 0.25)
        #expect((0..<8).filter { d.isDrifted(block: $0) } == [3, 7])
        #expect(d.driftedBlockCount == 2)
        #expect(d.driftedFeatureIndices == 0..<2)
        let drifted = d.blockColumns(3), plain = d.blockColumns(0)
        for f in 0..<4 {
            let shifted = Self.meanAndSD(drifted[f]).0, unshifted = Self.meanAndSD(plain[f]).0
            #expect(abs(unshifted) < 0.02)
            if f < 2 { #expect(abs(shifted - 0.3) < 0.02, "feature \(f): \(shifted)") } else { #expect(abs(shifted) < 0.02) }
        }
        let none = SyntheticDataset(seed: 3, features: 4, baselineRows: 0, blockRows: 1, blockCount: 8)
        #expect(none.driftedBlockCount == 0)
        let all = SyntheticDataset(seed: 3, features: 1, baselineRows: 0, blockRows: 1, blockCount: 5, driftShare: 1)
        #expect(all.driftedBlockCount == 5 && all.driftedFeatureIndices == 0..<1)
    }

    @Test("encoded blocks decode to the generated values, plain and byte-stream-split")
    func encodes() throws {
        let d = SyntheticDataset(seed: 5, features: 3, baselineRows: 1000, blockRows: 10, blockCount: 1)
        let columns = d.baselineColumns()
        for encoding in [ValueEncoding.plain, .byteStreamSplit] {
            let e = try d.encoder(columns, rows: 100..<350, encoding: encoding)
            let block = try ColumnBlockDecoder().decodeCompressed(try e.encodeCompressed(), maxDecoded: 1 << 20)
            #expect(block.rowCount == 250)
            #expect(block.columns.map(\.name) == ["f0", "f1", "f2"])
            for (f, col) in block.columns.enumerated() {
                #expect(col.encoding == encoding)
                let values = col.withFloat32Values { Array($0) }
                #expect(values == Array(columns[f][100..<350]))
            }
        }
    }
}
