import DriftEngine

/// Reads shared by the integration parsers.
enum IntegrationReading {
    /// A non-negative integer (JSON numbers are Doubles).
    static func count(_ value: AlertConfigValue, at path: String) throws(AlertConfigError) -> Int {
        guard case .number(let d) = value, d >= 0, d <= 1_000_000, d == d.rounded() else {
            throw AlertConfigError(path: path, message: "expected a non-negative integer, found \(value.typeName)")
        }
        return Int(d)
    }

    /// A literal URL must be http(s); file and environment secrets are checked when they are read.
    static func checkHTTPURL(_ reference: SecretReference, path: String) throws(AlertConfigError) {
        if case .literal(let secret) = reference, !isHTTPURL(secret.value) {
            throw AlertConfigError(path: path, message: "expected an http:// or https:// URL")
        }
    }

    /// `http://` or `https://` (any case) followed by something, without whitespace or control characters.
    static func isHTTPURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") { rest = lower.dropFirst(8) }
        else if lower.hasPrefix("http://") { rest = lower.dropFirst(7) }
        else { return false }
        return !rest.isEmpty && !text.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F }
    }

    static func trimmed(_ s: String) -> String {
        var sub = Substring(s)
        while sub.first == " " || sub.first == "\t" { sub.removeFirst() }
        while sub.last == " " || sub.last == "\t" { sub.removeLast() }
        return String(sub)
    }
}
