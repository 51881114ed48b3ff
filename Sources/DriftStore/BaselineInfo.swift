/// How a baseline was made: uploaded once (`fixed`) or built from the trailing windows of the source (`rolling`).
public enum BaselineKind: UInt8, Sendable, Equatable, CaseIterable {
    case fixed = 0
    case rolling = 1
}

/// One stored baseline version without its state blob, as `listBaselines` returns it.
public struct BaselineInfo: Sendable, Equatable {
    public var id: UInt64
    public var rows: UInt64
    public var createdMilliseconds: Int64
    public var kind: BaselineKind
    /// This version is the source's current baseline.
    public var isCurrent: Bool
    /// This version was current before the last promotion: `rollbackBaseline` returns to it.
    public var isPrevious: Bool

    public init(id: UInt64, rows: UInt64, createdMilliseconds: Int64, kind: BaselineKind,
                isCurrent: Bool, isPrevious: Bool) {
        self.id = id
        self.rows = rows
        self.createdMilliseconds = createdMilliseconds
        self.kind = kind
        self.isCurrent = isCurrent
        self.isPrevious = isPrevious
    }
}
