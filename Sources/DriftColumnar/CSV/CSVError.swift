/// A problem reading a CSV file: which file, which physical line (1-based) and what went wrong.
///
/// `description` has the form `PATH:LINE: message` (or `PATH: message` when no line applies).
public struct CSVError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file path (or the name given to ``CSVReader/read(bytes:name:forceCategorical:)``).
    public var path: String
    /// The 1-based physical line where the problem is, when one applies.
    public var line: Int?
    /// What went wrong, without the path and line.
    public var message: String

    /// Creates an error for `path`, at `line` when known.
    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `PATH:LINE: message`, or `PATH: message` when `line` is `nil`.
    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }
}
