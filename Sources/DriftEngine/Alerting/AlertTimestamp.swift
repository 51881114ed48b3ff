/// RFC 3339 timestamps from Unix milliseconds, written by hand (no Foundation).
public enum AlertTimestamp {
    /// Go's zero time, which Alertmanager writes as the `endsAt` of a firing alert.
    public static let zero = "0001-01-01T00:00:00Z"

    /// `YYYY-MM-DDTHH:MM:SS[.fff]Z` in UTC, the fraction with trailing zeros removed (as Go's RFC3339Nano
    /// writes it): 0 → `1970-01-01T00:00:00Z`, 1500 → `1970-01-01T00:00:01.5Z`. Negative times are before
    /// 1970 (floor division); years outside 0…9999 are written with as many digits as they need.
    public static func rfc3339(ms: Int64) -> String {
        let msPerDay: Int64 = 86_400_000
        var days = ms / msPerDay, rest = ms % msPerDay
        if rest < 0 { rest += msPerDay; days -= 1 }
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let seconds = rest / 1_000, millis = rest % 1_000
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        var out = (year < 0 ? "-" + pad(-year, 4) : pad(year, 4)) + "-" + pad(month, 2) + "-" + pad(day, 2)
        out += "T" + pad(seconds / 3_600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        if millis != 0 {
            var frac = pad(millis, 3)
            while frac.hasSuffix("0") { frac.removeLast() }
            out += "." + frac
        }
        return out + "Z"
    }
}
