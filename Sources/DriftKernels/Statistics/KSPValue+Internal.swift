#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Small special-function helpers shared by the Kolmogorov–Smirnov p-value code.
///
/// Everything here is written from the published formulas; nothing is ported from SciPy.
enum KSSpecialFunctions {
    /// log(√(2π)).
    static let logSqrtTwoPi = 0.91893853320467274178

    /// `-708.396…`: log of the smallest normal double, the cut-off the Cephes/xsf `smirnov` uses
    /// (`-2 n d² < MINLOG` ⇒ survival 0).
    static let cephesMinLog = -7.08396418532264106224e2

    /// stirlerr(k) for k = 0…15, computed with 40-digit mpmath (k = 0 is unused).
    private static let stirlingErrorTable: [Double] = [
        0.0,
        0.08106146679532725822,
        0.041340695955409294094,
        0.027677925684998339149,
        0.020790672103765093112,
        0.016644691189821192163,
        0.013876128823070747999,
        0.011896709945891770095,
        0.010411265261972096497,
        0.0092554621827127329177,
        0.0083305634333628712565,
        0.007573675487951840795,
        0.0069428401072095298657,
        0.0064089941880042070684,
        0.0059513701127588477356,
        0.005554733551962801371,
    ]

    /// Stirling's-series error `log(k!) − [(k + ½) log k − k + log √(2π)]` for integer k ≥ 1
    /// (Loader 2000, "Fast and accurate computation of binomial probabilities").
    @inline(__always)
    static func stirlingError(_ k: Int) -> Double {
        if k < 16 { return stirlingErrorTable[k] }
        let kd = Double(k)
        let r2 = 1.0 / (kd * kd)
        // 1/12 − 1/(360k²) + 1/(1260k⁴) − 1/(1680k⁶) + 1/(1188k⁸)
        let s = 1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 - r2 / 1188) * r2) * r2) * r2
        return s / kd
    }

    /// Loader's deviance term `bd0(x, m) = x log(x/m) + m − x`, accurate also when x ≈ m.
    @inline(__always)
    static func bd0(_ x: Double, _ m: Double) -> Double {
        let diff = x - m
        if abs(diff) < 0.1 * (x + m) {
            let v = diff / (x + m)
            var s = diff * v
            var ej = 2 * x * v
            let v2 = v * v
            var j = 1.0
            while j < 200 {
                ej *= v2
                let s1 = s + ej / (2 * j + 1)
                if s1 == s { return s1 }
                s = s1
                j += 1
            }
            return s
        }
        return x * log(x / m) + m - x
    }

    /// `log(n! / nⁿ)` for n ≥ 1 (exact product for small n, Stirling with error term otherwise).
    static func logFactorialOverPower(_ n: Int) -> Double {
        let nd = Double(n)
        // log n! − n log n = ½ log n − n + log √(2π) + stirlerr(n); the n log n terms cancel analytically.
        return 0.5 * log(nd) - nd + logSqrtTwoPi + stirlingError(n)
    }

    /// log(k!) for k ≥ 0.
    @inline(__always)
    static func logFactorial(_ k: Int) -> Double {
        if k < 2 { return 0 }
        let kd = Double(k)
        return (kd + 0.5) * log(kd) - kd + logSqrtTwoPi + stirlingError(k)
    }

    /// Round half to even, as `numpy.round` does.
    @inline(__always)
    static func roundHalfEven(_ x: Double) -> Double {
        x.rounded(.toNearestOrEven)
    }

    /// Greatest common divisor of two positive integers.
    static func gcd(_ a: Int, _ b: Int) -> Int {
        var a = a, b = b
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
