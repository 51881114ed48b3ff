/// A secret value (webhook URL, Slack `api_url`, SMTP password). Its `description` and `debugDescription` are
/// `<secret>`, so interpolating or logging it by accident never shows the value; read ``value`` on purpose.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret text itself.
    public let value: String

    public init(_ value: String) { self.value = value }

    public var description: String { "<secret>" }
    public var debugDescription: String { "<secret>" }
}
