/// The one walk behind the indexed KS and Wasserstein: the distinct values x of the current sample in ascending
/// order, each located in the baseline by the fence cursor and one rank block.
///
/// Per distinct current value x (a run current[k ..< kEnd]):
/// - fence cursor `fb` = number of fences `< x` (monotone: one 16-lane compare from the previous position, a gallop
///   over the fences when all 16 are below), so x's rank lies in block `fb − 1`;
/// - `lo` = #baseline `< x` from one SIMD count in that block, with Σ (value − pivot) over the counted values when
///   the Wasserstein sums are wanted; `le` = #baseline `<= x` (another count, and a fence gallop only when a tie run
///   crosses a block boundary);
/// - KS: the same three points as the galloping merge (`_ksGallop`), so D is bit-identical;
/// - Wasserstein: ∫ |F − G| dx over [previous x, x), where G is constant (J/m) and F climbs through the baseline
///   values strictly between the two (`le` of the previous value up to `lo` of this one). With integer
///   δ(i) = i·m − J·n (the sign of F − G at i baseline values), the interval is one of
///   - F ≥ G throughout (δ(s) ≥ 0): δ(s)/(nm) · Δx + (1/n) Σ (x − a),
///   - F ≤ G throughout (δ(e) ≤ 0): −δ(e)/(nm) · Δx + (1/n) Σ (a − x_prev),
///   - a crossing at k* = ⌈J n / m⌉: split at a[k* − 1], each part as above;
///   every term is ≥ 0 (no cancellation between them), and each Σ is a range sum from the prefix sums. The parts
///   before the first and after the last current value are (1/n) Σ over the baseline values outside.
/// Returns W (0 when `wasserstein` is false); the KS points go into `ext`.
@inline(__always)
func _indexedWalk<T: DriftFloat>(_ index: IndexedSortedSample<T>, _ current: SortedSample<T>, ks: Bool, wasserstein: Bool,
                                 i0: Int, j0: Int, _ ext: inout _KSExtremes) -> Double {
    let nf = index.sample.finiteCount, mf = current.finiteCount
    let fenceCount = (nf + _rankBlock - 1) / _rankBlock
    let pv = index.pivot
    let n = nf, m = mf
    return index.sample.storage.withUnsafeBufferPointer { aBuf in
        index.fences.withUnsafeBufferPointer { fBuf in
            index.prefix.withUnsafeBufferPointer { pBuf in
                current.storage.withUnsafeBufferPointer { cBuf in
                    let a = aBuf.baseAddress!, f = fBuf.baseAddress!, pre = pBuf.baseAddress!, c = cBuf.baseAddress!
                    // Σ_{i < k} (a_i − pivot) as (high, low) for any 0 ≤ k ≤ nf.
                    @inline(__always) func prefixAt(_ k: Int) -> (Double, Double) {
                        let b = k / _rankBlock
                        let s = T._rankBlockPrefixSum(a + b * _rankBlock, count: k - b * _rankBlock, pivot: pv)
                        return (pre[2 * b], pre[2 * b + 1] + s)
                    }
                    var fb = 0
                    var sumA = 0.0, sumB = 0.0  // W = sumA / (n m) + sumB / n
                    var xPrev = 0.0, sPrev = 0, pPrevHigh = 0.0, pPrevLow = 0.0, j = 0
                    var k = 0
                    while k < mf {
                        let x = c[k]
                        var kEnd = k + 1
                        while c[kEnd] == x { kEnd += 1 }  // the +inf padding stops the run
                        let step = T._rankBlockCount(f + fb, below: x)
                        fb += step
                        if step == _rankBlock { fb = _gallop(f, from: fb, end: fenceCount, x, inclusive: false) }
                        var lo = 0, pHigh = 0.0, pLow = 0.0
                        if fb > 0 {
                            let base = (fb - 1) * _rankBlock
                            if wasserstein {
                                let (count, sum) = T._rankBlockSum(a + base, below: x, pivot: pv)
                                lo = base + count
                                pHigh = pre[2 * (fb - 1)]
                                pLow = pre[2 * (fb - 1) + 1] + sum
                            } else {
                                lo = base + T._rankBlockCount(a + base, below: x)
                            }
                        }
                        var le = lo
                        if a[lo] == x {  // x also occurs in the baseline (a[nf] is +inf padding)
                            var fb2 = fb
                            if f[fb2] <= x { fb2 = _gallop(f, from: fb2, end: fenceCount, x, inclusive: true) }
                            let base = (fb2 - 1) * _rankBlock
                            le = base + T._rankBlockCount(a + base, atOrBelow: x)
                        }
                        if ks {
                            ext.upper(i0 + lo, j0 + k)
                            ext.upper(i0 + le, j0 + kEnd)
                            ext.lower(i0 + le, j0 + kEnd)
                        }
                        if wasserstein {
                            let xd = Double(x)
                            if k == 0 {
                                // below the first current value G = 0: ∫ F = (1/n) Σ_{a < x} (x − a)
                                sumB += Double(lo) * (xd - pv) - (pHigh + pLow)
                            } else {
                                let s = sPrev, e = lo
                                let ds = s &* m &- j &* n, de = e &* m &- j &* n
                                // Σ over [s, e) of (a − pivot); an empty range is 0 exactly (the two prefix values
                                // were reached by different roundings)
                                let range = e == s ? 0 : (pHigh - pPrevHigh) + (pLow - pPrevLow)
                                if ds >= 0 {
                                    sumA += Double(ds) * (xd - xPrev)
                                    sumB += Double(e - s) * (xd - pv) - range
                                } else if de <= 0 {
                                    sumA += Double(0 &- de) * (xd - xPrev)
                                    sumB += range - Double(e - s) * (xPrev - pv)
                                } else {
                                    // F reaches G at k* baseline values, i.e. from x* = a[k* − 1] on
                                    let kStar = (j &* n &+ m &- 1) / m
                                    let xs = Double(a[kStar - 1])
                                    let (qHigh, qLow0) = prefixAt(kStar - 1)
                                    let below = kStar - 1 == s ? 0 : (qHigh - pPrevHigh) + (qLow0 - pPrevLow)
                                    sumA += Double(j &* n &- (kStar - 1) &* m) * (xs - xPrev)
                                    sumB += below - Double(kStar - 1 - s) * (xPrev - pv)
                                    let qLow = qLow0 + (xs - pv)
                                    let above = e == kStar ? 0 : (pHigh - qHigh) + (pLow - qLow)
                                    sumA += Double(kStar &* m &- j &* n) * (xd - xs)
                                    sumB += Double(e - kStar) * (xd - pv) - above
                                }
                            }
                            // the tie run [lo, le) equals x
                            pLow += Double(le - lo) * (xd - pv)
                            xPrev = xd
                            sPrev = le
                            pPrevHigh = pHigh
                            pPrevLow = pLow
                            j = kEnd
                        }
                        k = kEnd
                    }
                    guard wasserstein, mf > 0 else { return 0 }
                    // above the last current value G = 1: ∫ (1 − F) = (1/n) Σ_{a > x} (a − x)
                    if sPrev < n {
                        let totalHigh = pre[2 * fenceCount], totalLow = pre[2 * fenceCount + 1]
                        sumB += ((totalHigh - pPrevHigh) + (totalLow - pPrevLow)) - Double(n - sPrev) * (xPrev - pv)
                    }
                    return sumA / (Double(n) * Double(m)) + sumB / Double(n)
                }
            }
        }
    }
}
