/// One column of a parsed CSV file, stored column-wise.
///
/// Numeric columns hold one `Double` per row (null is `Double.nan`); all other columns are
/// dictionary-encoded: `codes[row]` indexes `dictionary`, and ``CSVColumn/nullCode`` marks a null field.
public enum CSVColumn: Sendable {
    /// Numeric column; null (empty field or a null token) is stored as `Double.nan`.
    case numeric(name: String, values: [Double])
    /// Any other column; codes index `dictionary`; ``CSVColumn/nullCode`` (`UInt32.max`) marks null.
    ///
    /// Dictionary entries are listed in order of first appearance (within a ``CSVPair``: baseline
    /// first, then values that only occur in the current file).
    case categorical(name: String, codes: [UInt32], dictionary: [String])

    /// The code that marks a null value in a categorical column.
    public static let nullCode: UInt32 = .max

    /// The column's header name (trimmed of ASCII spaces).
    public var name: String {
        switch self {
        case .numeric(let name, _): return name
        case .categorical(let name, _, _): return name
        }
    }

    /// The number of rows in the column.
    public var count: Int {
        switch self {
        case .numeric(_, let values): return values.count
        case .categorical(_, let codes, _): return codes.count
        }
    }

}
