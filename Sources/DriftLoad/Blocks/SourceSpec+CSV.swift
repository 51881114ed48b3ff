import DriftColumnar
import DriftWire

extension SourceSpec {
    /// A source definition inferred from a CSV table: numeric columns become float64 features, all others
    /// categorical; no policy overrides. A convenience for `driftctl source create --from-csv`.
    public static func inferred(name: String, from table: CSVTable) -> SourceSpec {
        SourceSpec(name: name, features: table.columns.map { column in
            switch column {
            case .numeric(let n, _): FeatureSpec(name: n, type: FeatureType.float64.wireValue)
            case .categorical(let n, _, _): FeatureSpec(name: n, type: FeatureType.categorical.wireValue)
            }
        })
    }
}
