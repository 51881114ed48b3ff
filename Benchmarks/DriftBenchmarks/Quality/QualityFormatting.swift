/// `{"a": 1, ...}` from keys and already-encoded values.
func jsonObject(_ pairs: [(String, String)]) -> String {
    "{" + pairs.map { "\(jsonString($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
}

/// A JSON string literal (the names here are plain ASCII; quotes and backslashes are escaped anyway).
func jsonString(_ s: String) -> String {
    "\"" + s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
}

/// `x` with `digits` decimals, as text.
func rounded(_ x: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (x * scale).rounded() / scale
    return "\(r)"
}

/// A share as a percentage with up to three decimals ("0.014 %", "99.5 %").
func percent(_ share: Double) -> String { rounded(share * 100, 3) + " %" }

extension String {
    /// Every occurrence of `target` replaced (Foundation-free).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
