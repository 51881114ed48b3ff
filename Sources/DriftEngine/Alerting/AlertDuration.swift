/// Prometheus duration strings, as Alertmanager's configuration uses them.
public enum AlertDuration {
    /// Milliseconds of a duration such as `30s`, `5m`, `4h`, `1h30m`, `1d`, `1w`, `1y`, `250ms` or `0`:
    /// one or more `<integer><unit>` terms with units in the order y (365 d), w, d, h, m, s, ms, each at most
    /// once. Nil for anything else, negative values, or more than Int64 ms.
    public static func parse(_ text: String) -> Int64? {
        if text == "0" { return 0 }
        let units: [(String, Int64)] = [("y", 31_536_000_000), ("w", 604_800_000), ("d", 86_400_000),
                                        ("h", 3_600_000), ("ms", 1), ("m", 60_000), ("s", 1_000)]
        let order = ["y", "w", "d", "h", "m", "s", "ms"]
        let bytes = Array(text.utf8)
        var i = 0, total: Int64 = 0, lastRank = -1
        guard !bytes.isEmpty else { return nil }
        while i < bytes.count {
            var value: Int64 = 0, digits = 0
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(bytes[i] - 48))
                if o1 || o2 { return nil }
                value = s; digits += 1; i += 1
            }
            guard digits > 0 else { return nil }
            var unit: (String, Int64)?
            for u in units where bytes[i...].starts(with: Array(u.0.utf8)) { unit = u; break }
            guard let (name, factor) = unit, let rank = order.firstIndex(of: name), rank > lastRank else { return nil }
            lastRank = rank
            i += name.utf8.count
            let (product, o3) = value.multipliedReportingOverflow(by: factor)
            let (sum, o4) = total.addingReportingOverflow(product)
            if o3 || o4 { return nil }
            total = sum
        }
        return total
    }

    /// The shortest Prometheus form of `ms` (`4h`, `1h30m`, `250ms`, `0s`); negative values as "-" + form.
    public static func format(_ ms: Int64) -> String {
        if ms == 0 { return "0s" }
        if ms < 0 { return "-" + format(ms == .min ? .max : -ms) }
        var rest = ms, out = ""
        for (name, factor) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] {
            let n = rest / factor
            if n > 0 { out += "\(n)\(name)"; rest -= n * factor }
        }
        return out
    }
}
