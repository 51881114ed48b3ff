import DriftEngine

/// RFC 5322 `Date:` values (`Fri, 04 Dec 2026 18:49:05 +0000`) from Unix milliseconds, in UTC.
enum EmailDate {
    static func rfc5322(ms: Int64) -> String {
        // The civil date comes from AlertTimestamp (one calendar implementation): "YYYY-MM-DDTHH:MM:SS…Z".
        let iso = Array(AlertTimestamp.rfc3339(ms: ms).utf8)
        guard iso.count >= 19, iso[4] == UInt8(ascii: "-") else { return "Thu, 01 Jan 1970 00:00:00 +0000" }
        let text = String(decoding: iso, as: UTF8.self)
        func part(_ from: Int, _ to: Int) -> Substring {
            text[text.index(text.startIndex, offsetBy: from)..<text.index(text.startIndex, offsetBy: to)]
        }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
        var days = ms / 86_400_000
        if ms % 86_400_000 < 0 { days -= 1 }
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        let month = months[(Int(part(5, 7)) ?? 1) - 1]
        return "\(weekday), \(part(8, 10)) \(month) \(part(0, 4)) \(part(11, 19)) +0000"
    }
}
