import DriftClient

/// Why a load test could not run; `clientError` is set when the server or connection said so.
public struct LoadError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var clientError: DriftClientError?
    /// What was being done when `clientError` happened ("upload the baseline of load-8f").
    public var action: String?

    public init(_ message: String) { self.message = message }

    public init(_ error: DriftClientError, while action: String? = nil) {
        clientError = error
        self.action = action
        message = action.map { "cannot \($0): \(error.message)" } ?? error.message
    }

    public var description: String { message }
}
