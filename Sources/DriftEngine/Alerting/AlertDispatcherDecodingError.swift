/// Why ``AlertDispatcher/decode(_:config:)`` refused its bytes.
public enum AlertDispatcherDecodingError: Error, Sendable, Equatable {
    /// The bytes do not start with "DALD" (a notification: "DALN").
    case badMagic
    /// A format version this build does not read.
    case unsupportedVersion(UInt16)
    /// The bytes end inside a value.
    case truncated
    /// A string is not valid UTF-8.
    case invalidUTF8
    /// An unknown matcher operator code.
    case invalidOperator(UInt8)
    /// A stored matcher does not compile (its message).
    case invalidMatcher(String)
    /// Bytes after the end of the state.
    case trailingBytes
}
