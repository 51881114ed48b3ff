#if canImport(Glibc)
import Glibc
#endif
import DriftEngine

/// Where a secret comes from, as configured: the value itself, `"env:NAME"` (an environment variable), or a
/// file (the `*_file` keys; one trailing newline — LF or CRLF — is trimmed).
///
/// Secrets are resolved at send time, on every attempt: rotating a secret file or variable takes effect at the
/// next delivery without a restart, and a file missing at startup is a permanent delivery error of that
/// integration rather than a startup failure. Errors name the key path and the file or variable name, never
/// the value.
public enum SecretReference: Sendable, Equatable, CustomStringConvertible {
    case literal(Secret)
    case environment(String)
    case file(String)

    /// Secret files larger than this are refused (a secret is a line, not a document).
    static let maxFileBytes = 64 * 1024

    /// `value` is the plain key (e.g. `url`), `fileValue` the `*_file` key; exactly one must be present.
    static func parse(value: AlertConfigValue?, fileValue: AlertConfigValue?, path: String, key: String,
                      fileKey: String) throws(AlertConfigError) -> SecretReference {
        switch (value, fileValue) {
        case (nil, nil):
            throw AlertConfigError(path: path + "." + key, message: "missing (or set \(fileKey))")
        case (.some, .some):
            throw AlertConfigError(path: path + "." + fileKey, message: "\(key) and \(fileKey) are exclusive")
        case (let v?, nil):
            let text = try v.string(at: path + "." + key)
            if text.hasPrefix("env:") {
                let name = String(text.dropFirst(4))
                if name.isEmpty || name.contains("=") {
                    throw AlertConfigError(path: path + "." + key, message: "invalid environment variable name")
                }
                return .environment(name)
            }
            if text.isEmpty { throw AlertConfigError(path: path + "." + key, message: "empty") }
            return .literal(Secret(text))
        case (nil, let f?):
            let file = try f.string(at: path + "." + fileKey)
            if file.isEmpty { throw AlertConfigError(path: path + "." + fileKey, message: "empty path") }
            return .file(file)
        }
    }

    /// The secret now. `environment` looks a variable up (the process environment in production).
    public func resolve(environment: (String) -> String?) throws(SecretError) -> Secret {
        switch self {
        case .literal(let s):
            return s
        case .environment(let name):
            guard let v = environment(name), !v.isEmpty else {
                throw SecretError(message: "environment variable \(name) is not set")
            }
            return Secret(v)
        case .file(let path):
            let text = try Self.readFile(path)
            if text.isEmpty { throw SecretError(message: "secret file \(path) is empty") }
            return Secret(text)
        }
    }

    /// Where the secret comes from, without its value.
    public var description: String {
        switch self {
        case .literal: "<secret>"
        case .environment(let name): "env:\(name)"
        case .file(let path): "file \(path)"
        }
    }

    private static func readFile(_ path: String) throws(SecretError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw SecretError(message: "cannot read secret file \(path) (errno \(errno))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SecretError(message: "cannot read secret file \(path) (errno \(errno))")
            }
            if n == 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > maxFileBytes { throw SecretError(message: "secret file \(path) is too large") }
        }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
