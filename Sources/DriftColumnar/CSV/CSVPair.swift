/// Two files prepared for a column-by-column comparison.
///
/// `baseline` and `current` hold the same columns (those present in both files), in the baseline's
/// header order, with the same kind in both; categorical columns of the pair share one dictionary,
/// so a code means the same string in both tables.
public struct CSVPair: Sendable {
    /// The baseline file's shared columns.
    public var baseline: CSVTable
    /// The current file's shared columns, in the same order and of the same kinds as `baseline`.
    public var current: CSVTable
    /// Columns present only in the baseline file, in its header order.
    public var onlyInBaseline: [String]
    /// Columns present only in the current file, in its header order.
    public var onlyInCurrent: [String]

    /// Creates a pair from already aligned tables.
    public init(baseline: CSVTable, current: CSVTable, onlyInBaseline: [String], onlyInCurrent: [String]) {
        self.baseline = baseline
        self.current = current
        self.onlyInBaseline = onlyInBaseline
        self.onlyInCurrent = onlyInCurrent
    }

    /// Reads both files; a column numeric in one file and categorical in the other becomes categorical
    /// in both (the numeric side's text kept verbatim); categorical columns of the pair share ONE
    /// dictionary (same string -> same code in both tables).
    /// - Throws: ``CSVError`` from either file.
    public static func load(baseline: String, current: String, reader: CSVReader = .init()) throws(CSVError) -> CSVPair {
        let baselineTable = try reader.read(path: baseline)
        let currentTable = try reader.read(path: current)
        return try combine(baselineTable, currentTable) { (isBaseline, names) throws(CSVError) -> CSVTable in
            try reader.read(path: isBaseline ? baseline : current, forceCategorical: names, onlyColumns: names)
        }
    }

    /// Aligns two tables. `reread(isBaseline, names)` must return that file's columns `names` read as
    /// categorical; it is called only when a column's kind differs between the files.
    static func combine(
        _ baselineTable: CSVTable, _ currentTable: CSVTable,
        reread: (Bool, Set<String>) throws(CSVError) -> CSVTable
    ) throws(CSVError) -> CSVPair {
        var baseColumns = baselineTable.columns
        var currentColumns = currentTable.columns
        var currentIndex: [String: Int] = [:]
        for (i, column) in currentColumns.enumerated() { currentIndex[column.name] = i }
        let baselineNames = Set(baseColumns.map(\.name))

        var common: [(Int, Int)] = []
        var onlyInBaseline: [String] = []
        for (i, column) in baseColumns.enumerated() {
            if let j = currentIndex[column.name] { common.append((i, j)) } else { onlyInBaseline.append(column.name) }
        }
        let onlyInCurrent = currentColumns.map(\.name).filter { !baselineNames.contains($0) }

        // Kind mismatches: re-read the numeric side's text as categorical.
        var rereadBaseline: Set<String> = []
        var rereadCurrent: Set<String> = []
        for (i, j) in common {
            switch (baseColumns[i], currentColumns[j]) {
            case (.numeric, .categorical): rereadBaseline.insert(baseColumns[i].name)
            case (.categorical, .numeric): rereadCurrent.insert(currentColumns[j].name)
            default: break
            }
        }
        if !rereadBaseline.isEmpty {
            try replace(&baseColumns, with: reread(true, rereadBaseline))
        }
        if !rereadCurrent.isEmpty {
            try replace(&currentColumns, with: reread(false, rereadCurrent))
        }

        var alignedBase: [CSVColumn] = []
        var alignedCurrent: [CSVColumn] = []
        alignedBase.reserveCapacity(common.count)
        alignedCurrent.reserveCapacity(common.count)
        for (i, j) in common {
            let (b, c) = shareDictionary(baseColumns[i], currentColumns[j])
            alignedBase.append(b)
            alignedCurrent.append(c)
        }
        return CSVPair(
            baseline: CSVTable(columns: alignedBase, rowCount: baselineTable.rowCount),
            current: CSVTable(columns: alignedCurrent, rowCount: currentTable.rowCount),
            onlyInBaseline: onlyInBaseline, onlyInCurrent: onlyInCurrent)
    }

    private static func replace(_ columns: inout [CSVColumn], with table: CSVTable) {
        var byName: [String: CSVColumn] = [:]
        for column in table.columns { byName[column.name] = column }
        for i in columns.indices {
            if let replacement = byName[columns[i].name] { columns[i] = replacement }
        }
    }

    /// Re-encodes the current column's codes against the baseline's dictionary, extended with the
    /// current-only values (in their order of first appearance).
    private static func shareDictionary(_ base: CSVColumn, _ current: CSVColumn) -> (CSVColumn, CSVColumn) {
        guard case .categorical(let name, let baseCodes, let baseDictionary) = base,
              case .categorical(let currentName, let currentCodes, let currentDictionary) = current
        else { return (base, current) }
        var dictionary = baseDictionary
        var index: [String: UInt32] = [:]
        index.reserveCapacity(baseDictionary.count + currentDictionary.count)
        for (code, value) in baseDictionary.enumerated() { index[value] = UInt32(code) }
        let map: [UInt32] = currentDictionary.map { value in
            if let code = index[value] { return code }
            let code = UInt32(dictionary.count)
            dictionary.append(value)
            index[value] = code
            return code
        }
        let codes = map.withUnsafeBufferPointer { map in
            currentCodes.map { $0 == CSVColumn.nullCode ? $0 : map[Int($0)] }
        }
        return (
            .categorical(name: name, codes: baseCodes, dictionary: dictionary),
            .categorical(name: currentName, codes: codes, dictionary: dictionary)
        )
    }
}
