import DriftColumnar
import DriftWire
import Testing
@testable import DriftLoad

@Suite("TableColumns: CSV tables onto source features")
struct TableColumnsTests {
    static func table(_ text: String, categorical: Set<String> = []) throws -> CSVTable {
        try CSVReader().read(bytes: Array(text.utf8), name: "t.csv", forceCategorical: categorical)
    }

    static let source = SourceSpec(name: "s", features: [
        FeatureSpec(name: "x", type: FeatureType.float64.wireValue),
        FeatureSpec(name: "y", type: FeatureType.float32.wireValue),
        FeatureSpec(name: "n", type: FeatureType.int64.wireValue),
        FeatureSpec(name: "b", type: FeatureType.bool.wireValue),
        FeatureSpec(name: "c", type: FeatureType.categorical.wireValue),
    ])

    static let csv = """
        c,x,extra,y,n,b
        01,1.5,q,2.5,3,true
        02,,q,NA,,false
        01,-2,q,1e3,-7,
        03,4,q,5,8,TRUE

        """

    @Test("columns by name in the source's order, typed as the source says; undeclared columns ignored")
    func mapping() throws {
        let t = try Self.table(Self.csv, categorical: TableColumns.categoricalNames(of: Self.source))
        let cols = try TableColumns(table: t, source: Self.source, fileName: "t.csv")
        #expect(cols.rowCount == 4)
        #expect(cols.ignoredColumns == ["extra"])
        #expect(cols.bytesPerRow == 8 + 4 + 9 + 2 + 4)
        let block = try ColumnBlockDecoder().decode(try cols.encoder(rows: 0..<4).encode())
        #expect(block.columns.map(\.name) == ["x", "y", "n", "b", "c"])
        #expect(block.columns.map(\.type) == [.float64, .float32, .int64, .bool, .categorical])
        let x = block.column(named: "x")!.withFloat64Values { Array($0) }!
        #expect(x[0] == 1.5 && x[1].isNaN && x[2] == -2 && x[3] == 4)
        let y = block.column(named: "y")!.withFloat32Values { Array($0) }!
        #expect(y[0] == 2.5 && y[1].isNaN && y[2] == 1000)
        let n = block.column(named: "n")!
        #expect(n.withInt64Values { Array($0) }! == [3, 0, -7, 8])
        #expect((0..<4).map { n.validity!.isValid($0) } == [true, false, true, true])
        let b = block.column(named: "b")!
        #expect(b.withBoolValues { Array($0) }! == [1, 0, 0, 1])
        #expect((0..<4).map { b.validity!.isValid($0) } == [true, true, false, true])
        let c = block.column(named: "c")!
        #expect(c.dictionary == ["01", "02", "03"])   // numeric-looking text kept verbatim
        #expect(c.withCategoricalCodes { Array($0) }! == [0, 1, 0, 2])
    }

    @Test("a row range carries only the categories it uses; no validity when the range has no nulls")
    func ranges() throws {
        let t = try Self.table(Self.csv, categorical: ["c"])
        let cols = try TableColumns(table: t, source: Self.source, fileName: "t.csv")
        let block = try ColumnBlockDecoder().decode(try cols.encoder(rows: 2..<4, floatEncoding: .byteStreamSplit).encode())
        #expect(block.rowCount == 2)
        let c = block.column(named: "c")!
        #expect(c.dictionary == ["01", "03"] && c.withCategoricalCodes { Array($0) }! == [0, 1])
        #expect(block.column(named: "n")!.validity == nil)
        #expect(block.column(named: "x")!.encoding == .byteStreamSplit)
    }

    @Test("errors name the file, the column and the value")
    func errors() throws {
        let missing = SourceSpec(name: "s", features: [FeatureSpec(name: "zzz", type: 2)])
        let t = try Self.table(Self.csv, categorical: ["c"])
        #expect(throws: TableMappingError("t.csv has no column 'zzz' (a float64 feature of source s)")) {
            try TableColumns(table: t, source: missing, fileName: "t.csv")
        }
        let notNumeric = SourceSpec(name: "s", features: [FeatureSpec(name: "extra", type: 2)])
        #expect(throws: TableMappingError("t.csv: column 'extra' is not numeric (it holds 'q'), but the feature is float64")) {
            try TableColumns(table: t, source: notNumeric, fileName: "t.csv")
        }
        let fractional = SourceSpec(name: "s", features: [FeatureSpec(name: "x", type: 3)])
        #expect(throws: TableMappingError("t.csv: column 'x', data row 1: 1.5 is not an integer (feature type int64)")) {
            try TableColumns(table: t, source: fractional, fileName: "t.csv")
        }
        let notBool = SourceSpec(name: "s", features: [FeatureSpec(name: "n", type: 4)])
        #expect(throws: TableMappingError.self) { try TableColumns(table: t, source: notBool, fileName: "t.csv") }
        let unknownType = SourceSpec(name: "s", features: [FeatureSpec(name: "x", type: 42)])
        #expect(throws: TableMappingError.self) { try TableColumns(table: t, source: unknownType, fileName: "t.csv") }
    }

    @Test("schema inference: numeric columns float64, the others categorical")
    func inference() throws {
        let t = try Self.table("a,b,c\n1,x,2\n2,y,\n")
        let spec = SourceSpec.inferred(name: "inf", from: t)
        #expect(spec == SourceSpec(name: "inf", features: [
            FeatureSpec(name: "a", type: 2), FeatureSpec(name: "b", type: 5), FeatureSpec(name: "c", type: 2),
        ]))
        for type in FeatureType.allCases {
            #expect(FeatureType(wireValue: type.wireValue) == type && FeatureType(name: type.rawValue) == type)
        }
        #expect(FeatureType.float32.wireValue == 1 && FeatureType.timestampMs.wireValue == 6)
        #expect(FeatureType.name(ofWireValue: 9) == "type 9")
    }
}
