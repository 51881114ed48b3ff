/// A fine grid frozen from a baseline for the approximate (binned) Kolmogorov–Smirnov test (``BinnedKS``): up to
/// ``maximumEdgeCount`` edges at the baseline's own values and the baseline's exact counts at each edge.
///
/// Edges are the order statistics at positions ⌊k·(N − 1)/(G − 1)⌋, k = 0 … G − 1, of the N sorted finite values
/// (numpy's "lower" quantiles at k/(G − 1), G = min(N, ``maximumEdgeCount``)), duplicates removed, so the smallest
/// and the largest finite baseline value are edges, every edge is a baseline value, and fewer than ⌈N/(G − 1)⌉
/// baseline values lie strictly between two neighbouring edges. With N ≤ G every finite value is an edge.
///
/// For each edge `e[k]` the grid keeps `countBelow[k]` = #{b < e[k]} and `countAtOrBelow[k]` = #{b ≤ e[k]}
/// (−inf values included: they are below every edge), plus the non-null count and the ±inf counts: the baseline
/// CDF exactly at, and just below, every edge. The same numbers for a current sample (``KSGridCounts``) take one
/// pass of branchless binary searches over the edges, without sorting.
public struct KSGrid: Sendable {
    /// The largest number of edges a grid keeps (1024: ≈ 1/1023 of the baseline per cell, 24 KB per feature).
    public static let maximumEdgeCount = 1024

    /// Strictly increasing finite baseline values.
    public let edges: [Double]
    /// The baseline CDF at the edges (counts, not fractions).
    public let baseline: KSGridCounts

    /// The search table of the counting kernel: `edges` with −inf in front and +inf behind (every value but NaN
    /// has at least one entry ≤ it, so the search needs no special cases), padded with NaN (never ≤ anything) to a
    /// multiple of ``_gridBlock`` entries, so the kernel can always compare a whole block.
    let searchEdges: [Double]
    /// `searchEdges` as float32 when every edge is exactly a float (always for a float32 baseline), else nil.
    let searchEdges32: [Float]?
    /// Entries of the search table before the padding: edges + 2.
    var searchEntries: Int { edges.count + 2 }

    /// Freezes the grid of a sorted baseline (all of it: a grid frozen before sampling describes every value).
    /// - Parameter maximumEdges: 1 … ``maximumEdgeCount`` (fewer only for tests of coarser grids).
    /// - Complexity: O(G log N).
    public init(sortedBaseline sorted: SortedSample<Float>, maximumEdges: Int = maximumEdgeCount) {
        self = sorted.withFiniteValues { Self._frozen($0, sorted, maximumEdges) }
    }

    /// Freezes the grid of a sorted float64 baseline. See the float32 overload.
    public init(sortedBaseline sorted: SortedSample<Double>, maximumEdges: Int = maximumEdgeCount) {
        self = sorted.withFiniteValues { Self._frozen($0, sorted, maximumEdges) }
    }

    /// A grid from stored parts (the baseline-state decoder).
    /// - Throws: `invalidArgument` unless the parts are those of a grid this type freezes: at most
    ///   ``maximumEdgeCount`` finite, strictly increasing edges; one `countBelow` and one `countAtOrBelow` per edge
    ///   with `negativeInfinityCount = countBelow[0] < countAtOrBelow[0] ≤ countBelow[1] < … < countAtOrBelow[G−1]
    ///   = count − positiveInfinityCount` (every edge is a sample value; the first and last edges are the finite
    ///   minimum and maximum), and no edges exactly when there is no finite value.
    public init(edges: [Double], countBelow: [Int], countAtOrBelow: [Int], count: Int, negativeInfinityCount: Int,
                positiveInfinityCount: Int, nullCount: Int) throws(KernelError)
    {
        guard edges.count <= Self.maximumEdgeCount else {
            throw KernelError(.invalidArgument, "a KS grid has at most \(Self.maximumEdgeCount) edges, got \(edges.count)")
        }
        guard countBelow.count == edges.count, countAtOrBelow.count == edges.count else {
            throw KernelError(.invalidArgument, "a KS grid needs one count below and one at or below each edge")
        }
        for i in edges.indices where !edges[i].isFinite || (i > 0 && !(edges[i - 1] < edges[i])) {
            throw KernelError(.invalidArgument, "KS grid edges must be finite and strictly increasing (edge \(i))")
        }
        guard count >= 0, negativeInfinityCount >= 0, positiveInfinityCount >= 0, nullCount >= 0,
              negativeInfinityCount <= count - positiveInfinityCount
        else { throw KernelError(.invalidArgument, "KS grid infinity counts do not fit the count") }
        let finite = count - positiveInfinityCount - negativeInfinityCount
        guard edges.isEmpty == (finite == 0) else {
            throw KernelError(.invalidArgument, "a KS grid has edges exactly when the sample has finite values")
        }
        var previous = negativeInfinityCount
        for k in edges.indices {
            guard k == 0 ? countBelow[k] == previous : countBelow[k] >= previous, countBelow[k] < countAtOrBelow[k] else {
                throw KernelError(.invalidArgument, "KS grid counts must increase through every edge (edge \(k))")
            }
            previous = countAtOrBelow[k]
        }
        guard edges.isEmpty || previous == count - positiveInfinityCount else {
            throw KernelError(.invalidArgument, "the last KS grid edge must hold the largest finite value")
        }
        let counts = KSGridCounts(countBelow: countBelow, countAtOrBelow: countAtOrBelow, count: count,
                                  negativeInfinityCount: negativeInfinityCount,
                                  positiveInfinityCount: positiveInfinityCount, nullCount: nullCount,
                                  finiteMinimum: edges.first, finiteMaximum: edges.last)
        self.init(_edges: edges, baseline: counts)
    }

    init(_edges edges: [Double], baseline: KSGridCounts) {
        self.edges = edges
        self.baseline = baseline
        var table = [-.infinity] + edges + [.infinity]
        let size = (table.count + _gridBlock - 1) / _gridBlock * _gridBlock
        table += [Double](repeating: .nan, count: size - table.count)
        searchEdges = table
        searchEdges32 = edges.allSatisfy { Double(Float($0)) == $0 } ? table.map { Float($0) } : nil
    }

    @inline(__always)
    static func _frozen<T: DriftFloat>(_ f: UnsafeBufferPointer<T>, _ sorted: SortedSample<T>, _ maximumEdges: Int)
        -> KSGrid
    {
        precondition((1...maximumEdgeCount).contains(maximumEdges), "a KS grid has 1 … \(maximumEdgeCount) edges")
        let n = f.count
        let g = Swift.min(n, maximumEdges)
        let negInf = sorted.negativeInfinityCount
        var edges: [Double] = [], below: [Int] = [], atOrBelow: [Int] = []
        edges.reserveCapacity(g)
        below.reserveCapacity(g)
        atOrBelow.reserveCapacity(g)
        var next = 0  // first sorted index above the last edge
        for k in 0..<g {
            let position = g == 1 ? 0 : (k * (n - 1)) / (g - 1)
            guard position >= next else { continue }  // inside the run of ties of the previous edge
            let value = f[position]
            // the run of `value`: it starts at or after `next` and contains `position`
            let lo = _gallop(f.baseAddress!, from: next, end: position, value, inclusive: false)
            let hi = _gallop(f.baseAddress!, from: position, end: n, value, inclusive: true)
            edges.append(Double(value))
            below.append(negInf + lo)
            atOrBelow.append(negInf + hi)
            next = hi
        }
        let counts = KSGridCounts(countBelow: below, countAtOrBelow: atOrBelow, count: sorted.count,
                                  negativeInfinityCount: negInf, positiveInfinityCount: sorted.positiveInfinityCount,
                                  nullCount: sorted.nullCount,
                                  finiteMinimum: n > 0 ? Double(f[0]) : nil, finiteMaximum: n > 0 ? Double(f[n - 1]) : nil)
        return KSGrid(_edges: edges, baseline: counts)
    }
}

extension KSGrid: Equatable {
    /// Same edges (bit for bit) and the same baseline counts.
    public static func == (a: KSGrid, b: KSGrid) -> Bool {
        a.edges.map(\.bitPattern) == b.edges.map(\.bitPattern) && a.baseline == b.baseline
    }
}
