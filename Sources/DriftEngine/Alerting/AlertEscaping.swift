/// Escaping of user-supplied strings (source and feature names, annotations) for each receiver context.
/// Pure string functions; every receiver must pass every user string through the one for its context.
public enum AlertEscaping {
    /// Slack mrkdwn text: `&`, `<`, `>` become `&amp;`, `&lt;`, `&gt;` — Slack's documented escaping
    /// ("Formatting text for app surfaces"), which is what stops a name from forming a link, a mention
    /// (`<!channel>`, `<@U123>`) or a fake `<url|label>`. Control characters (CR, LF, tab, other C0, DEL) become
    /// a space, so a name cannot start a line of its own. Formatting characters (`*`, `_`, `~`, `` ` ``) are
    /// left as they are: Slack has no escape for them, and at worst they change the emphasis of the name.
    public static func slackMrkdwn(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case _ where isControl(u): out += " "
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// HTML text or attribute value (quoted): `&`, `<`, `>`, `"`, `'` become `&amp;`, `&lt;`, `&gt;`, `&quot;`,
    /// `&#39;`. Other characters, non-ASCII included, are kept (the document is UTF-8).
    public static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// An email header value (e.g. the Subject) that cannot inject headers: control characters — CR and LF
    /// above all — become spaces. Printable ASCII text is returned as is; text with non-ASCII characters (or
    /// with "=?", which a mail reader would take for an encoded word) becomes RFC 2047 encoded words
    /// `=?UTF-8?B?<base64>?=`, each at most 75 characters and never splitting a character, separated by one
    /// space (whitespace between encoded words is not displayed). The result has no CR or LF; folding long
    /// headers is the mail writer's business.
    public static func emailHeaderValue(_ s: String) -> String {
        var clean = ""
        for u in s.unicodeScalars { if isControl(u) { clean += " " } else { clean.unicodeScalars.append(u) } }
        if clean.unicodeScalars.allSatisfy({ $0.isASCII }) && !clean.contains("=?") { return clean }
        // "=?UTF-8?B?" + "?=" is 12 characters; 63 base64 characters hold at most 45 bytes, so ≤ 45 bytes per word.
        var words: [String] = []
        var chunk: [UInt8] = []
        for ch in clean.unicodeScalars {
            let bytes = Array(String(ch).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?" + base64(chunk) + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + base64(chunk) + "?=") }
        return words.joined(separator: " ")
    }

    /// Standard base64 (RFC 4648 §4) with padding.
    public static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let n = b0 << 16 | b1 << 8 | b2
            out.append(table[Int(n >> 18 & 63)])
            out.append(table[Int(n >> 12 & 63)])
            out.append(i + 1 < bytes.count ? table[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? table[Int(n & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// C0 controls, DEL, C1 controls, and the Unicode line/paragraph separators.
    static func isControl(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0) || u.value == 0x2028 || u.value == 0x2029
    }
}
