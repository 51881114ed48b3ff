/// Bin counts of a numeric feature on a baseline's frozen bins: a join-semilattice, so merging is associative
/// and commutative. `empty` (no row folded yet) joins into anything; two tags of the same baseline add their
/// counts; anything else — another baseline's tag, or rows folded without frozen bins — is `dropped`, and the
/// counts are then recomputed at report time from the kept values.
enum WindowBinCounts: Sendable, Equatable {
    case empty
    /// Counts of all non-null rows folded, on the frozen bins of baseline `baselineId` (one per bin, tails included).
    case tagged(baselineId: UInt64, counts: [UInt64])
    case dropped

    func joined(with other: WindowBinCounts, selfEmpty: Bool, otherEmpty: Bool) -> WindowBinCounts {
        // A state with rows folded is never `empty` (fold moves it to tagged or dropped); the flags guard the
        // case of a state whose feature saw no row.
        switch (self, other) {
        case (_, .empty) where otherEmpty: return self
        case (.empty, _) where selfEmpty: return other
        case let (.tagged(a, x), .tagged(b, y)) where a == b && x.count == y.count:
            return .tagged(baselineId: a, counts: zip(x, y).map { $0 &+ $1 })
        default: return .dropped
        }
    }
}
