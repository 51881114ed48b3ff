#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which computation produced a two-sample KS p-value.
public enum KSPValueMethod: String, Sendable {
    /// Exact null distribution of the two-sample statistic (lattice paths).
    case exact
    /// `kstwo.sf(d, round(n₁n₂/(n₁+n₂)))`, the finite-n one-sample distribution at the effective size.
    case asymptotic
}

/// Two-sided two-sample Kolmogorov–Smirnov p-value `P(D_{n₁,n₂} ≥ d)` under H₀ (both samples from the same
/// continuous distribution), with the semantics of
/// `scipy.stats.ks_2samp(x, y, alternative='two-sided', method=…)` given the statistic D already computed.
///
/// - `.auto`: exact when max(n₁, n₂) ≤ 10 000 (SciPy's `MAX_AUTO_N`), otherwise asymptotic.
/// - `.exact`: exact unless lcm(n₁, n₂) ≥ 2³¹ − 1 (SciPy's int32 guard), then asymptotic.
/// - `.asymptotic`: `KolmogorovDistribution.survival(d, n: round(n₁n₂/(n₁+n₂)))`, rounding half to even like
///   NumPy.
///
/// Exact computation: D is snapped to the lattice, h = round(d · lcm) (half to even), D = h/lcm; h = 0 gives 1.
/// - n₁ = n₂ = n: the reflection principle gives `p = 2 Σ_{k≥1} (−1)^{k+1} C(2n, n−kh)/C(2n, n)`, summed with
///   log-space Stirling/`bd0` ratios when h² > n (few terms); for h² ≤ n the equivalent spectral form of the
///   path graph, `1 − p = (1/h) Σ_{j odd < 2h} (2cos(πj/2h))^{2n} / C(2n, n)`, which needs only a few terms
///   there (the alternating series would need ~n/h).
/// - n₁ ≠ n₂: the probability that a uniformly random lattice path from (0,0) to (n₁,n₂) leaves the band
///   `|x/n₁ − y/n₂| < D`, by the recursion on "already left" probabilities
///   `P(i,j) = (i·P(i−1,j) + j·P(i,j−1))/(i+j)`, `P = 1` outside the band (Hodges 1958; the probability form
///   is Viehmann 2021). Every step is a convex combination of numbers in [0, 1], so there is neither overflow
///   nor cancellation and tiny p-values keep full relative precision. When the band is wider than 20
///   standard deviations of a random path, cells that a random path visits with probability below e^{-760}
///   are treated as outside (error < 1e-320 in p); when every column's significant cells lie inside the
///   band the result is 0 without running the recursion.
///
/// Behaviour outside the valid domain: n₁ ≤ 0 or n₂ ≤ 0 → `(1, .exact)` (no evidence against H₀; SciPy
/// raises); d is clamped to [0, 1]; NaN d → `(NaN, method)`; the asymptotic effective size is at least 1
/// (SciPy returns NaN for n₁ = n₂ = 1 with `method='asymp'`, where round(0.5) = 0).
public enum TwoSampleKSPValue {
    /// How to compute the p-value.
    public enum Mode: Sendable {
        /// Exact when max(n₁, n₂) ≤ ``TwoSampleKSPValue/maxAutoExactSize``, else asymptotic.
        case auto
        /// Exact (falls back to asymptotic only when lcm(n₁, n₂) does not fit SciPy's int32 guard).
        case exact
        /// The one-sample finite-n distribution at the effective sample size.
        case asymptotic
    }

    /// SciPy's `MAX_AUTO_N`.
    public static let maxAutoExactSize = 10_000

    /// Two-sided p-value for the two-sample statistic `d` with sample sizes `n1`, `n2`.
    ///
    /// - Parameters:
    ///   - d: the statistic (a value i/n₁ − j/n₂ as computed from the two ECDFs).
    ///   - n1: first sample size.
    ///   - n2: second sample size.
    ///   - mode: see ``Mode``.
    /// - Returns: the p-value in [0, 1] and the method that produced it.
    /// - Complexity: n₁ = n₂: O(1) terms (≈ 0.3 µs). n₁ ≠ n₂: O(max(n₁,n₂) · w) cell updates (≈ 0.85 ns each,
    ///   two columns per sweep), where w ≤ min(n₁,n₂) + 1 is the band height ≈ 2·d·min(n₁,n₂), capped by the
    ///   pruning at ≈ 78 standard deviations of a random path (≈ 40·√(n₁n₂/(n₁+n₂))): measured ≈ 1.9 ms for
    ///   (10 000, 9 999) at d = 0.01, 3.6 ms at d = 0.02, 8.6 ms at d = 0.05 (p ≈ 1e-10), 32 ms at d = 0.2
    ///   (p ≈ 1e-175), and < 1 ms once p < 1e-320 (pruning proves it, result 0). Asymptotic: see
    ///   ``KolmogorovDistribution/survival(_:n:)``.
    ///
    /// References: J. L. Hodges (1958), "The significance probability of the Smirnov two-sample test",
    /// Ark. Mat. 3, 469–486; T. Viehmann (2021), "Numerically more stable computation of the p-values for the
    /// two-sample Kolmogorov–Smirnov test", arXiv:2102.08037; B. V. Gnedenko & V. S. Korolyuk (1951) for the
    /// n₁ = n₂ reflection formula.
    public static func pValue(d: Double, n1: Int, n2: Int, mode: Mode = .auto) -> (p: Double, method: KSPValueMethod) {
        if n1 <= 0 || n2 <= 0 { return (1, .exact) }
        let g = KSSpecialFunctions.gcd(n1, n2)
        let n1g = n1 / g, n2g = n2 / g
        let exact: Bool
        switch mode {
        case .auto: exact = max(n1, n2) <= maxAutoExactSize
        case .exact: exact = Double(n1g) < Double(Int32.max) / Double(n2g)
        case .asymptotic: exact = false
        }
        if d.isNaN { return (.nan, exact ? .exact : .asymptotic) }
        let dc = min(max(d, 0), 1)
        if exact {
            return (exactPValue(d: dc, n1: n1, n2: n2, g: g), .exact)
        }
        return (asymptoticPValue(d: dc, n1: n1, n2: n2), .asymptotic)
    }

    // MARK: - Asymptotic

    static func asymptoticPValue(d: Double, n1: Int, n2: Int) -> Double {
        let m = Double(max(n1, n2)), n = Double(min(n1, n2))
        let en = m * n / (m + n)
        let effective = max(1, Int(KSSpecialFunctions.roundHalfEven(en)))
        return KolmogorovDistribution.survival(d, n: effective)
    }

    // MARK: - Exact

    static func exactPValue(d: Double, n1: Int, n2: Int, g: Int) -> Double {
        let lcm = (n1 / g) * n2
        let h = Int(KSSpecialFunctions.roundHalfEven(d * Double(lcm)))
        if h <= 0 { return 1 }
        let p: Double
        if n1 == n2 {
            p = equalSizes(n: n1, h: min(h, n1))
        } else {
            p = LatticeBand.outsideProbability(m: max(n1, n2), n: min(n1, n2), h: min(h, lcm))
        }
        return min(max(p, 0), 1)
    }

    /// `P(D_{n,n} ≥ h/n)`, 1 ≤ h ≤ n.
    static func equalSizes(n: Int, h: Int) -> Double {
        let nd = Double(n)
        let hd = Double(h)
        if hd * hd <= nd {
            // Spectral form for the walk x − y on {−h+1, …, h−1}:
            // P(inside) = (2/h) Σ_{j odd, j < h} cos(πj/2h)^{2n} · 4ⁿ / C(2n, n).
            // log(4ⁿ/C(2n,n)) = ½ log(πn) − stirlerr(2n) + 2 stirlerr(n).
            let logNorm = 0.5 * log(Double.pi * nd) - KSSpecialFunctions.stirlingError(2 * n)
                + 2 * KSSpecialFunctions.stirlingError(n) + log(2 / hd)
            var inside = 0.0
            var j = 1
            while j < h {
                let c = cos(Double.pi * Double(j) / (2 * hd))
                let term = exp(2 * nd * log(c) + logNorm)
                inside += term
                if term < 1e-18 * inside { break }
                j += 2
            }
            return 1 - inside
        }
        // Reflection series, terms r_k = C(2n, n−kh)/C(2n, n), decreasing super-exponentially in k.
        var terms: [Double] = []
        var k = 1
        while k * h <= n {
            let r = exp(logCentralBinomialRatio(n: n, h: k * h))
            terms.append(r)
            if r < 1e-20 * terms[0] { break }
            k += 1
        }
        var s = 0.0
        for idx in stride(from: terms.count - 1, through: 0, by: -1) {
            s = terms[idx] - s
        }
        return 2 * s
    }

    /// `log(C(2n, n−h)/C(2n, n)) = log(n!² / ((n−h)!(n+h)!))`, 1 ≤ h ≤ n, via Stirling's series with the
    /// `bd0` deviance so the large `n log n` parts cancel analytically.
    static func logCentralBinomialRatio(n: Int, h: Int) -> Double {
        if h == n {
            return 2 * KSSpecialFunctions.logFactorial(n) - KSSpecialFunctions.logFactorial(2 * n)
        }
        let nd = Double(n)
        let lo = n - h, hi = n + h
        let deviance = KSSpecialFunctions.bd0(Double(lo), nd) + KSSpecialFunctions.bd0(Double(hi), nd)
        let halfLog = 0.5 * log((nd / Double(lo)) * (nd / Double(hi)))
        return -deviance + halfLog + 2 * KSSpecialFunctions.stirlingError(n)
            - KSSpecialFunctions.stirlingError(lo) - KSSpecialFunctions.stirlingError(hi)
    }
}

// MARK: - Lattice band recursion (n₁ ≠ n₂)

enum LatticeBand {
    @inline(__always)
    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Probability that a uniformly random monotone lattice path from (0,0) to (m,n), m ≥ n, visits a
    /// point with `|(n/g)·x − (m/g)·y| ≥ h`, g = gcd(m, n).
    static func outsideProbability(m: Int, n: Int, h: Int) -> Double {
        let g = KSSpecialFunctions.gcd(m, n)
        let mg = m / g, ng = n / g
        // Inside cells of column i: lo(i) ≤ j ≤ hi(i).
        @inline(__always) func bandLo(_ i: Int) -> Int { max(0, floorDiv(ng * i - h, mg) + 1) }
        @inline(__always) func bandHi(_ i: Int) -> Int { min(n, -floorDiv(-(ng * i + h), mg) - 1) }

        // Optional pruning to the region a random path visits with non-negligible probability.
        var pruneLo: [Int] = []
        var pruneHi: [Int] = []
        let bandHalfHeight = Double(h) / Double(mg)
        let sigmaMid = (Double(n) * Double(m + n) / (4 * Double(m))).squareRoot()
        if bandHalfHeight > 20 * sigmaMid && bandHalfHeight > 64 {
            let (los, his, allInside) = significantRegion(m: m, n: n, bandLo: bandLo, bandHi: bandHi)
            if allInside { return 0 }
            pruneLo = los
            pruneHi = his
        }
        let pruning = !pruneLo.isEmpty

        var inverse = [Double](repeating: 0, count: m + n + 2)
        for k in 1...(m + n + 1) { inverse[k] = 1 / Double(k) }
        @inline(__always) func window(_ i: Int) -> (Int, Int) {
            var lo = bandLo(i), hi = bandHi(i)
            if pruning { lo = max(lo, pruneLo[i]); hi = min(hi, pruneHi[i]) }
            return (lo, hi)
        }
        // a[j] holds P(column, j) for the last computed column inside its window and 1 elsewhere.
        var a = [Double](repeating: 1, count: n + 2)
        let (lo0, hi0) = window(0)
        if lo0 > 0 || hi0 < lo0 { return 1 }
        for j in 0...hi0 { a[j] = 0 }
        return a.withUnsafeMutableBufferPointer { ap -> Double in
            inverse.withUnsafeBufferPointer { inv -> Double in
                var prevLo = lo0, prevHi = hi0
                // Makes every row outside [lo, hi] of the coming column read as "outside" (1).
                @inline(__always) func prepare(_ lo: Int, _ hi: Int) {
                    if lo < prevLo { for j in lo..<prevLo { ap[j] = 1 } }
                    if hi < prevHi { for j in (hi + 1)...prevHi { ap[j] = 1 } }
                }
                var i = 1
                while i <= m {
                    let (la, ha) = window(i)
                    if ha < la { return 1 }
                    prepare(la, ha)
                    let di = Double(i)
                    if i < m {
                        let (lb, hb) = window(i + 1)
                        if hb < lb { return 1 }
                        if lb >= la && hb >= ha && lb <= ha {
                            // Two columns at once, column i+1 one row behind column i: two independent
                            // dependency chains per step (the recursion is latency bound otherwise).
                            // Cell (i, j) and cell (i+1, j−1) share the divisor i + j.
                            let di1 = di + 1
                            var belowA = 1.0, belowB = 1.0
                            var j = la
                            // Rows of column i below lb + 1 (column i+1 has not started yet).
                            while j <= min(ha, lb) {
                                let w = inv[i + j]
                                let va = (di * w) * ap[j] + (Double(j) * w) * belowA
                                belowA = va
                                ap[j] = va
                                j += 1
                            }
                            while j <= ha {
                                let w = inv[i + j]
                                let dj = Double(j)
                                let va = (di * w) * ap[j] + (dj * w) * belowA
                                let vb = (di1 * w) * ap[j - 1] + ((dj - 1) * w) * belowB
                                belowA = va
                                belowB = vb
                                ap[j - 1] = vb
                                ap[j] = va
                                j += 1
                            }
                            // Rows of column i+1 at and above the top of column i.
                            j = max(lb, ha)
                            while j <= hb {
                                let w = inv[i + 1 + j]
                                let vb = (di1 * w) * ap[j] + (Double(j) * w) * belowB
                                belowB = vb
                                ap[j] = vb
                                j += 1
                            }
                            prevLo = lb
                            prevHi = hb
                            i += 2
                            continue
                        }
                    }
                    var below = 1.0
                    var j = la
                    while j <= ha {
                        let w = inv[i + j]
                        let v = (di * w) * ap[j] + (Double(j) * w) * below
                        ap[j] = v
                        below = v
                        j += 1
                    }
                    prevLo = la
                    prevHi = ha
                    i += 1
                }
                return ap[n]
            }
        }
    }

    /// For each column, the rows whose path-visit probability w(i,j) = C(i+j,i)·C(m−i+n−j,m−i)/C(m+n,m) is at
    /// least e^{-760} (an interval: w is log-concave in j). `allInside` is true when, in every column, all
    /// such rows are inside the band; then a path leaving the band must first step onto a cell with
    /// w < e^{-760}, of which there are fewer than 3(m+n), so p < 3(m+n)·e^{-760} < 1e-320.
    /// The edges are tracked incrementally with the exact ratios of neighbouring w (one log per move).
    static func significantRegion(m: Int, n: Int, bandLo: (Int) -> Int, bandHi: (Int) -> Int)
        -> ([Int], [Int], Bool)
    {
        let threshold = -760.0
        let md = Double(m), nd = Double(n)
        // log w(i, j+1) − log w(i, j), 0 ≤ j < n.
        @inline(__always) func stepUp(_ i: Int, _ j: Int) -> Double {
            let id = Double(i), jd = Double(j)
            return log(((id + jd + 1) / (jd + 1)) * ((nd - jd) / (md - id + nd - jd)))
        }
        // log w(i, j) − log w(i−1, j), 1 ≤ i ≤ m.
        @inline(__always) func stepRight(_ i: Int, _ j: Int) -> Double {
            let id = Double(i), jd = Double(j)
            return log(((id + jd) / id) * ((md - id + 1) / (md - id + 1 + nd - jd)))
        }
        var los = [Int](repeating: 0, count: m + 1)
        var his = [Int](repeating: n, count: m + 1)
        var allInside = true
        // Column 0: w(0, j) = C(m+n−j, m)/C(m+n, m), decreasing from w(0,0) = 1.
        var top = 0, logTop = 0.0
        var bottom = 0, logBottom = 0.0
        for i in 0...m {
            if i > 0 {
                logTop += stepRight(i, top)
                logBottom += stepRight(i, bottom)
            }
            // Upper edge: move towards the region if outside it, then to its last row.
            if logTop < threshold && top < n && stepUp(i, top) > 0 {
                while top < n && logTop < threshold { logTop += stepUp(i, top); top += 1 }
            }
            while logTop < threshold && top > 0 { top -= 1; logTop -= stepUp(i, top) }
            while top < n {
                let next = logTop + stepUp(i, top)
                if next < threshold { break }
                top += 1
                logTop = next
            }
            // Lower edge.
            if logBottom < threshold && bottom > 0 && stepUp(i, bottom - 1) < 0 {
                while bottom > 0 && logBottom < threshold { bottom -= 1; logBottom -= stepUp(i, bottom) }
            }
            while logBottom < threshold && bottom < top { logBottom += stepUp(i, bottom); bottom += 1 }
            while bottom > 0 {
                let previous = logBottom - stepUp(i, bottom - 1)
                if previous < threshold { break }
                bottom -= 1
                logBottom = previous
            }
            los[i] = bottom
            his[i] = top
            if bottom < bandLo(i) || top > bandHi(i) { allInside = false }
        }
        return (los, his, allInside)
    }

    @inline(__always)
    static func logChoose(_ a: Int, _ b: Int) -> Double {
        KSSpecialFunctions.logFactorial(a) - KSSpecialFunctions.logFactorial(b)
            - KSSpecialFunctions.logFactorial(a - b)
    }
}
