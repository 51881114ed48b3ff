/// A secret that cannot be resolved at send time (unset variable, unreadable file). The message names the
/// variable or file, never a secret value.
public struct SecretError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(message: String) { self.message = message }

    public var description: String { message }
}
