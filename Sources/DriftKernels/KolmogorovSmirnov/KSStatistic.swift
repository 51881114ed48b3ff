/// The two-sample Kolmogorov–Smirnov statistic of a baseline (F, n values) against a current sample
/// (G, m values), evaluated exactly as `scipy.stats.ks_2samp(baseline, current)` evaluates it: at every value
/// of the union, `F(v) − G(v)` computed in float64 as `i/n − j/m`.
public struct KSStatistic: Sendable, Equatable {
    /// D = max |F − G| over the union of both samples.
    public var d: Double
    /// max(F − G, 0): the baseline CDF above the current one (current shifted towards larger values).
    public var dPlus: Double
    /// max(G − F, 0): the current CDF above the baseline one (current shifted towards smaller values).
    public var dMinus: Double
    /// Non-null sizes used: baseline n and current m.
    public var n: Int
    public var m: Int

    public init(d: Double, dPlus: Double, dMinus: Double, n: Int, m: Int) {
        self.d = d
        self.dPlus = dPlus
        self.dMinus = dMinus
        self.n = n
        self.m = m
    }
}

extension KSStatistic {
    /// D of `current` against a pre-sorted `baseline`, both float32.
    ///
    /// Walks the runs of equal current values once; the baseline cursor advances by galloping (exponential then
    /// binary search), so the cost is O(m + n) when the sizes are alike and O(m log(n/m)) when the block is much
    /// smaller than the baseline. Counts are exact integers; the float64 value of `i/n − j/m` is taken at every
    /// point within rounding distance of the running extremes, so D is bit-identical to scipy's, ties included.
    /// - Throws: `insufficientData` when either side has no non-null value.
    public init(baseline: SortedSample<Float>, current: SortedSample<Float>) throws(KernelError) {
        self = try _ksStatistic(baseline, current)
    }

    /// D for float64 samples. See the float32 overload.
    public init(baseline: SortedSample<Double>, current: SortedSample<Double>) throws(KernelError) {
        self = try _ksStatistic(baseline, current)
    }

    /// The plain reference: D by scipy's own recipe (both CDFs by binary search at every union value).
    /// O((n + m) log(n + m)); tests compare the fast kernel against it.
    public static func scalarReference<T: DriftFloat>(baseline: [T], current: [T]) -> Double {
        let a = baseline.filter { !$0.isNaN }.sorted()
        let b = current.filter { !$0.isNaN }.sorted()
        let n = Double(a.count), m = Double(b.count)
        var maxS = -Double.infinity, minS = Double.infinity
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                for v in a + b {
                    let diff = Double(_upperBound(pa, v)) / n - Double(_upperBound(pb, v)) / m
                    maxS = Swift.max(maxS, diff)
                    minS = Swift.min(minS, diff)
                }
            }
        }
        return Swift.max(Swift.min(Swift.max(-minS, 0), 1), maxS)
    }
}

/// Tracks the extremes of F − G exactly (integers) and their float64 values the way scipy computes them.
struct _KSExtremes {
    let n: Int, m: Int
    let dn: Double, dm: Double
    /// Two float differences whose exact values differ by less than this many units of 1/(n·m) may round in
    /// either order; every point that close to the running extreme has its float value taken.
    let slack: Int
    var kMax = Int.min / 2, kMin = Int.max / 2
    var fMax = -Double.infinity, fMin = Double.infinity

    init(n: Int, m: Int) {
        self.n = n
        self.m = m
        dn = Double(n)
        dm = Double(m)
        slack = Int(Double(n) * Double(m) * 1e-15) + 1
    }

    @inline(__always)
    mutating func upper(_ i: Int, _ j: Int) {
        let k = i &* m &- j &* n
        if k >= kMax &- slack {
            fMax = Swift.max(fMax, Double(i) / dn - Double(j) / dm)
            kMax = Swift.max(kMax, k)
        }
    }

    @inline(__always)
    mutating func lower(_ i: Int, _ j: Int) {
        let k = i &* m &- j &* n
        if k <= kMin &+ slack {
            fMin = Swift.min(fMin, Double(i) / dn - Double(j) / dm)
            kMin = Swift.min(kMin, k)
        }
    }

    /// Folds in the extremes another stream found over other points of the same comparison.
    mutating func merge(_ o: _KSExtremes) {
        kMax = Swift.max(kMax, o.kMax)
        kMin = Swift.min(kMin, o.kMin)
        fMax = Swift.max(fMax, o.fMax)
        fMin = Swift.min(fMin, o.fMin)
    }

    var statistic: KSStatistic {
        let minS = Swift.min(Swift.max(-fMin, 0), 1)
        let d = Swift.max(minS, fMax)
        return KSStatistic(d: d, dPlus: Swift.max(fMax, 0), dMinus: minS, n: n, m: m)
    }
}

/// First index `>= from` whose value is not `< x` (or not `<= x` when `inclusive`); the padding of +inf stops it.
@inline(__always)
func _gallop<T: DriftFloat>(_ a: UnsafePointer<T>, from: Int, end: Int, _ x: T, inclusive: Bool) -> Int {
    @inline(__always) func before(_ i: Int) -> Bool { inclusive ? a[i] <= x : a[i] < x }
    if from >= end || !before(from) { return from }
    var lo = from  // before(lo) holds
    var step = 1
    while lo + step < end && before(lo + step) {
        lo += step
        step <<= 1
    }
    var hi = Swift.min(lo + step, end)  // !before(hi) or hi == end
    while hi - lo > 1 {
        let mid = (lo + hi) >> 1
        if before(mid) { lo = mid } else { hi = mid }
    }
    return hi
}

@inline(__always)
func _ksStatistic<T: DriftFloat>(_ baseline: SortedSample<T>, _ current: SortedSample<T>) throws(KernelError) -> KSStatistic {
    let n = baseline.count, m = current.count
    guard n > 0 else { throw KernelError(.insufficientData, "KS: baseline has no non-null values") }
    guard m > 0 else { throw KernelError(.insufficientData, "KS: current sample has no non-null values") }
    var ext = _KSExtremes(n: n, m: m)
    let i0 = baseline.negativeInfinityCount, j0 = current.negativeInfinityCount
    if i0 + j0 > 0 {
        ext.upper(i0, j0)
        ext.lower(i0, j0)
    }
    let nf = baseline.finiteCount, mf = current.finiteCount
    if mf > 0 {
        baseline.storage.withUnsafeBufferPointer { aBuf in
            current.storage.withUnsafeBufferPointer { bBuf in
                let a = aBuf.baseAddress!, b = bBuf.baseAddress!
                if nf > 16 * mf || mf < 4 * _ksStreams {
                    _ksGallop(a, nf, b, 0, mf, i0, j0, &ext)
                } else {
                    _ksInterleaved(a, nf, b, mf, i0, j0, &ext)
                }
            }
        }
    }
    // Baseline values above the last finite current value (before any current +inf).
    ext.upper(i0 + nf, j0 + mf)
    ext.lower(n, m)
    ext.upper(n, m)
    return ext.statistic
}

/// Independent merge streams interleaved when the sizes are alike (hides the load-compare-advance latency);
/// 4 measured faster than 1, 2 and 8.
let _ksStreams = 4

/// One current run [k, kEnd) of equal values: F just below it and at it, against G before and after it.
@inline(__always)
func _ksRun<T: DriftFloat>(_ a: UnsafePointer<T>, _ nf: Int, _ b: UnsafePointer<T>, _ k: Int, _ p: inout Int,
                           _ i0: Int, _ j0: Int, _ ext: inout _KSExtremes) -> Int {
    let c = b[k]
    var kEnd = k + 1
    while b[kEnd] == c { kEnd += 1 }  // the +inf padding stops the run
    // Baseline cursor to the first value >= c. The baseline is sorted, so the number of a[p ..< p+4] below c is
    // the advance; the four compares are independent of each other (one load latency, not four), and a gap
    // longer than four takes the rarely used gallop. The +inf padding makes the reads safe.
    let s0 = a[p] < c ? 1 : 0, s1 = a[p + 1] < c ? 1 : 0
    let s2 = a[p + 2] < c ? 1 : 0, s3 = a[p + 3] < c ? 1 : 0
    var q = p &+ ((s0 &+ s1) &+ (s2 &+ s3))
    if s3 != 0 { q = _gallop(a, from: p + 4, end: nf, c, inclusive: false) }
    ext.upper(i0 + q, j0 + k)  // largest baseline value below c, against G before this run
    if a[q] == c {  // c also occurs in the baseline
        q = _gallop(a, from: q, end: nf, c, inclusive: true)
        ext.upper(i0 + q, j0 + kEnd)
    }
    ext.lower(i0 + q, j0 + kEnd)
    p = q
    return kEnd
}

/// Per-run galloping over current[k0 ..< k1]: O(m log(n/m)) for a small block against a large baseline.
@inline(__always)
func _ksGallop<T: DriftFloat>(_ a: UnsafePointer<T>, _ nf: Int, _ b: UnsafePointer<T>, _ k0: Int, _ k1: Int,
                              _ i0: Int, _ j0: Int, _ ext: inout _KSExtremes) {
    var p = k0 == 0 ? 0 : _gallop(a, from: 0, end: nf, b[k0], inclusive: false)
    var k = k0
    while k < k1 {
        let c = b[k]
        var kEnd = k + 1
        while b[kEnd] == c { kEnd += 1 }
        let lower = _gallop(a, from: p, end: nf, c, inclusive: false)
        let upper = _gallop(a, from: lower, end: nf, c, inclusive: true)
        ext.upper(i0 + lower, j0 + k)
        ext.upper(i0 + upper, j0 + kEnd)
        ext.lower(i0 + upper, j0 + kEnd)
        p = upper
        k = kEnd
    }
}

/// The current sample cut into four segments at run boundaries, each merged against the baseline by its own
/// cursor (found by binary search) and stepped in lockstep, so the four dependency chains overlap; the stream
/// state lives in locals (registers), not in memory. Each point is evaluated with absolute counts, so the
/// streams need no combining beyond their extremes.
@inline(__always)
func _ksInterleaved<T: DriftFloat>(_ a: UnsafePointer<T>, _ nf: Int, _ b: UnsafePointer<T>, _ mf: Int,
                                   _ i0: Int, _ j0: Int, _ ext: inout _KSExtremes) {
    @inline(__always) func segmentStart(_ i: Int) -> Int {
        var start = mf * i / 4
        while start > 0 && start < mf && b[start] == b[start - 1] { start += 1 }  // do not split a run
        return start
    }
    @inline(__always) func cursor(_ start: Int) -> Int {
        start == 0 ? 0 : _gallop(a, from: 0, end: nf, b[Swift.min(start, mf - 1)], inclusive: false)
    }
    var k0 = 0, k1 = segmentStart(1), k2 = segmentStart(2), k3 = segmentStart(3)
    let e0 = k1, e1 = Swift.max(k1, k2), e2 = Swift.max(e1, k3), e3 = mf
    k2 = Swift.max(k2, e1)
    k3 = Swift.max(k3, e2)
    var p0 = 0, p1 = cursor(k1), p2 = cursor(k2), p3 = cursor(k3)
    var x0 = ext, x1 = ext, x2 = ext, x3 = ext
    while k0 < e0 && k1 < e1 && k2 < e2 && k3 < e3 {
        k0 = _ksRun(a, nf, b, k0, &p0, i0, j0, &x0)
        k1 = _ksRun(a, nf, b, k1, &p1, i0, j0, &x1)
        k2 = _ksRun(a, nf, b, k2, &p2, i0, j0, &x2)
        k3 = _ksRun(a, nf, b, k3, &p3, i0, j0, &x3)
    }
    while k0 < e0 { k0 = _ksRun(a, nf, b, k0, &p0, i0, j0, &x0) }
    while k1 < e1 { k1 = _ksRun(a, nf, b, k1, &p1, i0, j0, &x1) }
    while k2 < e2 { k2 = _ksRun(a, nf, b, k2, &p2, i0, j0, &x2) }
    while k3 < e3 { k3 = _ksRun(a, nf, b, k3, &p3, i0, j0, &x3) }
    ext.merge(x0)
    ext.merge(x1)
    ext.merge(x2)
    ext.merge(x3)
}
