import DriftLoad
import DriftWire
import Foundation

/// A source schema file (`driftctl source create NAME --schema FILE.json`) and the JSON form `source get --json`
/// prints, which is the same shape:
///
///     {"features": [{"name": "income", "type": "float64",
///                    "policy": {"significance": 0.01, "psi_warning": 0.1, "bins": 10}}]}
///
/// Types: float32, float64, int64, bool, categorical, timestamp_ms. Policy keys are the `PolicyOverrides` fields
/// in snake_case; an absent key keeps the server's default. Unknown keys are errors that name the key. A top-level
/// "name" must match the source name; "baseline_id" is ignored (so `source get --json` output reads back). An
/// optional top-level "monitoring" object sets the source's `MonitoringSpec` (`SchemaFile+Monitoring.swift`).
enum SchemaFile {
    static let policyKeys = ["significance", "psi_warning", "psi_critical", "wasserstein_warning", "wasserstein_critical",
                             "js_warning", "js_critical", "null_rate_warning", "null_rate_critical", "bins"]

    /// Reads `path` into the definition of source `name`.
    static func load(path: String, name: String) throws(SchemaError) -> SourceSpec {
        guard let data = FileManager.default.contents(atPath: path) else { throw SchemaError("\(path): cannot read the file") }
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw SchemaError("\(path): not valid JSON (\(error.localizedDescription))")
        }
        do { return try parse(root, name: name) } catch { throw SchemaError("\(path): \(error.message)") }
    }

    static func parse(_ root: Any, name: String) throws(SchemaError) -> SourceSpec {
        let top = try object(root, at: "the schema")
        try onlyKeys(top, ["features", "name", "baseline_id", "monitoring"], at: "the schema")
        if let given = top["name"] {
            guard let s = given as? String, s == name else {
                throw SchemaError("the schema's \"name\" (\(given)) differs from the source name \(name)")
            }
        }
        guard let list = top["features"] as? [Any] else { throw SchemaError("\"features\" must be a list of features") }
        guard !list.isEmpty else { throw SchemaError("\"features\" is empty: a source needs at least one feature") }
        var features: [FeatureSpec] = []
        for (i, item) in list.enumerated() {
            let at = "features[\(i)]"
            let f = try object(item, at: at)
            try onlyKeys(f, ["name", "type", "policy"], at: at)
            guard let featureName = f["name"] as? String, !featureName.isEmpty else {
                throw SchemaError("\(at) needs a \"name\" string")
            }
            guard let typeName = f["type"] as? String else { throw SchemaError("\(at) (\(featureName)) needs a \"type\" string") }
            guard let type = FeatureType(name: typeName) else {
                throw SchemaError("\(at) (\(featureName)): unknown type '\(typeName)'; use one of "
                                  + FeatureType.allCases.map(\.rawValue).joined(separator: ", "))
            }
            var policy = PolicyOverrides()
            if let p = f["policy"] {
                policy = try parsePolicy(try object(p, at: "\(at).policy"), at: "\(at).policy (\(featureName))")
            }
            features.append(FeatureSpec(name: featureName, type: type.wireValue, policy: policy))
        }
        var monitoring: MonitoringSpec?
        if let m = top["monitoring"] { monitoring = try parseMonitoring(m, features: features.map(\.name)) }
        return SourceSpec(name: name, features: features, monitoring: monitoring)
    }

    private static func parsePolicy(_ p: [String: Any], at: String) throws(SchemaError) -> PolicyOverrides {
        try onlyKeys(p, policyKeys, at: at)
        func number(_ key: String) throws(SchemaError) -> Double? {
            guard let v = p[key] else { return nil }
            guard let n = v as? NSNumber, !isBool(n) else { throw SchemaError("\(at): \"\(key)\" must be a number") }
            return n.doubleValue
        }
        var o = PolicyOverrides()
        o.significance = try number("significance")
        o.psiWarning = try number("psi_warning")
        o.psiCritical = try number("psi_critical")
        o.wassersteinWarning = try number("wasserstein_warning")
        o.wassersteinCritical = try number("wasserstein_critical")
        o.jensenShannonWarning = try number("js_warning")
        o.jensenShannonCritical = try number("js_critical")
        o.nullRateWarning = try number("null_rate_warning")
        o.nullRateCritical = try number("null_rate_critical")
        if let bins = try number("bins") {
            guard bins == bins.rounded(), bins >= 0, bins <= Double(UInt32.max) else {
                throw SchemaError("\(at): \"bins\" must be a whole number")
            }
            o.bins = UInt32(bins)
        }
        return o
    }

    /// The schema-file form of a source's features (what `source get --json` prints under "features").
    static func json(_ features: [FeatureSpec]) -> JSONValue {
        .array(features.map { f in
            var fields: [(String, JSONValue)] = [("name", .string(f.name)), ("type", .string(FeatureType.name(ofWireValue: f.type)))]
            let policy = policyFields(f.policy)
            if !policy.isEmpty { fields.append(("policy", .object(policy))) }
            return .object(fields)
        })
    }

    /// The set policy overrides as (snake_case key, value) pairs, in `policyKeys` order.
    static func policyFields(_ p: PolicyOverrides) -> [(String, JSONValue)] {
        let values: [Double?] = [p.significance, p.psiWarning, p.psiCritical, p.wassersteinWarning, p.wassersteinCritical,
                                 p.jensenShannonWarning, p.jensenShannonCritical, p.nullRateWarning, p.nullRateCritical]
        var out: [(String, JSONValue)] = []
        for (key, value) in zip(policyKeys, values) { if let value { out.append((key, .number(value))) } }
        if let bins = p.bins { out.append(("bins", .uint(UInt64(bins)))) }
        return out
    }

    private static func object(_ value: Any, at: String) throws(SchemaError) -> [String: Any] {
        guard let o = value as? [String: Any] else { throw SchemaError("\(at) must be a JSON object") }
        return o
    }

    private static func onlyKeys(_ o: [String: Any], _ allowed: [String], at: String) throws(SchemaError) {
        if let unknown = o.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw SchemaError("\(at): unknown key '\(unknown)' (allowed: \(allowed.joined(separator: ", ")))")
        }
    }

    /// JSONSerialization reads true/false as NSNumber too; tell them apart from numbers.
    static func isBool(_ n: NSNumber) -> Bool {
        #if canImport(Darwin)
        return CFGetTypeID(n) == CFBooleanGetTypeID()
        #else
        return n === (true as NSNumber) || n === (false as NSNumber) || String(cString: n.objCType) == "c"
        #endif
    }
}

/// A schema file that cannot be used; the message names the file and the offending key or feature.
struct SchemaError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
