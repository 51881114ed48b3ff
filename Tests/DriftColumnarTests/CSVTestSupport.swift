import Foundation
import Testing

@testable import DriftColumnar

/// Shared helpers of the CSV test suites (a protocol, so the names stay out of the module's namespace).
protocol CSVTestHelpers {}

extension CSVTestHelpers {
    func parse(
        _ text: String, reader: CSVReader = CSVReader(), forceCategorical: Set<String> = []
    ) throws(CSVError) -> CSVTable {
        try reader.read(bytes: Array(text.utf8), name: "t.csv", forceCategorical: forceCategorical)
    }

    func parseError(_ text: String, reader: CSVReader = CSVReader()) -> CSVError? {
        parseError(bytes: Array(text.utf8), reader: reader)
    }

    func parseError(bytes: [UInt8], reader: CSVReader = CSVReader()) -> CSVError? {
        do {
            _ = try reader.read(bytes: bytes, name: "t.csv")
            return nil
        } catch {
            return error
        }
    }

    func numbers(_ column: CSVColumn?) -> [Double]? {
        if case .numeric(_, let values)? = column { return values }
        return nil
    }

    /// The decoded values of a categorical column (nil for null).
    func strings(_ column: CSVColumn?) -> [String?]? {
        if case .categorical(_, let codes, let dictionary)? = column {
            return codes.map { $0 == CSVColumn.nullCode ? nil : dictionary[Int($0)] }
        }
        return nil
    }

    func column(_ table: CSVTable, _ name: String) -> CSVColumn? {
        table.columns.first { $0.name == name }
    }

    /// Same bits, so NaN == NaN and -0 != +0.
    func sameBits(_ a: [Double]?, _ b: [Double]) -> Bool {
        guard let a, a.count == b.count else { return false }
        return zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    func temporaryFile(_ contents: [UInt8], suffix: String = ".csv") -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("driftcsv-\(UUID().uuidString)\(suffix)").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(contents))
        return path
    }

    /// A reader that splits even tiny inputs across threads.
    func splittingReader(threads: Int = 2, minBytes: Int = 16) -> CSVReader {
        var reader = CSVReader(options: .init(threads: threads))
        reader.minBytesPerChunk = minBytes
        return reader
    }

    func tablesEqual(_ a: CSVTable, _ b: CSVTable) -> Bool {
        guard a.rowCount == b.rowCount, a.columns.count == b.columns.count else { return false }
        for (x, y) in zip(a.columns, b.columns) {
            switch (x, y) {
            case (.numeric(let n1, let v1), .numeric(let n2, let v2)):
                if n1 != n2 || !sameBits(v1, v2) { return false }
            case (.categorical(let n1, let c1, let d1), .categorical(let n2, let c2, let d2)):
                if n1 != n2 || c1 != c2 || d1 != d2 { return false }
            default:
                return false
            }
        }
        return true
    }
}
