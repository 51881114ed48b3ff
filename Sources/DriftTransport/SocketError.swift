import Glibc

/// A failed system call: the operation that failed and its `errno`.
///
/// Every syscall result in `DriftTransport` goes through `SocketError.check(_:_:)`, the one place where
/// errno is read and turned into an error.
public struct SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `errno` value at the time of the failure (or `EINVAL` for a bad argument caught before any call).
    public var errno: Int32
    /// What was being done, for example `"bind 127.0.0.1:8080"`.
    public var operation: String

    public init(errno: Int32, operation: String) {
        self.errno = errno
        self.operation = operation
    }

    /// `"bind 127.0.0.1:80: Permission denied (errno 13)"`.
    public var description: String {
        "\(operation): \(SocketError.message(for: errno)) (errno \(errno))"
    }

    /// The `strerror` text for `code`, copied into a Swift string at once.
    static func message(for code: Int32) -> String {
        guard let text = strerror(code) else { return "unknown error" }
        return String(cString: text)
    }

    /// Returns `result` when it is not -1, else throws a `SocketError` with the current `errno`.
    @discardableResult
    static func check<T: BinaryInteger>(_ result: T, _ operation: @autoclosure () -> String) throws(SocketError) -> T {
        if result == -1 { throw SocketError(errno: Glibc.errno, operation: operation()) }
        return result
    }
}
