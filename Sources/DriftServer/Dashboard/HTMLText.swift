import DriftEngine

/// Escaping for the dashboard, one function per context: HTML text and quoted attribute values (`&`, `<`, `>`,
/// `"`, `'` as entities — the same table as alert e-mails), URL path segments (percent-encoding of everything but
/// RFC 3986's unreserved characters, so `/`, `?`, `#` and `%` in a name stay inside its segment) and JSON inside a
/// `<script>` (``JSONText``'s strings escape `<`, `>`, `&`).
enum HTMLText {
    /// For element text and double- or single-quoted attribute values.
    static func escape(_ s: String) -> String { AlertEscaping.html(s) }

    /// One path segment, percent-encoded byte by byte (UTF-8), matching `HTTPRequest.pathSegments` decoding.
    static func pathSegment(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self)
            }
        }
        return out
    }

    /// A query value: as a path segment (unreserved characters only), so `&`, `=` and `+` are encoded too.
    static func queryValue(_ s: String) -> String { pathSegment(s) }

    /// `/sources/{name}`, escaped for an `href`.
    static func sourcePath(_ source: String) -> String { "/sources/" + pathSegment(source) }

    /// `/sources/{name}/features/{feature}`, escaped for an `href`.
    static func featurePath(_ source: String, _ feature: String) -> String {
        sourcePath(source) + "/features/" + pathSegment(feature)
    }
}
