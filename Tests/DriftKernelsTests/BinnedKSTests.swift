import DriftTestSupport
import Testing

@testable import DriftKernels

/// The fine KS grid, its counting kernel, and the binned KS / Wasserstein bounds against the exact kernels.
@Suite("Binned KS: grid, counting twin, error bounds against the exact KS")
struct BinnedKSTests {
    // MARK: - Data

    /// Seeded samples of several shapes: 0 continuous, 1 ties (1/8 grid), 2 discrete (0 … 4), 3 continuous with
    /// NaN/±inf/−0 sprinkled in, 4 half the values on one atom, 5 continuous far to the right (shift + 10).
    static func sample(kind: Int, seed: UInt64, count: Int, shift: Double) -> [Double] {
        var rng = SplitMix64(seed: seed &* 7 &+ 1)
        let normal = TestData.normal(seed: seed, count: count, mean: shift)
        return normal.map { x in
            switch kind {
            case 1: return (x * 8).rounded(.down) / 8
            case 2: return Double(Swift.min(4, Swift.max(0, Int((x + 2).rounded(.down)))))
            case 3:
                switch rng.below(40) {
                case 0: return .nan
                case 1: return .infinity
                case 2: return -.infinity
                case 3: return -0.0
                default: return x
                }
            case 4: return rng.below(2) == 0 ? 0.25 : x
            case 5: return x + 10
            default: return x
            }
        }
    }

    /// #{x < v} or #{x ≤ v} in sorted finite values (textbook binary search).
    static func rank(_ sorted: [Double], _ v: Double, inclusive: Bool) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if inclusive ? sorted[mid] <= v : sorted[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    struct Side {
        var finite: [Double]
        var negInf: Int
        var posInf: Int
        var count: Int { finite.count + negInf + posInf }

        /// Sorted by the radix-sort kernel (tested on its own), which is much faster than `sorted()` in debug builds.
        init(_ values: [Double]) { self.init(SortedSample(values)) }

        init<T: DriftFloat>(_ s: SortedSample<T>) {
            finite = s.withFiniteValues { $0.map { Double($0) } }
            negInf = s.negativeInfinityCount
            posInf = s.positiveInfinityCount
        }

        func below(_ v: Double) -> Int { negInf + BinnedKSTests.rank(finite, v, inclusive: false) }
        func atOrBelow(_ v: Double) -> Int { negInf + BinnedKSTests.rank(finite, v, inclusive: true) }
    }

    /// Over the open cells (−inf, e0), (e_k, e_k+1), (e_last, +inf), computed from scratch: the brief's simple bound
    /// max(baseline mass, current mass), the sharper max of min(baseline mass, current mass), and the largest
    /// current mass in a cell.
    static func cellMasses(_ edges: [Double], _ b: Side, _ c: Side) -> (simple: Double, sharp: Double, current: Double) {
        var bounds: [(Int, Int, Int, Int)] = []  // (b left, b right⁻, c left, c right⁻)
        var lb = b.negInf, lc = c.negInf
        for e in edges {
            bounds.append((lb, b.below(e), lc, c.below(e)))
            lb = b.atOrBelow(e)
            lc = c.atOrBelow(e)
        }
        bounds.append((lb, b.count - b.posInf, lc, c.count - c.posInf))
        var simple = 0.0, sharp = 0.0, current = 0.0
        for (bl, br, cl, cr) in bounds {
            let mb = Double(br - bl) / Double(b.count), mc = Double(cr - cl) / Double(c.count)
            simple = Swift.max(simple, Swift.max(mb, mc))
            sharp = Swift.max(sharp, Swift.min(mb, mc))
            current = Swift.max(current, mc)
        }
        return (simple, sharp, current)
    }

    // MARK: - Grid

    @Test("grid: ≤ 1024 strictly increasing baseline values incl. min and max, exact counts, thin cells",
          arguments: [0, 1, 2, 3, 10, 1023, 1024, 1025, 2047, 5000, 100_000])
    func grid(_ n: Int) throws {
        for kind in [0, 1, 2, 3, 4] {
            let values = Self.sample(kind: kind, seed: UInt64(n * 10 + kind), count: n, shift: 0)
            let g = KSGrid(sortedBaseline: SortedSample(values))
            let side = Side(values)
            #expect(g.edges.count <= KSGrid.maximumEdgeCount)
            #expect(zip(g.edges, g.edges.dropFirst()).allSatisfy { $0 < $1 })
            #expect(g.edges.first == side.finite.first && g.edges.last == side.finite.last)
            #expect(g.edges.allSatisfy { side.atOrBelow($0) > side.below($0) }, "every edge is a baseline value")
            if side.finite.count <= KSGrid.maximumEdgeCount {
                #expect(g.edges.count == Set(side.finite).count, "every distinct value is an edge")
            }
            #expect(g.baseline.countBelow == g.edges.map(side.below))
            #expect(g.baseline.countAtOrBelow == g.edges.map(side.atOrBelow))
            #expect(g.baseline.count == side.count && g.baseline.negativeInfinityCount == side.negInf)
            #expect(g.baseline.positiveInfinityCount == side.posInf)
            // fewer than ⌈N/(G−1)⌉ values strictly inside any cell
            if g.edges.count >= 2 {
                let limit = (side.finite.count + g.edges.count - 2) / (g.edges.count - 1)
                for k in 1..<g.edges.count {
                    #expect(g.baseline.countBelow[k] - g.baseline.countAtOrBelow[k - 1] < Swift.max(1, limit))
                }
            }
            // float32 baseline: the search table is exact in float32
            let g32 = KSGrid(sortedBaseline: SortedSample(values.map(Float.init)))
            #expect(g32.searchEdges32 != nil)
            // the validating initializer accepts its own parts
            let b = g.baseline
            #expect(try KSGrid(edges: g.edges, countBelow: b.countBelow, countAtOrBelow: b.countAtOrBelow, count: b.count,
                               negativeInfinityCount: b.negativeInfinityCount, positiveInfinityCount: b.positiveInfinityCount,
                               nullCount: b.nullCount) == g)
        }
    }

    @Test("the validating initializer refuses grids this type would never freeze")
    func gridRejections() {
        func make(_ e: [Double], _ below: [Int], _ at: [Int], count: Int = 10, neg: Int = 0, pos: Int = 0) throws(KernelError) {
            _ = try KSGrid(edges: e, countBelow: below, countAtOrBelow: at, count: count, negativeInfinityCount: neg,
                           positiveInfinityCount: pos, nullCount: 0)
        }
        #expect(throws: Never.self) { try make([1, 2], [0, 4], [4, 10]) }
        #expect(throws: KernelError.self) { try make([2, 1], [0, 4], [4, 10]) }  // descending
        #expect(throws: KernelError.self) { try make([1, .infinity], [0, 4], [4, 10]) }  // not finite
        #expect(throws: KernelError.self) { try make([1, 2], [0, 4], [4, 9]) }  // last edge is not the maximum
        #expect(throws: KernelError.self) { try make([1, 2], [1, 4], [4, 10]) }  // first edge is not the minimum
        #expect(throws: KernelError.self) { try make([1, 2], [0, 3], [4, 10]) }  // counts go down
        #expect(throws: KernelError.self) { try make([1, 2], [0, 4], [0, 10]) }  // an edge without a value
        #expect(throws: KernelError.self) { try make([1, 2], [0], [4, 10]) }  // lengths
        #expect(throws: KernelError.self) { try make([], [], [], count: 3) }  // finite values without edges
        #expect(throws: KernelError.self) { try make([1], [0], [3], count: 3, neg: 2, pos: 2) }  // infinities > count
        #expect(throws: KernelError.self) {
            try make((0..<1025).map(Double.init), (0..<1025).map { $0 }, (0..<1025).map { $0 + 1 }, count: 1025)
        }
        #expect(throws: Never.self) { try make([], [], [], count: 3, neg: 1, pos: 2) }
    }

    // MARK: - Counting kernel against its twin

    @Test("grid counts equal the scalar twin (float32/float64, validity, NaN, ±inf, −0, values on edges)",
          arguments: KernelTwinTests.lengths)
    func countingTwin(_ n: Int) {
        for kind in [0, 2, 3] {
            let base = Self.sample(kind: kind, seed: 77 &+ UInt64(kind), count: 3_000, shift: 0)
            let grids = [KSGrid(sortedBaseline: SortedSample(base)), KSGrid(sortedBaseline: SortedSample(base.map(Float.init))),
                         KSGrid(sortedBaseline: SortedSample([Double]())), KSGrid(sortedBaseline: SortedSample([0.1, 0.3, 0.1]))]
            let current = Self.sample(kind: kind, seed: UInt64(n) &+ 5, count: n, shift: 0.3)
                + base.prefix(Swift.min(n, 50))  // values exactly on edges
            let current32 = current.map(Float.init)
            for bitmap in [nil, KernelTwinTests.bitmap(current.count, seed: 3)] {
                for g in grids {
                    let fast64 = g.counts(current, validity: bitmap)
                    let slow64 = current.withUnsafeBufferPointer { g.scalarCounts($0, validity: bitmap) }
                    #expect(fast64 == slow64)
                    let fast32 = g.counts(current32, validity: bitmap)
                    let slow32 = current32.withUnsafeBufferPointer { g.scalarCounts($0, validity: bitmap) }
                    #expect(fast32 == slow32)
                    let side = Side(current.enumerated().filter { bitmap?.isValid($0.offset) ?? true }.map(\.element))
                    #expect(fast64.countBelow == g.edges.map(side.below))
                    #expect(fast64.countAtOrBelow == g.edges.map(side.atOrBelow))
                    #expect(fast64.count == side.count)
                }
            }
        }
    }

    // MARK: - The bound

    /// A baseline prepared once for several comparisons, in float64 and float32.
    struct Prepared {
        var sorted: SortedSample<Double>, sorted32: SortedSample<Float>
        var grid: KSGrid, grid32: KSGrid
        var side: Side, side32: Side

        init(_ baseline: [Double]) {
            sorted = SortedSample(baseline)
            sorted32 = SortedSample(baseline.map(Float.init))
            grid = KSGrid(sortedBaseline: sorted)
            grid32 = KSGrid(sortedBaseline: sorted32)
            side = Side(sorted)
            side32 = Side(sorted32)
        }
    }

    /// One comparison: the binned KS against the exact one, and the bounds.
    static func check(_ p: Prepared, _ current: [Double], float32: Bool, continuous: Bool, _ label: String) {
        let current32 = current.map(Float.init)
        let sc = SortedSample(current), sc32 = SortedSample(current32)
        guard p.sorted.count > 0, sc.count > 0 else { return }
        let grid = float32 ? p.grid32 : p.grid
        let counts = float32 ? grid.counts(current32) : grid.counts(current)
        // the exact test as it reports D (snapped to its lattice up to 10 000 values per side)
        let exact = float32 ? try! KolmogorovSmirnovTest(baseline: p.sorted32, current: sc32).statistic
            : try! KolmogorovSmirnovTest(baseline: p.sorted, current: sc).statistic
        let binned = try! BinnedKS(grid: grid, current: counts)
        #expect(binned.statistic <= exact.d, "\(label): D at the grid \(binned.statistic) above the exact \(exact.d)")
        #expect(exact.d <= binned.statistic + binned.errorBound,
                "\(label): exact \(exact.d) beyond \(binned.statistic) + \(binned.errorBound)")
        #expect(binned.errorBound >= 0)
        let b = float32 ? p.side32 : p.side
        let c = float32 ? Side(sc32) : Side(sc)
        let masses = cellMasses(grid.edges, b, c)
        #expect(binned.errorBound <= masses.simple + 1e-15, "\(label): ε \(binned.errorBound) above the cell masses \(masses.simple)")
        #expect(binned.errorBound <= masses.sharp + 1e-15, "\(label): ε \(binned.errorBound) above min-mass \(masses.sharp)")
        // fewer than ⌈N/(G−1)⌉ baseline values inside a cell bound ε whatever the current sample
        if grid.edges.count >= 2 {
            let perCell = (b.finite.count + grid.edges.count - 2) / (grid.edges.count - 1)
            #expect(binned.errorBound <= Double(perCell) / Double(b.count) + 1e-15, "\(label): ε \(binned.errorBound)")
        }
        if continuous {
            #expect(binned.errorBound <= 2.0 / 1024 + masses.current + 1e-15, "\(label): ε \(binned.errorBound)")
        }
        #expect(binned.n == p.sorted.count && binned.m == sc.count)
        #expect(binned.pValue == TwoSampleKSPValue.pValue(d: binned.statistic, n1: binned.n, n2: binned.m, mode: .asymptotic).p)
    }

    @Test("statistic ≤ exact D ≤ statistic + ε on 200 seeded random pairs (shapes, shifts, sizes 1 … 1e5)")
    func boundHolds() {
        var rng = SplitMix64(seed: 2024)
        let sizes = [1, 2, 3, 7, 30, 100, 1_000, 1_023, 1_024, 1_025, 3_000, 20_000, 100_000]
        for trial in 0..<200 {
            let kind = rng.below(6)
            let n = sizes[rng.below(sizes.count)], m = sizes[rng.below(sizes.count - 1)]
            let shift = [0, 0.05, 0.3, 1.5][rng.below(4)]
            let baseline = Self.sample(kind: kind == 5 ? 0 : kind, seed: UInt64(trial * 2), count: n, shift: 0)
            let current = Self.sample(kind: kind, seed: UInt64(trial * 2 + 1), count: m, shift: shift)
            Self.check(Prepared(baseline), current, float32: trial % 3 == 0, continuous: kind == 0 || kind == 5,
                       "trial \(trial) kind \(kind) n \(n) m \(m) shift \(shift)")
        }
    }

    @Test("large baselines: n = 1e6 against m = 1, 1e4, 1e5")
    func boundHoldsLarge() {
        let prepared = Prepared(Self.sample(kind: 0, seed: 1, count: 1_000_000, shift: 0))
        for (m, shift) in [(1, 0.0), (10_000, 0.02), (100_000, 0.0), (100_000, 0.1)] {
            let current = Self.sample(kind: 0, seed: UInt64(m) &+ 3, count: m, shift: shift)
            Self.check(prepared, current, float32: m == 10_000, continuous: true, "n 1e6, m \(m), shift \(shift)")
        }
    }

    @Test("identical samples: D at the grid is 0 (continuous, ties, discrete, specials)")
    func identical() throws {
        for kind in 0..<5 {
            for n in [1, 50, 5_000] {
                let v = Self.sample(kind: kind, seed: UInt64(n + kind), count: n, shift: 0)
                let grid = KSGrid(sortedBaseline: SortedSample(v))
                guard grid.baseline.count > 0 else { continue }
                let binned = try BinnedKS(grid: grid, current: grid.counts(v))
                #expect(binned.statistic == 0)
                #expect(binned.pValue == 1)
            }
        }
    }

    @Test("discrete data on at most 1024 values: ε = 0 and the statistic is the exact D, gaps included")
    func discreteIsExact() throws {
        let b = Self.sample(kind: 2, seed: 5, count: 10_000, shift: 0)
        let grid = KSGrid(sortedBaseline: SortedSample(b))
        // current values between two baseline values (0.5) are seen at the next edge's left limit
        for c in [Self.sample(kind: 2, seed: 6, count: 3_000, shift: 0.4), b + [0.5, 0.5], [0.5], b + [7, -3]] {
            let binned = try BinnedKS(grid: grid, current: grid.counts(c))
            let exact = try KolmogorovSmirnovTest(baseline: SortedSample(b), current: SortedSample(c)).statistic
            #expect(binned.statistic == exact.d && binned.errorBound == 0)
        }
    }

    @Test("a lump of current values inside a cell holding baseline mass: ε > 0, at most the smaller of the two masses")
    func lumpInsideACell() throws {
        let b = Self.sample(kind: 0, seed: 8, count: 20_480, shift: 0)
        let grid = KSGrid(sortedBaseline: SortedSample(b))
        let k = grid.edges.count / 2
        let mid = (grid.edges[k] + grid.edges[k + 1]) / 2
        let c = Self.sample(kind: 0, seed: 9, count: 2_000, shift: 0) + [Double](repeating: mid, count: 300)
        let binned = try BinnedKS(grid: grid, current: grid.counts(c))
        let exact = try KolmogorovSmirnovTest(baseline: SortedSample(b), current: SortedSample(c)).statistic
        #expect(binned.errorBound > 0)
        #expect(binned.statistic <= exact.d && exact.d <= binned.statistic + binned.errorBound)
        let mb = Double(grid.baseline.countBelow[k + 1] - grid.baseline.countAtOrBelow[k]) / Double(b.count)
        #expect(binned.errorBound <= mb + 1e-15)
    }

    @Test("no non-null value on a side is insufficient data; counts over another grid are refused")
    func insufficient() {
        let grid = KSGrid(sortedBaseline: SortedSample([1.0, 2, 3]))
        #expect(throws: KernelError.self) { try BinnedKS(grid: grid, current: grid.counts([Double.nan])) }
        let empty = KSGrid(sortedBaseline: SortedSample([Double.nan]))
        #expect(throws: KernelError.self) { try BinnedKS(grid: empty, current: empty.counts([1.0])) }
        let other = KSGrid(sortedBaseline: SortedSample([1.0, 2]))
        #expect(throws: KernelError.self) { try BinnedKS(grid: grid, current: other.counts([1.0])) }
        // only infinities: no edges, still a KS answer
        let inf = KSGrid(sortedBaseline: SortedSample([Double.infinity, -.infinity]))
        #expect(inf.edges.isEmpty)
        #expect((try? BinnedKS(grid: inf, current: inf.counts([1.0, .infinity]))) != nil)
    }

    // MARK: - Wasserstein

    @Test("binned Wasserstein: |W − estimate| ≤ bound; the bound is a few hundredths of σ for bell-shaped data")
    func wasserstein() throws {
        var rng = SplitMix64(seed: 99)
        for trial in 0..<60 {
            let kind = [0, 1, 3, 5][rng.below(4)]
            let n = [5, 100, 2_000, 50_000][rng.below(4)], m = [3, 100, 5_000][rng.below(3)]
            let shift = [0, 0.1, 0.5][rng.below(3)]
            let b = Self.sample(kind: kind == 5 ? 0 : kind, seed: UInt64(trial) &+ 1_000, count: n, shift: 0)
            let c = Self.sample(kind: kind, seed: UInt64(trial) &+ 2_000, count: m, shift: shift)
            let sb = SortedSample(b), sc = SortedSample(c)
            guard sb.finiteCount > 0, sc.finiteCount > 0 else { continue }
            let grid = KSGrid(sortedBaseline: sb)
            let w = try BinnedWasserstein(grid: grid, current: grid.counts(c))
            let exact = try WassersteinDistance.compute(baseline: sb, current: sc)
            #expect(Swift.abs(exact - w.estimate) <= w.errorBound * (1 + 1e-9) + 1e-12 * Swift.max(1, exact),
                    "trial \(trial): exact \(exact), estimate \(w.estimate) ± \(w.errorBound)")
        }
        let b = Self.sample(kind: 0, seed: 1, count: 100_000, shift: 0)
        let c = Self.sample(kind: 0, seed: 2, count: 10_000, shift: 0.2)
        let grid = KSGrid(sortedBaseline: SortedSample(b))
        let w = try BinnedWasserstein(grid: grid, current: grid.counts(c))
        #expect(w.errorBound < 0.05, "bound \(w.errorBound) for σ = 1")
        #expect(Swift.abs(w.estimate - 0.2) < 0.05)
        #expect(throws: KernelError.self) { try BinnedWasserstein(grid: grid, current: grid.counts([Double.infinity])) }
    }
}
