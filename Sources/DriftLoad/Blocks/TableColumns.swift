import DriftColumnar
import DriftWire

/// A CSV table mapped onto a source's features: one typed column per feature (by name, in the source's order,
/// with the source's types), ready to be cut into request blocks of any row range. Columns the source does not
/// declare are left out (`ignoredColumns`).
///
///     let table = try CSVReader().read(path: path, forceCategorical: TableColumns.categoricalNames(of: spec))
///     let columns = try TableColumns(table: table, source: spec, fileName: path)
///     let encoder = try columns.encoder(rows: 0..<columns.rowCount)
public struct TableColumns: Sendable {
    enum Values: Sendable {
        case float32([Float])
        case float64([Double])
        case int64([Int64], nulls: [Bool]?)
        case timestampMs([Int64], nulls: [Bool]?)
        case bool([Bool], nulls: [Bool]?)
        case categorical(codes: [UInt32], dictionary: [String])
    }

    public let rowCount: Int
    let columns: [(name: String, values: Values)]
    /// CSV columns that are not features of the source, in file order.
    public let ignoredColumns: [String]

    /// Names of the source's categorical features: pass them to `CSVReader.read(path:forceCategorical:)` so
    /// numeric-looking categories keep their text.
    public static func categoricalNames(of source: SourceSpec) -> Set<String> {
        Set(source.features.filter { $0.type == FeatureType.categorical.wireValue }.map(\.name))
    }

    /// Maps `table` onto `source`'s features. `fileName` names the file in errors.
    /// - Throws: `TableMappingError` for a missing column, a value the feature's type cannot hold, or a feature
    ///   type this build does not know.
    public init(table: CSVTable, source: SourceSpec, fileName: String) throws(TableMappingError) {
        rowCount = table.rowCount
        var byName: [String: CSVColumn] = [:]
        for c in table.columns { byName[c.name] = c }
        var mapped: [(name: String, values: Values)] = []
        for feature in source.features {
            guard let type = FeatureType(wireValue: feature.type) else {
                throw TableMappingError("feature '\(feature.name)' of source \(source.name) has type \(feature.type), which this driftctl does not know")
            }
            guard let column = byName[feature.name] else {
                throw TableMappingError("\(fileName) has no column '\(feature.name)' (a \(type.rawValue) feature of source \(source.name))")
            }
            mapped.append((feature.name, try Self.convert(column, to: type, fileName: fileName)))
        }
        columns = mapped
        let declared = Set(source.features.map(\.name))
        ignoredColumns = table.columns.map(\.name).filter { !declared.contains($0) }
    }

    /// Uncompressed bytes per row of a block (values and validity), for sizing blocks before encoding them.
    public var bytesPerRow: Int {
        columns.reduce(0) { total, c in
            switch c.values {
            case .float32, .categorical: total + 4
            case .float64: total + 8
            case .int64(_, let nulls), .timestampMs(_, let nulls): total + 8 + (nulls == nil ? 0 : 1)
            case .bool(_, let nulls): total + 1 + (nulls == nil ? 0 : 1)
            }
        }
    }

    /// A block encoder holding rows `rows` of every feature column. A categorical column carries only the
    /// dictionary entries its rows use.
    public func encoder(rows: Range<Int>, floatEncoding: ValueEncoding = .plain) throws(TableMappingError) -> ColumnBlockEncoder {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= rowCount, "rows outside the table")
        var e = ColumnBlockEncoder(rowCount: rows.count, options: .init(floatEncoding: floatEncoding))
        do {
            for (name, values) in columns {
                switch values {
                case .float32(let v): try e.addFloat32(name, Array(v[rows]))
                case .float64(let v): try e.addFloat64(name, Array(v[rows]))
                case .int64(let v, let nulls): try e.addInt64(name, Array(v[rows]), validity: Self.validity(nulls, rows))
                case .timestampMs(let v, let nulls):
                    try e.addTimestampMs(name, Array(v[rows]), validity: Self.validity(nulls, rows))
                case .bool(let v, let nulls): try e.addBool(name, Array(v[rows]), validity: Self.validity(nulls, rows))
                case .categorical(let codes, let dictionary):
                    let (c, d) = Self.compact(codes[rows], dictionary: dictionary)
                    try e.addCategorical(name, codes: c, dictionary: d)
                }
            }
        } catch {
            throw TableMappingError("cannot encode the block: \(error)")
        }
        return e
    }

    // MARK: - Conversion

    private static func convert(_ column: CSVColumn, to type: FeatureType, fileName: String) throws(TableMappingError) -> Values {
        let name = column.name
        switch (type, column) {
        case (.float32, .numeric(_, let v)): return .float32(v.map { Float($0) })
        case (.float64, .numeric(_, let v)): return .float64(v)
        case (.int64, .numeric(_, let v)), (.timestampMs, .numeric(_, let v)):
            var ints = [Int64](repeating: 0, count: v.count)
            var nulls: [Bool]? = nil
            for (row, x) in v.enumerated() {
                if x.isNaN {
                    if nulls == nil { nulls = [Bool](repeating: false, count: v.count) }
                    nulls![row] = true
                    continue
                }
                guard x == x.rounded(), abs(x) < 9.2e18 else {
                    throw TableMappingError("\(fileName): column '\(name)', data row \(row + 1): \(x) is not an integer (feature type \(type.rawValue))")
                }
                ints[row] = Int64(x)
            }
            return type == .int64 ? .int64(ints, nulls: nulls) : .timestampMs(ints, nulls: nulls)
        case (.bool, .numeric(_, let v)):
            var bools = [Bool](repeating: false, count: v.count)
            var nulls: [Bool]? = nil
            for (row, x) in v.enumerated() {
                if x.isNaN {
                    if nulls == nil { nulls = [Bool](repeating: false, count: v.count) }
                    nulls![row] = true
                } else if x == 0 || x == 1 {
                    bools[row] = x == 1
                } else {
                    throw TableMappingError("\(fileName): column '\(name)', data row \(row + 1): \(x) is not a bool (0 or 1, true or false)")
                }
            }
            return .bool(bools, nulls: nulls)
        case (.bool, .categorical(_, let codes, let dictionary)):
            var meaning: [Bool] = []
            for text in dictionary {
                switch text.lowercased() {
                case "true", "t", "yes", "1": meaning.append(true)
                case "false", "f", "no", "0": meaning.append(false)
                default: throw TableMappingError("\(fileName): column '\(name)' has the value '\(text)', which is not a bool (true/false, 1/0, yes/no)")
                }
            }
            var nulls: [Bool]? = nil
            let bools = codes.enumerated().map { row, code -> Bool in
                if code == CSVColumn.nullCode {
                    if nulls == nil { nulls = [Bool](repeating: false, count: codes.count) }
                    nulls![row] = true
                    return false
                }
                return meaning[Int(code)]
            }
            return .bool(bools, nulls: nulls)
        case (.categorical, .categorical(_, let codes, let dictionary)):
            return .categorical(codes: codes, dictionary: dictionary)
        case (.categorical, .numeric(_, let v)):
            var dictionary: [String] = []
            var index: [String: UInt32] = [:]
            let codes = v.map { x -> UInt32 in
                if x.isNaN { return CSVColumn.nullCode }
                let text = x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
                if let c = index[text] { return c }
                let c = UInt32(dictionary.count)
                index[text] = c
                dictionary.append(text)
                return c
            }
            return .categorical(codes: codes, dictionary: dictionary)
        case (_, .categorical(_, let codes, let dictionary)):
            let example = codes.first { $0 != CSVColumn.nullCode }.map { dictionary[Int($0)] } ?? ""
            throw TableMappingError("\(fileName): column '\(name)' is not numeric (it holds '\(example)'), but the feature is \(type.rawValue)")
        }
    }

    /// An Arrow validity bitmap (1 = present) of `rows`, or nil when no row is null.
    private static func validity(_ nulls: [Bool]?, _ rows: Range<Int>) -> [UInt8]? {
        guard let nulls, nulls[rows].contains(true) else { return nil }
        var bits = [UInt8](repeating: 0, count: (rows.count + 7) / 8)
        for (i, row) in rows.enumerated() where !nulls[row] { bits[i >> 3] |= 1 << UInt8(i & 7) }
        return bits
    }

    /// The codes of a row range re-numbered onto the dictionary entries they use (in order of first use).
    private static func compact(_ codes: ArraySlice<UInt32>, dictionary: [String]) -> ([UInt32], [String]) {
        var map = [UInt32](repeating: .max, count: dictionary.count)
        var used: [String] = []
        let out = codes.map { code -> UInt32 in
            guard code != CSVColumn.nullCode else { return code }
            if map[Int(code)] == .max {
                map[Int(code)] = UInt32(used.count)
                used.append(dictionary[Int(code)])
            }
            return map[Int(code)]
        }
        return (out, used)
    }
}
