/// The exact two-sample Kolmogorov–Smirnov test of a current sample against a pre-sorted baseline:
/// D as ``KSStatistic`` and the two-sided p-value with `scipy.stats.ks_2samp` semantics (``TwoSampleKSPValue``).
///
/// As in scipy, when the exact distribution is used (method `auto` with max(n, m) ≤ 10 000, or `exact`), the
/// reported D is snapped to the lattice it lives on: h / lcm(n, m) with h = round(D · lcm), which removes the
/// rounding noise of `i/n − j/m` (0.035 instead of 0.03500000000000003).
public struct KolmogorovSmirnovTest: Sendable, Equatable {
    public var statistic: KSStatistic
    public var pValue: Double
    public var method: KSPValueMethod

    public init(statistic: KSStatistic, mode: TwoSampleKSPValue.Mode = .auto) {
        var statistic = statistic
        let exactMode: Bool
        switch mode {
        case .auto: exactMode = Swift.max(statistic.n, statistic.m) <= TwoSampleKSPValue.maxAutoExactSize
        case .exact: exactMode = true
        case .asymptotic: exactMode = false
        }
        if exactMode {
            let g = _gcd(statistic.n, statistic.m)
            let lcm = Double(statistic.n / g) * Double(statistic.m)
            let snap = { (x: Double) in (x * lcm).rounded(.toNearestOrEven) / lcm }
            statistic.d = snap(statistic.d)
            statistic.dPlus = snap(statistic.dPlus)
            statistic.dMinus = snap(statistic.dMinus)
        }
        self.statistic = statistic
        (pValue, method) = TwoSampleKSPValue.pValue(d: statistic.d, n1: statistic.n, n2: statistic.m, mode: mode)
    }

    public init(baseline: SortedSample<Float>, current: SortedSample<Float>, mode: TwoSampleKSPValue.Mode = .auto)
        throws(KernelError)
    {
        self.init(statistic: try KSStatistic(baseline: baseline, current: current), mode: mode)
    }

    public init(baseline: SortedSample<Double>, current: SortedSample<Double>, mode: TwoSampleKSPValue.Mode = .auto)
        throws(KernelError)
    {
        self.init(statistic: try KSStatistic(baseline: baseline, current: current), mode: mode)
    }
}

func _gcd(_ a: Int, _ b: Int) -> Int {
    var (a, b) = (a, b)
    while b != 0 { (a, b) = (b, a % b) }
    return a
}
