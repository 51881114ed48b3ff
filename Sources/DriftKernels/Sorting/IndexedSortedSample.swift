/// A sorted baseline with small side structures that make exact KS and Wasserstein against a much smaller current
/// sample cost O(m · small) instead of reading all n baseline values: built once per baseline, reused by every
/// comparison (``ExactComparison``, ``KSStatistic/init(baseline:current:)-(IndexedSortedSample<Float>,_)``,
/// ``WassersteinDistance/compute(baseline:current:)-(IndexedSortedSample<Float>,_)``).
///
/// - **fences**: the first value of every block of 16 values, contiguous (n/16 values — 250 KB for a million
///   float32 values, so they stay in L2 while the values do not), and **super-fences**, every 16th fence. A
///   comparison advances a cursor over the fences with a 16-lane compare-and-count per distinct current value (over
///   the super-fences when it has far to go): the fence position alone bounds the value's rank to one block, which
///   decides KS and Wasserstein everywhere except near an extreme of F − G or where F and G cross; there one more
///   SIMD count in the block gives the exact number of baseline values `<` and `<=` the value.
/// - **prefix sums**: Σ (value − pivot) over all values before every 16th value, in float64 as an unevaluated
///   double-double (high + low word, accumulated by error-free transformations), pivot = the baseline's median.
///   Any prefix Σ_{i < k} is one entry plus a SIMD partial sum over at most 15 values. Centring on the median keeps
///   the entries near n·σ instead of n·|mean|, and the double-double keeps a range sum's error relative to the
///   range itself (not to the whole prefix). The Wasserstein integral reads them only where F − G changes sign.
///
/// Memory beyond the sample: 16 bytes of prefix sums and 1 + 1/16 fence values per 16 values, plus a constant:
/// 1.27 bytes per float32 value (32 % of the float32 sample), 1.53 bytes per float64 value (19 %) — blocked sums
/// instead of one float64 prefix sum per value (8 bytes, 2× a float32 sample). ``memoryOverheadBytes`` reports it;
/// building it is one O(n) pass.
///
/// Which comparisons use the index (and when the plain merge is faster) is decided by
/// ``prefersIndex(baselineFiniteCount:currentFiniteCount:)``; the one-shot and the stored-baseline comparisons go
/// through that same decision, and the results depend only on the values, so they are bit-identical.
public struct IndexedSortedSample<T: DriftFloat>: Sendable {
    /// The sorted sample the index describes.
    public let sample: SortedSample<T>
    /// `fences[b]` = the first value of block `b` (`finite[16 b]`), then `_rankBlock` × +inf (safe SIMD reads past
    /// the end).
    let fences: [T]
    /// `superFences[s]` = `fences[16 s]` (every 256th value), then `_rankBlock` × +inf: a step past more than 16
    /// blocks (a baseline hundreds of times larger than the current sample) crosses them 16 at a time.
    let superFences: [T]
    /// Interleaved (high, low) pairs: entry `b` is Σ_{k < 16 b} (value_k − pivot), for b = 0 … ⌈n/16⌉; the last
    /// entry is the sum over all finite values.
    let prefix: [Double]
    /// The value the prefix sums are centred on (the median finite value; 0 without finite values).
    public let pivot: Double
    /// Largest |finite value| (0 without finite values): decides whether the sums stay far from overflow.
    let magnitude: Double

    /// Builds the index of a sorted sample: one pass over its finite values. O(n).
    public init(_ sample: SortedSample<T>) {
        self.sample = sample
        let nf = sample.finiteCount
        let block = _rankBlock
        var pivot = 0.0, magnitude = 0.0
        var fences = [T](), prefix = [Double]()
        sample.storage.withUnsafeBufferPointer { buf in
            let a = buf.baseAddress!
            let blocks = (nf + block - 1) / block
            fences.reserveCapacity(blocks + block)
            prefix.reserveCapacity(2 * blocks + 2)
            if nf > 0 {
                pivot = Double(a[nf / 2])
                magnitude = Swift.max(Swift.abs(Double(a[0])), Swift.abs(Double(a[nf - 1])))
            }
            // The padding after the last value is +inf, so a partial last block sums only its values.
            var high = 0.0, low = 0.0
            for b in 0..<blocks {
                fences.append(a[b * block])
                prefix.append(high)
                prefix.append(low)
                let s = T._rankBlockPrefixSum(a + b * block, count: Swift.min(block, nf - b * block), pivot: pivot)
                let (h, e) = _twoSum(high, s)
                (high, low) = _twoSum(h, low + e)
            }
            prefix.append(high)
            prefix.append(low)
        }
        var superFences = stride(from: 0, to: fences.count, by: block).map { fences[$0] }
        fences.append(contentsOf: repeatElement(T.infinity, count: block))
        superFences.append(contentsOf: repeatElement(T.infinity, count: block))
        self.fences = fences
        self.superFences = superFences
        self.prefix = prefix
        self.pivot = pivot
        self.magnitude = magnitude
    }

    /// Bytes held beyond the sample itself (fences, super-fences and prefix sums).
    public var memoryOverheadBytes: Int {
        (fences.count + superFences.count) * MemoryLayout<T>.stride + prefix.count * MemoryLayout<Double>.stride
    }

    /// Whether comparing a current sample of `currentFiniteCount` finite values with a baseline of
    /// `baselineFiniteCount` takes the indexed path (O(m) steps of a few SIMD compares, plus the fence steps) rather
    /// than the merge of both sorted samples (O(n + m) cheap steps): when the baseline is at least ``indexedRatio``
    /// times larger than the current sample.
    public static func prefersIndex(baselineFiniteCount n: Int, currentFiniteCount m: Int) -> Bool {
        m > 0 && n / m >= indexedRatio
    }

    /// n/m from which the indexed path is taken. Measured with `drift-bench compare` (n = 1e6 float32, the indexed
    /// path forced at every ratio): KS and Wasserstein from one walk beat the two merges from n/m ≈ 3 (ratio 3:
    /// 7.3 against 9.9 ms; 5: 3.8 against 7.1 ms; 2: 10.9 against 9.9 ms); KS alone from ≈ 3, Wasserstein alone
    /// from ≈ 6. The comparisons of the engine take both at once, so the threshold is 4, where Wasserstein alone is
    /// still ~20 % slower than its merge.
    public static var indexedRatio: Int { 4 }
}

/// Knuth's TwoSum: s + e == a + b exactly.
@inline(__always)
func _twoSum(_ a: Double, _ b: Double) -> (Double, Double) {
    let s = a + b
    let bb = s - a
    return (s, (a - (s - bb)) + (b - bb))
}
