#if canImport(Glibc)
import Glibc
#endif

/// Regularized incomplete gamma functions, for chi-square tail probabilities.
///
/// Series for x < a + 1, Lentz's continued fraction otherwise (Numerical Recipes §6.2; DLMF 8.7, 8.9), both to
/// full double precision; the upper tail is computed directly, so tiny p-values keep their relative accuracy.
enum RegularizedGamma {
    /// P(a, x) = γ(a, x) / Γ(a).
    static func lower(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x.isInfinite { return 1 }
        return x < a + 1 ? series(a, x) : 1 - continuedFraction(a, x)
    }

    /// Q(a, x) = Γ(a, x) / Γ(a) = 1 − P(a, x).
    static func upper(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 1 }
        if x.isInfinite { return 0 }
        return x < a + 1 ? 1 - series(a, x) : continuedFraction(a, x)
    }

    private static func prefactor(_ a: Double, _ x: Double) -> Double {
        exp(a * log(x) - x - lgamma(a))
    }

    private static func series(_ a: Double, _ x: Double) -> Double {
        var term = 1 / a
        var sum = term
        var ap = a
        for _ in 0..<100_000 {
            ap += 1
            term *= x / ap
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return Swift.min(1, sum * prefactor(a, x))
    }

    private static func continuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<100_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return Swift.min(1, prefactor(a, x) * h)
    }
}

/// Survival function of the chi-square distribution with `dof` degrees of freedom: P(X ≥ x).
func _chiSquareSurvival(_ x: Double, dof: Int) -> Double {
    RegularizedGamma.upper(Double(dof) / 2, x / 2)
}

/// Two-sided normal tail 2·(1 − Φ(|z|)) = erfc(|z|/√2), accurate for tiny values.
func _twoSidedNormalP(_ z: Double) -> Double {
    if z.isNaN { return 1 }
    return erfc(abs(z) / 2.0.squareRoot())
}
