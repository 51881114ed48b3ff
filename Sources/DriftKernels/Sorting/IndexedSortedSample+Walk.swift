/// The one walk behind the indexed KS and Wasserstein: the distinct values x of the current sample in ascending
/// order, each located in the baseline by a fence cursor and one rank block.
///
/// The current sample is processed in chunks of at most `_rankChunk` values, each in four passes:
/// 1. **locate** — for every distinct value x (a run current[k ..< kEnd]) the fence position `fb` = number of fences
///    `< x` (so x's rank lies in block `fb − 1`): a cursor advanced by one 16-lane compare-and-count per run, and
///    when all 16 are below, 16-lane steps over the super-fences (256 values each). The cursor is a chain of
///    dependent loads (~20 cycles a step); the chunk is cut into four segments with a cursor each, stepped in
///    lockstep, so four chains overlap.
/// 2. **touch** — one load from every run's rank block in a loop of a few instructions per run, so the cache
///    misses overlap as far as the core can track them (a baseline larger than the cache misses on nearly every
///    block: with 20 features of a million float32 values this pass halves the time of the walk).
/// 3. **rank** — `lo` = #baseline `< x` and `le` = #baseline `<= x` from one SIMD count in block `fb − 1` (a fence
///    gallop and a second block only when a tie run fills the block and crosses the next fence), and the KS points
///    of the run: the points of the galloping merge (`_ksGallop`), less the one a tie-free run makes redundant, with
///    the integer part kept incrementally and the float `i/n − j/m` taken only within slack of an extreme, so D is
///    bit-identical.
/// 4. **Wasserstein** — in order, from the ranks alone (a separate loop, so its state stays in registers):
///    ∫ |F − G| dx. On [x_prev, x), G is constant (J/m) and F climbs through the baseline values strictly between
///    (indices [s, e) = [le of x_prev, lo of x)); with the integer δ(i) = i·m − J·n (the sign of F − G at i
///    baseline values) the interval is
///    - A, F ≥ G throughout (δ(s) ≥ 0): δ(s)/(nm) · Δx + (1/n) [(e − s)(x − p) − (P(e) − P(s))],
///    - B, F ≤ G throughout (δ(e) ≤ 0): −δ(e)/(nm) · Δx + (1/n) [(P(e) − P(s)) − (e − s)(x_prev − p)],
///    - C, a crossing at k* = ⌈J n / m⌉: split at a[k* − 1], one part of each kind,
///    where P(i) = Σ_{k < i} (a_k − p) is the centred prefix sum and every part is ≥ 0. Since P(s) = P(lo of
///    x_prev) + (tie count)(x_prev − p), the P terms of consecutive intervals of one kind cancel: P(lo) of a run
///    carries the weight w = (its interval's coefficient) + (the next interval's), which is 0 inside a stretch of
///    one kind and ±1, ±2 where the kind changes. So the prefix sums (one block read each) are read only where
///    w ≠ 0 and at crossings — O(number of sign changes of F − G), typically ~√m — and every other term is
///    arithmetic on counts and current values. The parts below the first and above the last current value are
///    an A and a B interval against the baseline values outside. The P-weighted terms and the rest are large
///    and cancel, so they are summed as an unevaluated double-double (error-free TwoSum): W matches the merge to
///    ~1e-15 relative, and is exactly 0 when F = G at every point.
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
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: 4 * _rankChunk) { ints in
                        let i = ints.baseAddress!
                        let ranks = _RankBuffers(fence: i, end: i + _rankChunk, lo: i + 2 * _rankChunk, le: i + 3 * _rankChunk)
                        var walk = _IndexedWalk<T>(a: aBuf.baseAddress!, f: fBuf.baseAddress!, sf: sfBuf.baseAddress!,
                                                   pre: pBuf.baseAddress!,
                                                   c: cBuf.baseAddress!, nf: nf, mf: mf, head: index.head,
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
                            walk.touchChunk(k0, k1)
                            if ks {
                                walk.rankChunk(k0, k1, ks: true, i0: i0, j0: j0, &ext)
                            } else {
                                walk.rankChunk(k0, k1, ks: false, i0: 0, j0: 0, &ext)
                            }
                            if wasserstein { walk.accumulateW(k0, k1) }
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

/// Current values per chunk of the indexed walk (the rank buffers, 32 bytes per value, stay in L1/L2).
let _rankChunk = 1024

/// Per run start `k − k0` of a chunk: the fences `<` the run's value and the run's end (pass 1), #baseline `<` and
/// `<=` the value (pass 2).
struct _RankBuffers {
    let fence: UnsafeMutablePointer<Int>
    let end: UnsafeMutablePointer<Int>
    let lo: UnsafeMutablePointer<Int>
    let le: UnsafeMutablePointer<Int>
}

/// The state of one indexed walk: pointers, the chunk's fence cursor, and the Wasserstein accumulators.
struct _IndexedWalk<T: DriftFloat> {
    let a: UnsafePointer<T>, f: UnsafePointer<T>, sf: UnsafePointer<T>, pre: UnsafePointer<Double>, c: UnsafePointer<T>
    let nf: Int, mf: Int, head: Int, fenceCount: Int
    let pivot: Double
    let ranks: _RankBuffers
    /// Fences `<` the first value of the next chunk (all chunks' cursors start from it).
    var fenceCursor = 0
    /// Counts the early loads of the touch pass (kept so that they are not optimised away; no meaning).
    var touched = 0
    /// W = sumA / (n m) + (sumHigh + sumLow) / n; sumB as an unevaluated double-double.
    var sumA = 0.0, sumHigh = 0.0, sumLow = 0.0
    /// The previous distinct current value: the value, its `lo` and tie count `le − lo`, and the weight its P(lo)
    /// has collected so far.
    var xPrev = 0.0, loPrev = 0, tiesPrev = 0, weightPrev = 0
    /// F = G at every point so far (then W is exactly 0).
    var identical = true

    @inline(__always)
    init(a: UnsafePointer<T>, f: UnsafePointer<T>, sf: UnsafePointer<T>, pre: UnsafePointer<Double>, c: UnsafePointer<T>,
         nf: Int, mf: Int, head: Int, pivot: Double, ranks: _RankBuffers) {
        self.a = a
        self.f = f
        self.sf = sf
        self.pre = pre
        self.c = c
        self.nf = nf
        self.mf = mf
        self.head = head
        self.fenceCount = (nf - head + _rankBlock - 1) / _rankBlock
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

    /// Between the passes: loads the first value of every run's rank block, in a loop of a few instructions per run
    /// whose loads do not depend on each other, so the out-of-order core keeps as many cache misses in flight as it
    /// can track (the rank pass, with ~45 instructions per run, keeps far fewer); the rank pass then finds its
    /// blocks in L1/L2. (Swift has no prefetch instruction; these are plain loads whose results are counted.)
    @inline(never)
    mutating func touchChunk(_ k0: Int, _ k1: Int) {
        let a = self.a, c = self.c, head = self.head, fence = ranks.fence, end = ranks.end
        var t = touched
        var k = k0
        while k < k1 {
            let slot = k &- k0
            t &+= a[Self.blockStart(fence[slot], head: head)] < c[k] ? 1 : 0
            k = end[slot]
        }
        touched = t
    }

    /// First index of the block in which the values counted by `fb` fences end: block `fb − 1`, or the head
    /// for `fb = 0` (read as the 16 values from index 0: those at `head` and beyond are not below the value then).
    /// Branch-free: `head − 16 < 0` for `fb = 0`.
    @_transparent
    static func blockStart(_ fb: Int, head: Int) -> Int { Swift.max(0, head &+ (fb &- 1) &* _rankBlock) }

    /// Pass 2 over the runs of current[k0 ..< k1]: one rank block per run (one cache line of float32 values). A tie
    /// run of x is seen in the same counts; only one that fills the block and goes on past the next fence takes a
    /// gallop over the fences and a second block. (Fields are copied into locals: the stores through `ranks` could
    /// alias `self`, which would reload them on every run.)
    @inline(never)
    func rankChunk(_ k0: Int, _ k1: Int, ks: Bool, i0: Int, j0: Int, _ extremes: inout _KSExtremes) {
        let a = self.a, f = self.f, c = self.c, head = self.head, fenceCount = self.fenceCount
        let fence = ranks.fence, end = ranks.end, los = ranks.lo, les = ranks.le
        var ext = extremes
        let bigN = ext.n, bigM = ext.m
        var upperBar = ext.kMax &- ext.slack, lowerBar = ext.kMin &+ ext.slack, jN = (j0 &+ k0) &* bigN
        var k = k0
        while k < k1 {
            let slot = k &- k0
            let x = c[k], fb = fence[slot], kEnd = end[slot]
            let base = Self.blockStart(fb, head: head)
            let (below, atOrBelow) = T._rankBlockCounts(a + base, x)
            let lo = base &+ below
            var le = base &+ atOrBelow
            if atOrBelow == _rankBlock && f[fb] <= x {
                let fb2 = _gallop(f, from: fb, end: fenceCount, x, inclusive: true)
                let base2 = Self.blockStart(fb2, head: head)
                le = base2 &+ T._rankBlockCount(a + base2, atOrBelow: x)
            }
            los[slot] = lo
            les[slot] = le
            if ks {
                // The KS points of the run, as `_KSExtremes.upper`/`lower` would take them, with the integer
                // i·M − j·N kept incrementally and the float evaluation only within slack of an extreme (rare).
                // Without a baseline tie the second upper point, (lo, kEnd), is below the first in exact and in
                // float arithmetic alike, so it is skipped.
                let jEnd = jN &+ (kEnd &- k) &* bigN
                let u1 = (i0 &+ lo) &* bigM &- jN, u2 = (i0 &+ le) &* bigM &- jEnd
                if u1 >= upperBar { ext.upper(i0 &+ lo, j0 &+ k); upperBar = ext.kMax &- ext.slack }
                if le != lo && u2 >= upperBar { ext.upper(i0 &+ le, j0 &+ kEnd); upperBar = ext.kMax &- ext.slack }
                if u2 <= lowerBar { ext.lower(i0 &+ le, j0 &+ kEnd); lowerBar = ext.kMin &+ ext.slack }
                jN = jEnd
            }
            k = kEnd
        }
        extremes = ext
    }

    /// Pass 3 for Wasserstein over the runs of current[k0 ..< k1], in order. The running state is copied into
    /// locals (registers) for the loop. The count of current values below x is k itself (J of the interval before x).
    @inline(never)
    mutating func accumulateW(_ k0: Int, _ k1: Int) {
        let n = nf, m = mf, p = pivot, a = self.a, c = self.c, end = ranks.end, los = ranks.lo, les = ranks.le
        var sumA = self.sumA, high = sumHigh, low = sumLow
        var xPrev = self.xPrev, loPrev = self.loPrev, tiesPrev = self.tiesPrev
        var weightPrev = self.weightPrev, identical = self.identical
        var k = k0
        while k < k1 {
            let slot = k &- k0
            let kEnd = end[slot], lo = los[slot], le = les[slot]
            let x = Double(c[k])
            var weight = -1
            if k == 0 {
                // below the first current value G = 0 (an A interval from −∞): (1/n) Σ_{a < x} (x − a)
                _ddAdd(&high, &low, Double(lo) * (x - p))
                identical = lo == 0
            } else {
                let s = loPrev &+ tiesPrev, e = lo
                let ds = s &* m &- k &* n
                let below = Double(tiesPrev) * (xPrev - p)  // P(s) − P(lo of x_prev)
                if ds >= 0 {  // A
                    sumA += Double(ds) * (x - xPrev)
                    _ddAdd(&high, &low, Double(e &- s) * (x - p) + below)
                    weightPrev &+= 1
                    identical = identical && ds == 0 && e == s
                } else {
                    identical = false
                    let de = e &* m &- k &* n
                    if de <= 0 {  // B
                        sumA += Double(0 &- de) * (x - xPrev)
                        _ddAdd(&high, &low, -(below + Double(e &- s) * (xPrev - p)))
                        weightPrev &-= 1
                        weight = 1
                    } else {  // C: F reaches G at k* baseline values, i.e. from x* = a[k* − 1] on
                        let kStar = (k &* n &+ m &- 1) / m
                        let xs = Double(a[kStar &- 1])
                        sumA += Double(k &* n &- (kStar &- 1) &* m) * (xs - xPrev)  // B part on [x_prev, x*)
                        sumA += Double(kStar &* m &- k &* n) * (x - xs)  // A part on [x*, x)
                        let (qHigh, qLow) = prefix(at: kStar &- 1)
                        _ddAdd(&high, &low, 2 * qHigh)
                        _ddAdd(&high, &low, 2 * qLow)
                        _ddAdd(&high, &low, (xs - p) - below - Double(kStar &- 1 &- s) * (xPrev - p) + Double(e &- kStar) * (x - p))
                        weightPrev &-= 1
                    }
                }
                if weightPrev != 0 {  // P(lo of x_prev) is needed: the kind changed there
                    let (h, l) = prefix(at: loPrev)
                    let w = Double(weightPrev)
                    _ddAdd(&high, &low, w * h)
                    _ddAdd(&high, &low, w * l)
                }
            }
            xPrev = x
            loPrev = lo
            tiesPrev = le &- lo
            weightPrev = weight
            k = kEnd
        }
        self.sumA = sumA
        sumHigh = high
        sumLow = low
        self.xPrev = xPrev
        self.loPrev = loPrev
        self.tiesPrev = tiesPrev
        self.weightPrev = weightPrev
        self.identical = identical
    }

    /// Σ_{i < k} (a_i − pivot) as (high, low) for any 0 ≤ k ≤ nf: the fixed block's prefix entry plus a SIMD
    /// partial sum.
    @inline(__always)
    func prefix(at k: Int) -> (Double, Double) {
        let b = k / _rankBlock, start = b &* _rankBlock
        let s = T._rankBlockPrefixSum(a + start, count: k &- start, pivot: pivot)
        return (pre[2 &* b], pre[2 &* b &+ 1] + s)
    }

    /// W after the last chunk: the part above the last current value, G = 1 (a B interval up to +∞):
    /// (1/n) Σ_{a > x} (a − x) = (1/n) [P(n) − P(le) − (n − le)(x − p)].
    func wassersteinDistance() -> Double {
        let le = loPrev + tiesPrev
        if identical && le == nf { return 0 }
        var high = sumHigh, low = sumLow
        let total = 2 * ((nf + _rankBlock - 1) / _rankBlock)
        _ddAdd(&high, &low, pre[total])
        _ddAdd(&high, &low, pre[total + 1])
        _ddAdd(&high, &low, -Double(tiesPrev + nf - le) * (xPrev - pivot))
        let weight = weightPrev - 1
        if weight != 0 {
            let (h, l) = prefix(at: loPrev)
            _ddAdd(&high, &low, Double(weight) * h)
            _ddAdd(&high, &low, Double(weight) * l)
        }
        return sumA / (Double(nf) * Double(mf)) + (high + low) / Double(nf)
    }
}

/// Adds `x` to the unevaluated double-double `high + low` (TwoSum: the rounding error goes into the low word).
@_transparent
func _ddAdd(_ high: inout Double, _ low: inout Double, _ x: Double) {
    let (s, e) = _twoSum(high, x)
    high = s
    low += e
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
