/// Numbers, durations and times as people read them — on the dashboard and in alert messages — by hand (no
/// Foundation) and deterministic: the same value always gives the same text, so pages, charts and messages can be
/// compared byte for byte in tests.
public enum NumberText {
    /// `x` with `digits` significant digits, trailing zeros dropped: fixed notation for 1e-3 ≤ |x| < 1e6
    /// (0.1284 → "0.128", 1234.5 → "1234" with 4 digits), scientific beyond (1.74e-40); "–" for NaN, "∞" / "−∞".
    public static func significant(_ x: Double, digits: Int = 3) -> String {
        if x.isNaN { return "–" }
        if x.isInfinite { return x > 0 ? "∞" : "−∞" }
        if x == 0 { return "0" }
        let magnitude = Self.exponent(abs(x))
        if magnitude >= -3 && magnitude < 6 {
            return fixed(x, decimals: max(0, digits - 1 - magnitude))
        }
        var exponent = magnitude
        var mantissa = x / power10(exponent)
        // Rounding may carry into another digit (9.996e-5 → 1.00e-4).
        if abs((mantissa * power10(digits - 1)).rounded()) >= power10(digits) {
            exponent += 1
            mantissa = x / power10(exponent)
        }
        return fixed(mantissa, decimals: digits - 1) + "e" + (exponent < 0 ? "-" : "") + String(abs(exponent))
    }

    /// `x` rounded to `decimals` places (half away from zero), trailing zeros and a bare point dropped.
    public static func fixed(_ x: Double, decimals: Int) -> String {
        guard x.isFinite else { return significant(x) }
        let scale = power10(decimals)
        let scaled = (abs(x) * scale).rounded()
        guard scaled < 9.0e18 else { return String(Int64(x.rounded())) }
        let units = Int64(scaled)
        var digits = String(units)
        if decimals > 0 {
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
            let cut = digits.index(digits.endIndex, offsetBy: -decimals)
            var fraction = String(digits[cut...])
            while fraction.last == "0" { fraction.removeLast() }
            digits = String(digits[..<cut]) + (fraction.isEmpty ? "" : "." + fraction)
        }
        return (x < 0 && units != 0 ? "-" : "") + digits
    }

    /// An SVG coordinate: one decimal place.
    public static func coordinate(_ x: Double) -> String { fixed(x, decimals: 1) }

    /// A rate as a percentage with up to two significant decimals: 0.0172 → "1.72 %", 0 → "0 %".
    public static func percent(_ rate: Double) -> String {
        guard rate.isFinite else { return significant(rate) }
        let p = rate * 100
        return (p == 0 ? "0" : abs(p) >= 10 ? fixed(p, decimals: 1) : significant(p, digits: 3)) + " %"
    }

    /// A duration in words, with no-break spaces so it never wraps: "45 s", "12 min", "3 h 5 min", "2 d 4 h".
    public static func duration(ms: Int64) -> String {
        let s = max(0, ms) / 1_000
        let text: String
        if s < 60 {
            text = "\(s) s"
        } else if s < 3_600 {
            text = "\(s / 60) min"
        } else if s < 48 * 3_600 {
            let h = s / 3_600, m = s / 60 % 60
            text = m == 0 ? "\(h) h" : "\(h) h \(m) min"
        } else {
            let d = s / 86_400, h = s / 3_600 % 24
            text = h == 0 ? "\(d) d" : "\(d) d \(h) h"
        }
        return text.replacingSpaces
    }

    /// "2026-12-04 10:00 UTC" (seconds when they are not zero).
    public static func time(ms: Int64) -> String {
        let iso = AlertTimestamp.rfc3339(ms: ms)
        guard iso.count >= 19 else { return iso }
        let date = iso.prefix(10), clock = iso.dropFirst(11).prefix(8)
        return date + " " + (clock.hasSuffix(":00") ? String(clock.prefix(5)) : String(clock)) + " UTC"
    }

    /// A short axis label: "12-04 10:00".
    public static func shortTime(ms: Int64) -> String {
        let iso = AlertTimestamp.rfc3339(ms: ms)
        guard iso.count >= 16 else { return iso }
        return String(iso.dropFirst(5).prefix(5)) + " " + String(iso.dropFirst(11).prefix(5))
    }

    /// ⌊log10 |x|⌋ for finite x > 0, exactly at powers of ten.
    public static func exponent(_ x: Double) -> Int {
        var e = Int(Double(x.exponent) * 0.30102999566398120)
        while power10(e) > x { e -= 1 }
        while power10(e + 1) <= x { e += 1 }
        return e
    }

    /// 10^e as a Double (exact for 0 ≤ e ≤ 22).
    public static func power10(_ e: Int) -> Double {
        var r = 1.0
        let base = e < 0 ? 0.1 : 10.0
        if e >= 0 {
            for _ in 0..<e { r *= base }
            return r
        }
        var d = 1.0
        for _ in 0..<(-e) { d *= 10 }
        return 1 / d
    }
}

extension String {
    /// Spaces as no-break spaces (U+00A0).
    public var replacingSpaces: String { String(map { $0 == " " ? "\u{00A0}" : $0 }) }
}
