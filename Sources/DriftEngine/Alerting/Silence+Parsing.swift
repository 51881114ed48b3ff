extension Silence {
    /// Reads `{id, matchers: ["name=value", …], startsAt, endsAt, createdBy, comment}` (times as integer ms;
    /// `createdBy` and `comment` optional, default "") and checks it with ``validate()``; errors name the key.
    public static func parse(_ value: AlertConfigValue) throws(AlertConfigError) -> Silence {
        let o = try value.object(at: "", allowed: ["id", "matchers", "startsAt", "endsAt", "createdBy", "comment"])
        func required(_ key: String) throws(AlertConfigError) -> AlertConfigValue {
            guard let v = o[key] else { throw AlertConfigError(path: key, message: "missing") }
            return v
        }
        func ms(_ key: String) throws(AlertConfigError) -> Int64 {
            let v = try required(key)
            guard case .number(let d) = v, d.rounded() == d, d >= -9.2e18, d <= 9.2e18 else {
                throw AlertConfigError(path: key, message: "expected an integer number of ms, found \(v.typeName)")
            }
            return Int64(d)
        }
        let silence = Silence(id: try required("id").string(at: "id"),
                              matchers: try required("matchers").matchers(at: "matchers"),
                              startsAtMs: try ms("startsAt"), endsAtMs: try ms("endsAt"),
                              createdBy: try o["createdBy"]?.string(at: "createdBy") ?? "",
                              comment: try o["comment"]?.string(at: "comment") ?? "")
        try silence.validate()
        return silence
    }
}
