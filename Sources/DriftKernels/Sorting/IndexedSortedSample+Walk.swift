/// The one walk behind the indexed KS and Wasserstein: the distinct values x of the current sample in ascending
/// order, each located in the baseline by a fence cursor — and read exactly only where the answer depends on it.
///
/// The fence position `fb` (number of fences `< x`) alone bounds x's baseline rank to one block of 16:
/// lo = #baseline `< x` ∈ [loMin, loMax]. That is enough almost everywhere:
/// - **KS**: a point whose upper bound of i·M − j·N stays below the best lower bound of the maximum seen so far
///   (less the rounding slack) cannot be the maximum, nor round into it; likewise for the minimum. Only the few
///   runs near an extreme are *candidates*.
/// - **Wasserstein**: on the interval [x_prev, x), G is the constant J/m and F climbs through the baseline values
///   strictly between; the integer δ(i) = i·m − J·n is the sign of F − G at i baseline values. When the bounds
///   fix the sign for the whole interval (δ(loMin of x_prev) > 0: F > G, kind A; δ(loMax of x) < 0: F < G, kind B)
///   the interval belongs to a *stretch* of one kind, whose integral needs exact ranks only at its two ends:
///     nm ∫ (F − G) over [x_a, x_b) = Σ_intervals (ℓ·m − J·n)·Δx + m·[(lo_b − ℓ)(x_b − p) − (P(lo_b) − P(ℓ))],
///   with ℓ = #baseline `<=` x_a and P(i) = Σ_{k < i} (a_k − p) the index's centred prefix sum (kind B: the
///   negative). Intervals whose sign the bounds leave open (around a crossing of F and G) are *uncertain* and
///   computed exactly from both ends' ranks, in one of three closed forms: F ≥ G throughout (δ(s) ≥ 0),
///   F ≤ G throughout (δ(e) ≤ 0), or a crossing at k* = ⌈J n / m⌉ split at a[k* − 1]; below the first and above
///   the last current value are an A and a B interval against the baseline values outside.
/// So a chunk of at most `_rankChunk` current values takes four passes:
/// 1. **locate** — the fence position and the end of every run: a cursor advanced by 16-lane compare-and-counts
///    over the fences (and the super-fences when far). The cursor is a chain of dependent loads; the chunk is cut
///    into four segments with a cursor each, stepped in lockstep, so four chains overlap.
/// 2. **flag** — the bounds of every run: KS candidates, the kind of every interval, and the runs where exact
///    ranks are needed: KS candidates and tie runs that go past their block; the Wasserstein boundaries (ends of
///    stretches and of uncertain intervals, the chunk's first and last run), chosen by the Wasserstein rules alone
///    so that W has the same bits with or without KS.
/// 3. **rank** — for the flagged runs only, `lo` and `le` = #baseline `<= x` from one SIMD count in the block (and
///    a fence gallop for a long tie run): with a baseline ~100 times larger than the block, a few percent of the
///    runs, so few cache misses.
/// 4. **accumulate** — in order: the KS points of the flagged runs (those of the galloping merge `_ksGallop`,
///    less the one a tie-free run makes redundant, so D is bit-identical), and the Wasserstein integral, stretch by
///    stretch and interval by interval, into one unevaluated double-double with exact products (FMA) and exact
///    differences (TwoSum): the large stretch terms cancel without loss, W matches the merge to ~1e-15 relative, and
///    it is exactly 0 when F = G at every point.
/// Returns W (0 when `wasserstein` is false); the KS points go into `ext`.
@inline(__always)
func _indexedWalk<T: DriftFloat>(_ index: IndexedSortedSample<T>, _ current: SortedSample<T>, ks: Bool, wasserstein: Bool,
                                 i0: Int, j0: Int, _ ext: inout _KSExtremes) -> Double {
    let nf = index.sample.finiteCount, mf = current.finiteCount
    guard mf > 0 else { return 0 }
    return index.sample.storage.withUnsafeBufferPointer { aBuf in
        index.fences.withUnsafeBufferPointer { fBuf in
          index.superFences.withUnsafeBufferPointer { sfBuf in
            index.prefix.withUnsafeBufferPointer { pBuf in
                current.storage.withUnsafeBufferPointer { cBuf in
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: 6 * _rankChunk) { ints in
                        let i = ints.baseAddress!
                        let ranks = _RankBuffers(fence: i, end: i + _rankChunk, lo: i + 2 * _rankChunk,
                                                 le: i + 3 * _rankChunk, flagged: i + 4 * _rankChunk,
                                                 boundary: i + 5 * _rankChunk)
                        var walk = _IndexedWalk<T>(a: aBuf.baseAddress!, f: fBuf.baseAddress!, sf: sfBuf.baseAddress!,
                                                   pre: pBuf.baseAddress!, c: cBuf.baseAddress!, nf: nf, mf: mf,
                                                   pivot: index.pivot, ranks: ranks)
                        var k0 = 0
                        while k0 < mf {
                            // cut before a run that crosses the chunk end (or after it, if it fills the chunk)
                            var k1 = Swift.min(k0 + _rankChunk, mf)
                            if k1 < mf && walk.c[k1] == walk.c[k1 - 1] {
                                while k1 > k0 && walk.c[k1 - 1] == walk.c[k1] { k1 -= 1 }
                                if k1 == k0 {
                                    k1 += 1
                                    while walk.c[k1] == walk.c[k0] { k1 += 1 }
                                }
                            }
                            walk.locateChunk(k0, k1)
                            let flagged = walk.flagChunk(k0, k1, ks: ks, wasserstein: wasserstein, i0: i0, j0: j0, ext)
                            walk.rankFlagged(k0, flagged)
                            walk.accumulateChunk(k0, k1, ks: ks, wasserstein: wasserstein, i0: i0, j0: j0, &ext)
                            k0 = k1
                        }
                        return wasserstein ? walk.wassersteinDistance() : 0
                    }
                }
            }
          }
        }
    }
}

/// Current values per chunk of the indexed walk (the rank buffers, 48 bytes per value, stay in L1/L2).
let _rankChunk = 1024

/// Per run start `k − k0` of a chunk: the fences `<` the run's value and the run's end (pass 1), whether the run
/// ends a Wasserstein stretch or exact interval (pass 2), and for flagged runs #baseline `<` and `<=` the value
/// (pass 3; `lo` is −1 for a run that was not flagged). `flagged` lists the flagged slots (pass 2).
///
/// The Wasserstein boundaries depend on the Wasserstein rules alone (not on which runs KS needs), so W comes out
/// with the same bits whether or not KS shares the walk.
struct _RankBuffers {
    let fence: UnsafeMutablePointer<Int>
    let end: UnsafeMutablePointer<Int>
    let lo: UnsafeMutablePointer<Int>
    let le: UnsafeMutablePointer<Int>
    let flagged: UnsafeMutablePointer<Int>
    let boundary: UnsafeMutablePointer<Int>
}

/// The sign of F − G over an interval, as far as the bounds tell: F > G throughout (A), F < G throughout (B), or
/// open (uncertain: computed from exact ranks).
enum _IntervalKind: UInt8 {
    case above, below, uncertain
}

/// An unevaluated double-double sum (high + low) with exact products (FMA) and exact differences (TwoSum).
struct _DoubleDouble {
    var high = 0.0, low = 0.0

    init() {}

    init(_ high: Double, _ low: Double) {
        self.high = high
        self.low = low
    }

    var value: Double { high + low }

    /// Adds x; the rounding error of the addition goes into the low word.
    @_transparent
    mutating func add(_ x: Double) {
        let (s, e) = _twoSum(high, x)
        high = s
        low += e
    }

    /// Adds a · b exactly (up to the low word's own rounding).
    @_transparent
    mutating func add(_ a: Double, times b: Double) {
        let p = a * b
        add(p)
        low += (-p).addingProduct(a, b)
    }

    /// Adds a · (x − y) with the difference taken exactly.
    @_transparent
    mutating func add(_ a: Double, timesDifference x: Double, _ y: Double) {
        let (d, e) = _twoSum(x, -y)
        add(a, times: d)
        low += a * e
    }

    /// Adds a · s for a double-double s.
    @_transparent
    mutating func add(_ a: Double, times s: _DoubleDouble) {
        add(a, times: s.high)
        low += a * s.low
    }
}

/// The state of one indexed walk: pointers, the fence cursor, the KS bounds and the Wasserstein accumulator.
struct _IndexedWalk<T: DriftFloat> {
    let a: UnsafePointer<T>, f: UnsafePointer<T>, sf: UnsafePointer<T>, pre: UnsafePointer<Double>, c: UnsafePointer<T>
    let nf: Int, mf: Int, fenceCount: Int
    let pivot: Double
    let ranks: _RankBuffers
    /// Fences `<` the first value of the next chunk (all chunks' cursors start from it).
    var fenceCursor = 0
    /// A lower bound of the KS maximum of i·M − j·N and an upper bound of its minimum, from the runs seen so far.
    var ksLowerOfMax = Int.min / 2, ksUpperOfMin = Int.max / 2
    /// n·m·W so far.
    var sum = _DoubleDouble()
    /// The previous distinct current value, its lower rank bound, and (it is always flagged when needed) its exact
    /// `lo`, tie count `le − lo` and P(lo).
    var xPrev = 0.0, loMinPrev = 0, loPrev = 0, tiesPrev = 0
    var pPrev = _DoubleDouble()
    /// The open stretch: its kind, ℓ = #baseline `<=` its first value, and P(ℓ).
    var stretchOpen = false, stretchEll = 0
    var stretchP = _DoubleDouble()
    /// F = G at every point so far (then W is exactly 0).
    var identical = true

    @inline(__always)
    init(a: UnsafePointer<T>, f: UnsafePointer<T>, sf: UnsafePointer<T>, pre: UnsafePointer<Double>, c: UnsafePointer<T>,
         nf: Int, mf: Int, pivot: Double, ranks: _RankBuffers) {
        self.a = a
        self.f = f
        self.sf = sf
        self.pre = pre
        self.c = c
        self.nf = nf
        self.mf = mf
        self.fenceCount = (nf + _rankBlock - 1) / _rankBlock
        self.pivot = pivot
        self.ranks = ranks
    }

    /// Pass 1 over current[k0 ..< k1] (whole runs): the fence position and the end of every run. Four segments cut
    /// at run boundaries, each with its own fence cursor, stepped in lockstep.
    @inline(never)
    mutating func locateChunk(_ k0: Int, _ k1: Int) {
        let f = self.f, sf = self.sf, c = self.c, ranks = self.ranks
        @inline(__always) func segmentStart(_ i: Int) -> Int {
            var start = k0 + (k1 - k0) * i / 4
            while start > k0 && start < k1 && c[start] == c[start - 1] { start += 1 }  // do not split a run
            return start
        }
        var s0 = k0, s1 = segmentStart(1), s2 = segmentStart(2), s3 = segmentStart(3)
        let e0 = s1, e1 = Swift.max(s1, s2), e2 = Swift.max(e1, s3), e3 = k1
        s2 = Swift.max(s2, e1)
        s3 = Swift.max(s3, e2)
        let start = fenceCursor
        @inline(__always) func cursor(_ s: Int) -> Int { s < k1 ? _fences(f, sf, below: c[s], from: start) : start }
        var f0 = start, f1 = cursor(s1), f2 = cursor(s2), f3 = cursor(s3)
        while s0 < e0 && s1 < e1 && s2 < e2 && s3 < e3 {
            s0 = _locateRun(f, sf, c, ranks, s0, &f0, s0 &- k0)
            s1 = _locateRun(f, sf, c, ranks, s1, &f1, s1 &- k0)
            s2 = _locateRun(f, sf, c, ranks, s2, &f2, s2 &- k0)
            s3 = _locateRun(f, sf, c, ranks, s3, &f3, s3 &- k0)
        }
        while s0 < e0 { s0 = _locateRun(f, sf, c, ranks, s0, &f0, s0 &- k0) }
        while s1 < e1 { s1 = _locateRun(f, sf, c, ranks, s1, &f1, s1 &- k0) }
        while s2 < e2 { s2 = _locateRun(f, sf, c, ranks, s2, &f2, s2 &- k0) }
        while s3 < e3 { s3 = _locateRun(f, sf, c, ranks, s3, &f3, s3 &- k0) }
        fenceCursor = Swift.max(Swift.max(f0, f1), Swift.max(f2, f3))
    }

    /// First index of the block in which the values counted by `fb` fences end: block `fb − 1` (block 0 for
    /// `fb = 0`, where no value is below). Branch-free.
    @_transparent
    static func blockStart(_ fb: Int) -> Int { Swift.max(0, (fb &- 1) &* _rankBlock) }

    /// Bounds of lo = #baseline `< x` from the fence position alone: a[16 (fb − 1)] < x <= a[16 fb].
    @_transparent
    func rankBounds(_ fb: Int) -> (min: Int, max: Int) {
        let blockEnd = fb &* _rankBlock
        return (fb == 0 ? 0 : blockEnd &- (_rankBlock &- 1), Swift.min(nf, blockEnd))
    }

    /// The kind of the interval [x_prev, x) as far as the bounds tell (J = k current values lie below x).
    @_transparent
    func kind(loMinPrev: Int, loMax: Int, k: Int) -> _IntervalKind {
        let jn = k &* nf
        if loMinPrev &* mf &- jn > 0 { return .above }
        if loMax &* mf &- jn < 0 { return .below }
        return .uncertain
    }

    /// Pass 2 over the runs of current[k0 ..< k1]: bounds, KS candidates and interval kinds; flags the runs that
    /// need exact ranks (listed in `ranks.flagged`, the others get lo = −1) and returns how many.
    @inline(never)
    mutating func flagChunk(_ k0: Int, _ k1: Int, ks: Bool, wasserstein: Bool, i0: Int, j0: Int,
                            _ ext: _KSExtremes) -> Int {
        let c = self.c, f = self.f, fence = ranks.fence, end = ranks.end, los = ranks.lo, list = ranks.flagged
        let bigN = ext.n, bigM = ext.m, slack = ext.slack
        var upperBar = Int.min / 2, lowerBar = Int.max / 2
        if ks {
            // the best bounds of the extremes over this chunk (and all before) first, so that few runs qualify
            var lowerOfMax = Swift.max(ksLowerOfMax, ext.kMax), upperOfMin = Swift.min(ksUpperOfMin, ext.kMin)
            var k = k0
            while k < k1 {
                let slot = k &- k0, kEnd = end[slot], fb = fence[slot]
                let (loMin, loMax) = rankBounds(fb)
                lowerOfMax = Swift.max(lowerOfMax, (i0 &+ loMin) &* bigM &- (j0 &+ k) &* bigN)
                // le <= loMax bounds the lower point unless a tie run goes past the block (then it is left out:
                // the minimum over the other runs still bounds the true minimum from above)
                if f[fb] != c[k] { upperOfMin = Swift.min(upperOfMin, (i0 &+ loMax) &* bigM &- (j0 &+ kEnd) &* bigN) }
                k = kEnd
            }
            ksLowerOfMax = lowerOfMax
            ksUpperOfMin = upperOfMin
            upperBar = lowerOfMax &- slack
            lowerBar = upperOfMin &+ slack
        }
        let boundary = ranks.boundary
        var count = 0
        var k = k0
        var kindIn = _IntervalKind.uncertain  // the chunk's first interval is computed exactly
        while k < k1 {
            let slot = k &- k0, kEnd = end[slot], fb = fence[slot]
            let (loMin, loMax) = rankBounds(fb)
            var flag = false
            if ks {
                // a tie run may go past the block (then le is not bounded by it); the upper points (lo, k) and
                // (le, kEnd), with le <= loMax otherwise, and the lower point (le, kEnd)
                flag = f[fb] == c[k] || (i0 &+ loMax) &* bigM &- (j0 &+ k) &* bigN >= upperBar
                    || (i0 &+ loMin) &* bigM &- (j0 &+ kEnd) &* bigN <= lowerBar
            }
            if wasserstein {
                let kindOut = kEnd < k1 ? kind(loMinPrev: loMin, loMax: rankBounds(fence[kEnd &- k0]).max, k: kEnd) : .uncertain
                let ends = kindIn == .uncertain || kindOut != kindIn
                boundary[slot] = ends ? 1 : 0
                flag = flag || ends
                kindIn = kindOut
            }
            if flag {
                list[count] = slot
                count &+= 1
            } else {
                los[slot] = -1
            }
            k = kEnd
        }
        return count
    }

    /// Pass 3: exact ranks of the flagged runs, one rank block each (a fence gallop and a second block only when a
    /// tie run fills the block and crosses the next fence).
    @inline(never)
    func rankFlagged(_ k0: Int, _ count: Int) {
        let a = self.a, f = self.f, c = self.c, fenceCount = self.fenceCount
        let fence = ranks.fence, los = ranks.lo, les = ranks.le, list = ranks.flagged
        for i in 0..<count {
            let slot = list[i]
            let x = c[k0 &+ slot], fb = fence[slot]
            let base = Self.blockStart(fb)
            let (below, atOrBelow) = T._rankBlockCounts(a + base, x)
            var le = base &+ atOrBelow
            if atOrBelow == _rankBlock && f[fb] <= x {
                let fb2 = _gallop(f, from: fb, end: fenceCount, x, inclusive: true)
                let base2 = Self.blockStart(fb2)
                le = base2 &+ T._rankBlockCount(a + base2, atOrBelow: x)
            }
            los[slot] = base &+ below
            les[slot] = le
        }
    }

    /// Σ_{i < k} (a_i − pivot) for any 0 ≤ k ≤ nf: the fixed block's prefix entry plus a SIMD partial sum.
    @inline(__always)
    func prefix(at k: Int) -> _DoubleDouble {
        let b = k / _rankBlock, start = b &* _rankBlock
        let s = T._rankBlockPrefixSum(a + start, count: k &- start, pivot: pivot)
        return _DoubleDouble(pre[2 &* b], pre[2 &* b &+ 1] + s)
    }

    /// Pass 4 over the runs of current[k0 ..< k1], in order: KS points of the flagged runs, and the Wasserstein
    /// intervals (stretches and exact intervals).
    @inline(never)
    mutating func accumulateChunk(_ k0: Int, _ k1: Int, ks: Bool, wasserstein: Bool, i0: Int, j0: Int,
                                  _ ext: inout _KSExtremes) {
        let c = self.c, fence = ranks.fence, end = ranks.end, los = ranks.lo, les = ranks.le, boundary = ranks.boundary
        let n = nf, m = mf, p = pivot, dm = Double(mf)
        var k = k0
        while k < k1 {
            let slot = k &- k0, kEnd = end[slot], lo = los[slot]
            let exact = lo >= 0
            let le = exact ? les[slot] : 0
            if ks && exact {
                // without a baseline tie the second upper point, (lo, kEnd), is below the first in exact and in
                // float arithmetic alike
                ext.upper(i0 &+ lo, j0 &+ k)
                if le != lo { ext.upper(i0 &+ le, j0 &+ kEnd) }
                ext.lower(i0 &+ le, j0 &+ kEnd)
            }
            if wasserstein {
                let x = Double(c[k])
                let loMin = rankBounds(fence[slot]).min
                let ends = boundary[slot] != 0  // then lo and le are exact
                let pLo = ends ? prefix(at: lo) : _DoubleDouble()
                if k == 0 {
                    // below the first current value G = 0 (an A interval from −∞): n·m · (1/n) Σ_{a < x} (x − a)
                    sum.add(Double(lo &* m), timesDifference: x, p)
                    sum.add(-dm, times: pLo)
                    identical = lo == 0
                } else {
                    let kindIn = k == k0 ? _IntervalKind.uncertain
                        : kind(loMinPrev: loMinPrev, loMax: rankBounds(fence[slot]).max, k: k)
                    if kindIn == .uncertain {
                        exactInterval(k: k, lo: lo, x: x, pLo: pLo)
                    } else {
                        identical = false
                        let sign = kindIn == .above ? 1 : -1
                        if !stretchOpen {
                            // the stretch starts at the previous value (a boundary): ℓ = its le, P(ℓ)
                            stretchOpen = true
                            stretchEll = loPrev &+ tiesPrev
                            stretchP = pPrev
                            stretchP.add(Double(tiesPrev), timesDifference: xPrev, p)
                        }
                        // the interval's share of Σ (ℓ·m − J·n)·Δx
                        sum.add(Double(sign &* (stretchEll &* m &- k &* n)), timesDifference: x, xPrev)
                        if ends {
                            // the stretch ends here: m·[(lo − ℓ)(x − p) − (P(lo) − P(ℓ))], signed
                            sum.add(Double(sign &* (lo &- stretchEll) &* m), timesDifference: x, p)
                            sum.add(Double(-sign) * dm, times: pLo)
                            sum.add(Double(sign) * dm, times: stretchP)
                            stretchOpen = false
                        }
                    }
                }
                xPrev = x
                loMinPrev = loMin
                if ends {
                    loPrev = lo
                    tiesPrev = le &- lo
                    pPrev = pLo
                }
            }
            k = kEnd
        }
    }

    /// One interval [x_prev, x) from the exact ranks of both ends: s = le of x_prev, e = lo of x, J = k.
    @inline(__always)
    mutating func exactInterval(k: Int, lo e: Int, x: Double, pLo: _DoubleDouble) {
        let n = nf, m = mf, p = pivot, dm = Double(mf)
        let s = loPrev &+ tiesPrev
        var pS = pPrev  // P(s) = P(lo of x_prev) + ties · (x_prev − p)
        pS.add(Double(tiesPrev), timesDifference: xPrev, p)
        let ds = s &* m &- k &* n, de = e &* m &- k &* n
        if ds >= 0 {  // F ≥ G throughout: δ(s)·Δx + m·[(e − s)(x − p) − (P(e) − P(s))]
            sum.add(Double(ds), timesDifference: x, xPrev)
            sum.add(Double((e &- s) &* m), timesDifference: x, p)
            sum.add(-dm, times: pLo)
            sum.add(dm, times: pS)
            identical = identical && ds == 0 && e == s
        } else if de <= 0 {  // F ≤ G throughout: −δ(e)·Δx + m·[(P(e) − P(s)) − (e − s)(x_prev − p)]
            sum.add(Double(0 &- de), timesDifference: x, xPrev)
            sum.add(dm, times: pLo)
            sum.add(-dm, times: pS)
            sum.add(Double(0 &- (e &- s) &* m), timesDifference: xPrev, p)
            identical = false
        } else {  // F reaches G at k* baseline values, i.e. from x* = a[k* − 1] on: a B part, then an A part
            let kStar = (k &* n &+ m &- 1) / m
            let xs = Double(a[kStar &- 1])
            let q = prefix(at: kStar &- 1)
            sum.add(Double(k &* n &- (kStar &- 1) &* m), timesDifference: xs, xPrev)
            sum.add(Double(kStar &* m &- k &* n), timesDifference: x, xs)
            // m·[(Q − P(s)) − (k* − 1 − s)(x_prev − p)] + m·[(e − k*)(x − p) − (P(e) − Q − (x* − p))]
            sum.add(2 * dm, times: q)
            sum.add(dm, timesDifference: xs, p)
            sum.add(-dm, times: pS)
            sum.add(-dm, times: pLo)
            sum.add(Double(0 &- (kStar &- 1 &- s) &* m), timesDifference: xPrev, p)
            sum.add(Double((e &- kStar) &* m), timesDifference: x, p)
            identical = false
        }
    }

    /// W after the last chunk (whose last run is flagged): adds the part above the last current value, G = 1 (a B
    /// interval up to +∞): n·m · (1/n) Σ_{a > x} (a − x) = m·[P(n) − P(le) − (n − le)(x − p)].
    func wassersteinDistance() -> Double {
        let le = loPrev &+ tiesPrev
        if identical && le == nf { return 0 }
        let dm = Double(mf)
        var total = sum
        let t = 2 * ((nf + _rankBlock - 1) / _rankBlock)
        total.add(dm, times: _DoubleDouble(pre[t], pre[t + 1]))
        var pLe = pPrev
        pLe.add(Double(tiesPrev), timesDifference: xPrev, pivot)
        total.add(-dm, times: pLe)
        total.add(Double(0 &- (nf &- le) &* mf), timesDifference: xPrev, pivot)
        return total.value / (Double(nf) * dm)
    }
}

/// Number of fences `< x`, from a cursor known to be at most that: one or two 16-lane steps (up to 512 values
/// ahead: gaps between consecutive current values are rarely longer when the baseline is ~100 times larger), then
/// 16-lane steps over the super-fences (256 values each) and one more over the fences.
@_transparent
func _fences<T: DriftFloat>(_ f: UnsafePointer<T>, _ sf: UnsafePointer<T>, below x: T, from fb: Int) -> Int {
    let step = T._rankBlockCount(f + fb, below: x)
    if step < _rankBlock { return fb &+ step }
    let next = fb &+ _rankBlock, step2 = T._rankBlockCount(f + next, below: x)
    if step2 < _rankBlock { return next &+ step2 }
    return _fencesFar(f, sf, below: x, from: next &+ _rankBlock)
}

/// `_fences` past a saturated step: fences [0, fb) are known to be `< x`.
@inline(never)
func _fencesFar<T: DriftFloat>(_ f: UnsafePointer<T>, _ sf: UnsafePointer<T>, below x: T, from fb: Int) -> Int {
    var s = (fb &- 1) / _rankBlock &+ 1  // super-fences [0, s) are fences below fb
    var step = T._rankBlockCount(sf + s, below: x)
    s &+= step
    while step == _rankBlock {
        step = T._rankBlockCount(sf + s, below: x)
        s &+= step
    }
    // sf[s − 1] < x <= sf[s]: the count lies among the 16 fences from 16 (s − 1)
    let first = (s &- 1) &* _rankBlock
    return first &+ T._rankBlockCount(f + first, below: x)
}

/// Finds the end of the run starting at `k` and the number of fences `<` its value (cursor `fb`, advanced), and
/// stores both in slot `slot`; returns the run's end.
@_transparent
func _locateRun<T: DriftFloat>(_ f: UnsafePointer<T>, _ sf: UnsafePointer<T>, _ c: UnsafePointer<T>, _ ranks: _RankBuffers,
                               _ k: Int, _ fb: inout Int, _ slot: Int) -> Int {
    let x = c[k]
    var kEnd = k &+ 1
    while c[kEnd] == x { kEnd &+= 1 }  // the +inf padding stops the run
    fb = _fences(f, sf, below: x, from: fb)
    ranks.fence[slot] = fb
    ranks.end[slot] = kEnd
    return kEnd
}
