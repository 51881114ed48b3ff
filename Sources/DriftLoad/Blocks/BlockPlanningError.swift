/// A table that cannot be cut into blocks the server accepts.
public struct BlockPlanningError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
