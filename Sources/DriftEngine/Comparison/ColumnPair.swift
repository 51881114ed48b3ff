/// One feature as it appears in a baseline and in a current sample, ready to compare.
public enum ColumnPair: Sendable {
    /// NaN is null.
    case numeric(name: String, baseline: [Double], current: [Double])
    /// Codes into one dictionary shared by both sides; `CategoryCounts.nullCode` is null.
    case categorical(name: String, baseline: [UInt32], current: [UInt32], dictionarySize: Int)

    public var name: String {
        switch self {
        case .numeric(let name, _, _), .categorical(let name, _, _, _): return name
        }
    }
}
