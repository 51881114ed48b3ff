/// Number formatting for reports (no Foundation): fixed decimals, significant digits, thousands.
public enum Format {
    /// `x` with `decimals` digits after the point (rounded half away from zero); "-" for nil, "inf"/"nan" spelled.
    public static func fixed(_ x: Double?, _ decimals: Int) -> String {
        guard let x else { return "-" }
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        guard scaled < 9e18 else { return "\(x)" }
        let n = UInt64(scaled)
        var digits = String(n)
        if decimals > 0 {
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return (x < 0 && n != 0 ? "-" : "") + digits
    }

    /// `x` with about `digits` significant digits: fixed notation between 1e-4 and 1e9, else scientific.
    public static func significant(_ x: Double?, _ digits: Int = 3) -> String {
        guard let x else { return "-" }
        if x.isNaN || x.isInfinite { return fixed(x, 0) }
        if x == 0 { return "0" }
        let magnitude = abs(x)
        if magnitude >= 1e-4 && magnitude < 1e9 {
            var exponent = 0
            var m = magnitude
            while m >= 10 { m /= 10; exponent += 1 }
            while m < 1 { m *= 10; exponent -= 1 }
            return fixed(x, max(0, digits - 1 - exponent))
        }
        var exponent = 0
        var m = magnitude
        while m >= 10 { m /= 10; exponent += 1 }
        while m < 1 { m *= 10; exponent -= 1 }
        var mantissa = fixed(m, max(0, digits - 1))
        if mantissa.hasPrefix("10") { mantissa = fixed(1, max(0, digits - 1)); exponent += 1 }
        return (x < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + String(abs(exponent))
    }

    /// `x` with at most `decimals` digits after the point and no trailing zeros: 50 → "50", 12.50 → "12.5".
    public static func compact(_ x: Double, maxDecimals decimals: Int = 3) -> String {
        var s = fixed(x, decimals)
        guard s.contains(".") else { return s }
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// An integer with thin thousands separators: 1234567 → "1,234,567".
    public static func grouped<T: BinaryInteger>(_ n: T) -> String {
        let s = String(n.magnitude)
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A rate with a k/M/G suffix: 1534000 → "1.53M".
    public static func rate(_ x: Double) -> String {
        if !x.isFinite { return fixed(x, 0) }
        let a = abs(x)
        if a >= 1e9 { return significant(x / 1e9, 3) + "G" }
        if a >= 1e6 { return significant(x / 1e6, 3) + "M" }
        if a >= 1e3 { return significant(x / 1e3, 3) + "k" }
        return significant(x, 3)
    }
}
