/// Why a ``BaselineBuilder`` refused its features or a block. A refused block leaves the builder as it was.
public enum BaselineBuilderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two features share a name.
    case duplicateFeature(String)
    /// A feature's sample cap is below 1.
    case invalidCap(feature: String, cap: Int)
    /// A block carries `got` columns for `expected` features.
    case columnCount(expected: Int, got: Int)
    /// A column's kind is not its feature's ("float32", "float64", "categorical").
    case kindMismatch(feature: String, expected: String, got: String)
    /// A column's length (or its validity bitmap's) differs from the block's first column.
    case rowCountMismatch(feature: String, expected: Int, got: Int)
    /// A categorical code outside the block's dictionary.
    case codeOutOfRange(feature: String, message: String)

    public var description: String {
        switch self {
        case .duplicateFeature(let f): "feature \(f) is declared twice"
        case .invalidCap(let f, let cap): "feature \(f): the sample cap must be at least 1, got \(cap)"
        case .columnCount(let e, let g): "a block needs one column per feature: \(e) features, \(g) columns"
        case .kindMismatch(let f, let e, let g): "feature \(f) is \(e), the block's column is \(g)"
        case .rowCountMismatch(let f, let e, let g): "column \(f) has \(g) rows, the block has \(e)"
        case .codeOutOfRange(let f, let m): "column \(f): \(m)"
        }
    }
}
