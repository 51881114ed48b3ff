/// Typed reads of a configuration tree with errors that name the key path (the parsers' helpers, public for the
/// receiver integrations of DriftNotify).
extension AlertConfigValue {
    /// The members of an object that has only `allowed` keys.
    public func object(at path: String, allowed: Set<String>) throws(AlertConfigError) -> [String: AlertConfigValue] {
        guard case .object(let members) = self else {
            throw AlertConfigError(path: path, message: "expected an object, found \(typeName)")
        }
        for key in members.keys.sorted(by: AlertHash.byteOrder) where !allowed.contains(key) {
            throw AlertConfigError(path: Self.join(path, key), message: "unknown key")
        }
        return members
    }

    public func array(at path: String) throws(AlertConfigError) -> [AlertConfigValue] {
        guard case .array(let items) = self else {
            throw AlertConfigError(path: path, message: "expected an array, found \(typeName)")
        }
        return items
    }

    public func string(at path: String) throws(AlertConfigError) -> String {
        guard case .string(let s) = self else {
            throw AlertConfigError(path: path, message: "expected a string, found \(typeName)")
        }
        return s
    }

    public func bool(at path: String) throws(AlertConfigError) -> Bool {
        guard case .bool(let b) = self else {
            throw AlertConfigError(path: path, message: "expected true or false, found \(typeName)")
        }
        return b
    }

    public func stringArray(at path: String) throws(AlertConfigError) -> [String] {
        var out: [String] = []
        for (i, item) in try array(at: path).enumerated() { out.append(try item.string(at: "\(path)[\(i)]")) }
        return out
    }

    /// A list of matcher strings such as `severity="critical"` (``Matcher/parse(_:)``).
    func matchers(at path: String) throws(AlertConfigError) -> [Matcher] {
        var out: [Matcher] = []
        for (i, text) in try stringArray(at: path).enumerated() {
            do { out.append(try Matcher.parse(text)) } catch { throw error.under("\(path)[\(i)]") }
        }
        return out
    }

    /// A Prometheus duration string (``AlertDuration/parse(_:)``) in ms.
    func duration(at path: String) throws(AlertConfigError) -> Int64 {
        let text = try string(at: path)
        guard let ms = AlertDuration.parse(text) else {
            throw AlertConfigError(path: path, message: "invalid duration \"\(text)\" (e.g. 30s, 5m, 4h, 1h30m)")
        }
        return ms
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
