import Foundation
import Testing

@testable import DriftColumnar

@Suite("CSV pair")
struct CSVPairTests: CSVTestHelpers {
    private func loadPair(_ baseline: String, _ current: String, reader: CSVReader = CSVReader()) throws -> CSVPair {
        let b = temporaryFile(Array(baseline.utf8))
        let c = temporaryFile(Array(current.utf8))
        defer {
            try? FileManager.default.removeItem(atPath: b)
            try? FileManager.default.removeItem(atPath: c)
        }
        return try CSVPair.load(baseline: b, current: c, reader: reader)
    }

    @Test func pairAlignsColumnsInBaselineOrder() throws {
        let pair = try loadPair("a,b,c,onlyB\n1,2,3,4\n", "onlyC,c,b,a\n9,3,2,1\n8,3,2,1\n")
        #expect(pair.baseline.columns.map(\.name) == ["a", "b", "c"])
        #expect(pair.current.columns.map(\.name) == ["a", "b", "c"])
        #expect(pair.onlyInBaseline == ["onlyB"])
        #expect(pair.onlyInCurrent == ["onlyC"])
        #expect(pair.baseline.rowCount == 1)
        #expect(pair.current.rowCount == 2)
        #expect(numbers(pair.current.columns[0]) == [1, 1])
    }

    @Test func pairMakesMixedKindsCategoricalVerbatim() throws {
        let pair = try loadPair("k,x\n1.50,1\n2,2\nNA,3\n", "k,x\nA,1\n1.50,2\n")
        #expect(strings(pair.baseline.columns[0]) == ["1.50", "2", nil])
        #expect(strings(pair.current.columns[0]) == ["A", "1.50"])
        #expect(numbers(pair.baseline.columns[1]) == [1, 2, 3])
        #expect(numbers(pair.current.columns[1]) == [1, 2])
    }

    @Test func pairSharesOneDictionary() throws {
        let pair = try loadPair("c,n\nx,1\ny,2\nx,3\n,4\n", "n,c\n1,z\n2,y\n3,\n4,x\n")
        guard case .categorical(_, let baseCodes, let baseDictionary) = pair.baseline.columns[0],
              case .categorical(_, let currentCodes, let currentDictionary) = pair.current.columns[0] else {
            Issue.record("expected categorical columns")
            return
        }
        #expect(baseDictionary == ["x", "y", "z"])
        #expect(currentDictionary == baseDictionary)
        #expect(baseCodes == [0, 1, 0, CSVColumn.nullCode])
        #expect(currentCodes == [2, 1, CSVColumn.nullCode, 0])
    }

    @Test func pairReportsErrorsWithPath() throws {
        let good = temporaryFile(Array("a\n1\n".utf8))
        let bad = temporaryFile(Array("a\n\"1\n".utf8))
        defer {
            try? FileManager.default.removeItem(atPath: good)
            try? FileManager.default.removeItem(atPath: bad)
        }
        #expect(throws: CSVError(path: bad, line: 2, message: "unterminated quoted field")) {
            _ = try CSVPair.load(baseline: good, current: bad)
        }
    }
}
