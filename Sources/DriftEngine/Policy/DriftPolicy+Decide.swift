import DriftKernels

extension DriftPolicy {
    /// Severity of an effect against warning/critical thresholds.
    func grade(_ effect: Double?, warning: Double, critical: Double) -> Severity {
        guard let effect, !effect.isNaN else { return .none }
        if effect >= critical { return .critical }
        if effect >= warning { return .warning }
        return .none
    }

    /// The verdict for a comparison's statistics.
    public func decide(_ s: FeatureStatistics) -> Verdict {
        var reasons: [String] = []
        var severity = Severity.none
        var tested = false  // the distribution test ran

        // Null rate: its own test, decided even when the non-null values are too few for a distribution test.
        if let nulls = s.nullRateTest {
            let change = Swift.abs(nulls.difference)
            let g = grade(change, warning: nullRateWarning, critical: nullRateCritical)
            if nulls.pValue < significanceLevel && g > .none {
                severity = Swift.max(severity, g)
                reasons.append("null rate \(percent(nulls.baselineRate)) → \(percent(nulls.currentRate)) (p \(pText(nulls.pValue)))")
            }
        }

        let enough = s.baselineCount >= minimumSampleSize && s.currentCount >= minimumSampleSize
        if enough, let p = s.pValue {
            tested = true
            var g = grade(s.psi, warning: psiWarning, critical: psiCritical)
            var effects: [String] = []
            if let psi = s.psi, psi >= psiWarning { effects.append("PSI \(short(psi))") }
            switch s.kind {
            case .numeric:
                g = Swift.max(g, grade(s.normedWasserstein, warning: wassersteinWarning, critical: wassersteinCritical))
                if let w = s.normedWasserstein, w >= wassersteinWarning { effects.append("shift \(short(w))σ (W/σ)") }
            case .categorical:
                g = Swift.max(g, grade(s.jensenShannon, warning: jensenShannonWarning, critical: jensenShannonCritical))
                if let js = s.jensenShannon, js >= jensenShannonWarning { effects.append("JS \(short(js))") }
            }
            if p < significanceLevel && g > .none {
                severity = Swift.max(severity, g)
                let test = s.kind == .numeric ? "KS D = \(short(s.ksStatistic ?? 0))" : "χ² = \(short(s.chiSquare ?? 0))"
                reasons.append("distribution changed: \(test), p \(pText(p)); \(effects.joined(separator: ", "))")
            } else if p < significanceLevel {
                reasons.append("significant (p \(pText(p))) but not material: effects below thresholds")
            }
        } else if !enough {
            reasons.append("too few non-null values to test the distribution (\(s.baselineCount) baseline, \(s.currentCount) current; need \(minimumSampleSize))")
        }
        if severity > .none { return Verdict(decision: .drift, severity: severity, reasons: reasons) }
        // "stable" only when the distribution was actually tested; otherwise say we could not tell.
        return Verdict(decision: tested ? .stable : .insufficientData, severity: .none, reasons: reasons)
    }

    /// "= 0.0123", or "< 1e-300" where the p-value underflowed to 0 (scipy returns 0 there too).
    private func pText(_ p: Double) -> String { p == 0 ? "< 1e-300" : "= " + short(p) }

    private func percent(_ x: Double) -> String { fixed(x * 100, 1) + "%" }
}

/// A compact decimal rendering for messages (4 significant digits, scientific below 1e-3).
func short(_ x: Double) -> String {
    if x == 0 { return "0" }
    if !x.isFinite { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    let a = Swift.abs(x)
    if a < 1e-3 || a >= 1e6 {
        var e = 0
        var m = a
        while m >= 10 { m /= 10; e += 1 }
        while m < 1 { m *= 10; e -= 1 }
        return (x < 0 ? "-" : "") + fixed(m, 2) + "e" + String(e)
    }
    let digits = a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 3 : 4
    return (x < 0 ? "-" : "") + fixed(a, digits)
}

/// `x` (non-negative) with `digits` decimals.
func fixed(_ x: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (x * scale).rounded()
    guard scaled < 9e15 else { return String(x) }
    let whole = Int(scaled) / Int(scale), frac = Int(scaled) % Int(scale)
    if digits == 0 { return String(whole) }
    var f = String(frac)
    while f.count < digits { f = "0" + f }
    return "\(whole).\(f)"
}
