/// Why a ``WindowState`` operation was refused. Every refusal leaves the state unchanged.
public enum WindowStateError: Error, Equatable, Sendable {
    /// A block with another number of columns than the window has features.
    case columnCount(expected: Int, got: Int)
    /// A column of another kind than its feature.
    case kindMismatch(feature: String, expected: String, got: String)
    /// A column (or its validity bitmap) of another length than the block's first column.
    case rowCountMismatch(feature: String, expected: Int, got: Int)
    /// A row index outside the block, or row indices not strictly ascending.
    case invalidRows(String)
    /// A categorical code outside its block's dictionary (and not the null code).
    case codeOutOfRange(feature: String, code: UInt32, dictionarySize: Int)
    /// Two states of different windows: other features, value cap or correlation pairs.
    case incompatible(String)
    /// Decoding: fewer bytes remain than the field at `offset` needs (including declared lengths larger than the blob).
    case truncated(offset: Int)
    /// Decoding: the blob does not start with "DWS1".
    case badMagic
    /// Decoding: a format version this build does not read.
    case unsupportedVersion(UInt16)
    /// Decoding: well-formed bytes whose contents contradict each other.
    case invalid(String)
}

extension WindowStateError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .columnCount(let expected, let got): "the block has \(got) columns, the window \(expected) features"
        case .kindMismatch(let feature, let expected, let got): "feature \"\(feature)\" is \(expected), the block's column \(got)"
        case .rowCountMismatch(let feature, let expected, let got):
            "feature \"\(feature)\": \(got) rows (column or validity bitmap) where the block has \(expected)"
        case .invalidRows(let message): "invalid row selection: \(message)"
        case .codeOutOfRange(let feature, let code, let size):
            "feature \"\(feature)\": code \(code) outside its block's dictionary of \(size) entries"
        case .incompatible(let message): "window states do not match: \(message)"
        case .truncated(let offset): "window state truncated at byte \(offset)"
        case .badMagic: "not a window state (magic is not \"DWS1\")"
        case .unsupportedVersion(let v): "window state format version \(v) is not supported"
        case .invalid(let message): "invalid window state: \(message)"
        }
    }
}
