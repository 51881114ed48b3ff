/// A configuration (or matcher, or silence) that cannot be used, with the key path of the offending value,
/// e.g. `route.routes[1].group_wait`.
public struct AlertConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Dotted key path with `[i]` array indices; "" when the error is not tied to a place in a tree.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// The same error one level further down, under `prefix`.
    public func under(_ prefix: String) -> AlertConfigError {
        AlertConfigError(path: path.isEmpty ? prefix : (path.hasPrefix("[") ? prefix + path : prefix + "." + path),
                         message: message)
    }
}
