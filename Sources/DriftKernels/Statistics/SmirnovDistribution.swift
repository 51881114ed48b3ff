#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One-sided exact Smirnov distribution: the upper tail `P(D⁺ₙ ≥ d)` of the one-sample statistic
/// `D⁺ₙ = supₓ (Fₙ(x) − F(x))` for a sample of size n from a continuous F.
///
/// Same value as `scipy.special.smirnov(n, d)` (Cephes/xsf `smirnov`), except for n > 1 000 000 where
/// SciPy switches to the approximation `exp(−(6nd + 1)² / (18n))` (relative error up to ~1e-3);
/// there this type keeps summing the exact Birnbaum–Tingey series, so it is *more* accurate than SciPy.
///
/// Algorithm: the Birnbaum–Tingey (1951) sum
///
///     P(D⁺ₙ ≥ d) = d · Σ_{j=0}^{⌊n(1−d)⌋} C(n, j) (d + j/n)^{j−1} (1 − d − j/n)^{n−j}.
///
/// Each term equals `(d/a) · Binomial(j; n, a)` with `a = d + j/n`, and is evaluated with Loader's
/// (2000) saddle-point form of the binomial pmf (Stirling-series errors and the `bd0` deviance), so
/// every term is accurate to a few ulps even for n = 10⁷ and tails near 1e-300. All terms are positive
/// (no cancellation). The summation starts at the largest term and walks outwards in both directions,
/// stopping once terms fall below 1e-18 of the running sum.
///
/// The Birnbaum–Tingey sum has O(n) terms and, for large n, Θ(n/√(n d²)) of them are significant, so
/// walking term by term is O(n) even from the peak (≈ n/20 terms at n d² = 370). For long sums (more than
/// 512 candidate terms) the summand is a smooth bump whose width grows like n/√(n d²); then the sum is
/// evaluated as a trapezoid rule with a stride `s` of about 1/16 of the bump width at its peak (Poisson
/// summation: for a summand that is smooth on the scale of the stride and negligible at both ends, the
/// strided sum equals the unit-step sum up to an exponentially small error). The stride is validated by
/// comparing with the 2s-strided sub-sum (free) and halved until both agree to 1e-13 and the walk ends
/// on negligible terms inside the range; if the summand is not negligible at an end of the range (n·d
/// small) the plain unit-step sum is used. Measured against mpmath and Cephes: ≤ 6e-12 relative.
///
/// Special cases follow Cephes: n = 1 → `1 − d`; d ≤ 1/n → `1 − d(1 + d)^{n−1}`;
/// d ≥ 1 − 1/n → `(1 − d)ⁿ`; `2 n d² > 708.396` → 0 (the exact value is below 2.6e-308 there).
public enum SmirnovDistribution {
    /// `P(D⁺ₙ ≥ d)`.
    ///
    /// - Parameters:
    ///   - d: the statistic; values outside [0, 1] are clamped (d ≤ 0 → 1, d ≥ 1 → 0). NaN gives NaN.
    ///   - n: the sample size, n ≥ 1 (n < 1 gives NaN, like SciPy).
    /// - Returns: the survival probability in [0, 1].
    /// - Complexity: O(1) for the closed-form special cases. Otherwise one term costs ≈ 50–80 ns and the
    ///   number of terms is: all significant terms for ranges of ≤ 512 terms (≈ 25 µs at n = 300, 70 µs at
    ///   n = 1000); ≈ 150–600 strided terms for longer ranges when n·d² ≳ 0.5 (measured ≈ 15–25 µs at n = 10⁶
    ///   and 10⁷ for 2 ≤ n d² ≤ 354, ≤ ~110 µs for 0.5 ≤ n d² < 2); more for smaller n d², where the summand's
    ///   flanks get steep (≈ 0.5 ms at n = 10⁶, n d² = 0.1–0.3), up to the full O(n) sum when n·d ≲ 100
    ///   (terms non-negligible down to j = 0: ≈ 3 ms at n = 10⁶, n d² = 0.01, ≈ 40 ms at n = 10⁶, n·d ≈ 5).
    ///   ``KolmogorovDistribution`` only calls this with n d² ≥ 2.2 (or n ≤ 140, or d ≥ ½).
    ///
    /// References: Z. W. Birnbaum & F. H. Tingey (1951), "One-sided confidence contours for probability
    /// distribution functions", Ann. Math. Statist. 22, 592–596; C. Loader (2000), "Fast and accurate
    /// computation of binomial probabilities".
    public static func survival(_ d: Double, n: Int) -> Double {
        guard n >= 1, !d.isNaN else { return .nan }
        let x = min(max(d, 0), 1)
        if n == 1 { return 1 - x }
        if x == 0 { return 1 }
        if x == 1 { return 0 }
        let nd = Double(n)
        let nx = nd * x
        let nxErr = fma(nd, x, -nx)  // n·x = nx + nxErr exactly
        // d ≤ 1/n: only the j = 0 and complementary terms survive; closed form.
        if nx + nxErr <= 1 {
            return min(max(1 - x * exp((nd - 1) * log1p(x)), 0), 1)
        }
        // Exact value < exp(−2 n d²) < 2.6e-308 here; return 0 like Cephes does.
        if -2 * nd * x * x < KSSpecialFunctions.cephesMinLog { return 0 }
        // d ≥ 1 − 1/n: a single term survives.
        if (nx + nxErr).rounded(.down) >= nd - 1 {
            return pow(1 - x, nd)
        }
        let sum = BirnbaumTingeySum(n: n, x: x, nx: nx, nxErr: nxErr)
        return min(max(sum.evaluate(), 0), 1)
    }
}

/// The Birnbaum–Tingey series for 1/n < x < 1 − 1/n (see ``SmirnovDistribution``).
struct BirnbaumTingeySum {
    let n: Int
    let x: Double
    let nd: Double
    let nx: Double
    let nxErr: Double
    /// Largest index j with 1 − x − j/n > 0.
    let lastIndex: Int
    let stirlingN: Double

    init(n: Int, x: Double, nx: Double, nxErr: Double) {
        self.n = n
        self.x = x
        self.nd = Double(n)
        self.nx = nx
        self.nxErr = nxErr
        var last = Int((Double(n) - nx).rounded(.down))
        last = min(max(last, 0), n)
        while last > 0 && (Double(n - last) - nx) - nxErr <= 0 { last -= 1 }
        while last + 1 < n && (Double(n - last - 1) - nx) - nxErr > 0 { last += 1 }
        self.lastIndex = last
        self.stirlingN = KSSpecialFunctions.stirlingError(n)
    }

    /// log of the j-th term `x C(n,j) (x + j/n)^{j−1} (1 − x − j/n)^{n−j}` for 0 ≤ j ≤ lastIndex.
    @inline(__always)
    func logTerm(_ j: Int) -> Double {
        if j == 0 { return nd * log1p(-x) }
        let jd = Double(j)
        let rest = n - j
        let npj = (jd + nx) + nxErr               // n·a
        let nqj = (Double(rest) - nx) - nxErr     // n·(1 − a)
        let lc = stirlingN - KSSpecialFunctions.stirlingError(j) - KSSpecialFunctions.stirlingError(rest)
            - KSSpecialFunctions.bd0(jd, npj) - KSSpecialFunctions.bd0(Double(rest), nqj)
        return log(nx / npj) + lc + 0.5 * log(nd / (2 * Double.pi * jd * Double(rest)))
    }

    private func argMax() -> (Int, Double) {
        var lo = 0, hi = lastIndex
        // Ternary search: the terms are unimodal in j.
        while hi - lo > 2 {
            let m1 = lo + (hi - lo) / 3
            let m2 = hi - (hi - lo) / 3
            if logTerm(m1) < logTerm(m2) { lo = m1 + 1 } else { hi = m2 }
        }
        var best = lo
        var bestValue = logTerm(lo)
        if lo < hi {
            for j in (lo + 1)...hi {
                let v = logTerm(j)
                if v > bestValue { best = j; bestValue = v }
            }
        }
        return (best, bestValue)
    }

    private struct Walk {
        var total: Double
        var evenTotal: Double
        var hitBoundary: Bool
    }

    /// Σ f(peak + k·stride) / f(peak) over k until terms are negligible or the range ends.
    private func walk(peak: Int, logPeak: Double, stride: Int) -> Walk {
        var total = 1.0
        var even = 1.0
        var hit = false
        for direction in 0..<2 {
            let sign = direction == 0 ? 1 : -1
            var k = sign
            while true {
                let j = peak + k * stride
                if j < 0 || j > lastIndex { hit = true; break }
                let t = exp(logTerm(j) - logPeak)
                total += t
                if k & 1 == 0 { even += t }
                if t < 1e-18 * total { break }
                k += sign
            }
        }
        return Walk(total: total, evenTotal: even, hitBoundary: hit)
    }

    func evaluate() -> Double {
        let (peak, logPeak) = argMax()
        var stride = 1
        if lastIndex + 1 > 512 {
            // Width of the bump from the curvature of log f at the peak.
            let delta = max(1, (lastIndex + 1) / 1000)
            let up = logTerm(min(lastIndex, peak + delta))
            let down = logTerm(max(0, peak - delta))
            let curvature = (up - 2 * logPeak + down) / Double(delta * delta)
            let sigma = curvature < 0 ? (-1 / curvature).squareRoot() : Double(lastIndex)
            stride = max(1, Int(sigma / 16))
        }
        while true {
            let w = walk(peak: peak, logPeak: logPeak, stride: stride)
            if stride == 1 {
                return w.total * exp(logPeak)
            }
            if w.hitBoundary {
                // The grid stepped past an end of the range before the terms became negligible. If the
                // summand is negligible at that end it is only the flank that is too steep for the stride:
                // refine. Otherwise the discrete structure near the end matters: sum term by term.
                let negligible = -41.5 - log(Double(lastIndex + 1))
                let endsNegligible = logTerm(0) - logPeak < negligible
                    && logTerm(lastIndex) - logPeak < negligible
                stride = endsNegligible ? stride / 2 : 1
                continue
            }
            if abs(2 * w.evenTotal - w.total) <= 1e-13 * w.total {
                return Double(stride) * w.total * exp(logPeak)
            }
            stride /= 2
        }
    }
}
