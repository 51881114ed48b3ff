import DriftEngine

/// Links into driftd's dashboard: `<base>/sources/<source>` and `<base>/sources/<source>/features/<feature>`,
/// each name percent-encoded (everything but RFC 3986's unreserved characters), so a name cannot change the
/// path, add a query, or break out of a Slack `<url|label>` or an HTML attribute.
public struct DashboardLinks: Sendable, Equatable {
    /// The dashboard's base URL without trailing slashes (e.g. `http://127.0.0.1:7401`).
    public var base: String

    public init(base: String) {
        var b = Substring(base)
        while b.hasSuffix("/") { b.removeLast() }
        self.base = String(b)
    }

    public func source(_ source: String) -> String {
        base + "/sources/" + Self.percentEncoded(source)
    }

    public func feature(_ feature: String, of source: String) -> String {
        self.source(source) + "/features/" + Self.percentEncoded(feature)
    }

    /// The page of an alert: its feature's when it has one, else its source's.
    public func page(of alert: Alert) -> String {
        let feature = alert[label: Alert.featureLabel]
        let source = alert[label: Alert.sourceLabel]
        return feature.isEmpty ? self.source(source) : self.feature(feature, of: source)
    }

    /// UTF-8 bytes outside `A-Z a-z 0-9 - . _ ~` as `%XX` (upper-case hex).
    public static func percentEncoded(_ s: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.append(b)
            default:
                out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
