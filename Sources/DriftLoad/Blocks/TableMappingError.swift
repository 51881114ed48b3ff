/// A CSV table that does not fit a source's features; `description` names the file, column and value.
public struct TableMappingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
