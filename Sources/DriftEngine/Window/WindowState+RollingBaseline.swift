import DriftKernels

extension WindowState {
    /// A rolling baseline from closed windows (all of the same features, cap and pairs): their states merged,
    /// then per feature of `features` (matched by name; the kind must agree):
    ///
    /// - numeric: built by ``FeatureBaseline`` from the merged kept values — all values when no window sampled,
    ///   otherwise the seeded uniform sample of `valueCap` of them (the union of the windows' bottom-k samples) —
    ///   with the feature's `bins`, `cap` and `seed`: frozen bins, bin counts and KS grid re-computed from those
    ///   values. The profile is the windows' exact all-rows profile. When the windows sampled, the baseline is
    ///   marked `sampled` with `totalCount` = all non-null rows, so every verdict against it carries the note
    ///   "KS on a seeded uniform sample of k of n baseline values"; its bin counts are then the sample's counts
    ///   scaled to n (largest remainder, ties to the lower bin), since the windows hold no all-rows counts on bins
    ///   that did not exist yet — PSI against such a baseline is an estimate.
    /// - categorical: counts by name summed (canonically equivalent spellings are one category, as in the
    ///   builder), the dictionary in ascending UTF-8 byte order; only categories that occurred are listed (the
    ///   builder also lists block-dictionary entries no row used, with count 0 — chi-square and PSI drop those).
    /// - co-moments: the declared pairs' merged co-moments, over the numeric features that appear in a declared
    ///   pair (when there are 2 … ``BaselineState/maxCorrelatedFeatures``); pairs among them that were not
    ///   declared are stored empty (count 0), so a check of them reports insufficient data.
    ///
    /// Not sampled, the result equals ``BaselineBuilder`` on the same rows except the profile's mean and
    /// Σ(x − mean)² (exact sums here, within ~1e-15 relative), the categorical dictionary (sorted and only
    /// categories seen here, first appearance there) and the co-moments (exact sums here, Chan's chunked update there).
    /// - Throws: ``WindowStateError/incompatible(_:)`` for windows that do not merge, a feature the windows lack
    ///   or hold as another kind, or a numeric cap below 1.
    public static func rollingBaseline(from windows: [WindowState], features: [BaselineBuilder.Feature]) throws -> BaselineState {
        guard var merged = windows.first else {
            return try rollingBaseline(
                from: [WindowState(features: features.map { Feature(name: $0.name, kind: $0.kind) })], features: features)
        }
        for w in windows.dropFirst() { try merged.merge(w) }
        var built: [(name: String, baseline: FeatureBaseline)] = []
        var numericIndices: [(name: String, window: Int)] = []
        for f in features {
            guard let i = merged.features.firstIndex(where: { $0.name == f.name }) else {
                throw WindowStateError.incompatible("the windows have no feature \"\(f.name)\"")
            }
            guard merged.features[i].kind == f.kind else {
                throw WindowStateError.incompatible(
                    "feature \"\(f.name)\" is \(merged.features[i].kind.rawValue) in the windows, \(f.kind.rawValue) here")
            }
            switch merged.summaries[i] {
            case .numeric(let n):
                guard f.cap >= 1 else { throw WindowStateError.incompatible("feature \"\(f.name)\": cap \(f.cap) < 1") }
                built.append((f.name, .numeric(rollingNumeric(n, rows: merged.rows, feature: f))))
                numericIndices.append((f.name, i))
            case .categorical(let c):
                let sorted = c.sorted
                built.append((f.name, .categorical(CategoricalBaseline(
                    dictionary: sorted.map(\.name),
                    counts: CategoryCounts(counts: sorted.map { Int($0.count) }, nullCount: Int(c.nulls))))))
            }
        }
        return BaselineState(features: built, correlations: merged.rollingCorrelations(numeric: numericIndices))
    }

    private static func rollingNumeric(_ n: WindowNumericSummary, rows: UInt64, feature f: BaselineBuilder.Feature)
        -> NumericBaseline
    {
        let values = n.kept.canonical().map { Double(bitPattern: $0.bits) }
        let profile = n.profile(rows: rows)
        let nulls = Int(n.nulls)
        var nb: NumericBaseline
        if f.kind == .float32 {
            let v = values.map { Float($0) }
            let s = SortedSample(v)
            let all = SortedSample(sortedFinite: s.withFiniteValues { Array($0) }, negativeInfinityCount: s.negativeInfinityCount,
                                   positiveInfinityCount: s.positiveInfinityCount, nullCount: nulls)
            nb = FeatureBaseline._build(all, profile: profile, bins: f.bins, cap: f.cap, seed: f.seed,
                                        histogram: { b in var h = b.histogram(v); h.nullCount = nulls; return h },
                                        grid: { KSGrid(sortedBaseline: $0) }, wrap: SortedValues.float32)
        } else {
            let s = SortedSample(values)
            let all = SortedSample(sortedFinite: s.withFiniteValues { Array($0) }, negativeInfinityCount: s.negativeInfinityCount,
                                   positiveInfinityCount: s.positiveInfinityCount, nullCount: nulls)
            nb = FeatureBaseline._build(all, profile: profile, bins: f.bins, cap: f.cap, seed: f.seed,
                                        histogram: { b in var h = b.histogram(values); h.nullCount = nulls; return h },
                                        grid: { KSGrid(sortedBaseline: $0) }, wrap: SortedValues.float64)
        }
        if n.kept.sampled {
            let total = Int(rows) - nulls
            if nb.sampled { nb.grid = nb.sortedValues.grid }  // re-sampled below the feature's cap: describe what is kept
            nb.sampled = true
            nb.totalCount = total
            if let counts = nb.binCounts {
                nb.binCounts = BinCounts(counts: scaled(counts.counts, to: total), nullCount: nulls)
            }
        }
        return nb
    }

    /// Integer counts proportional to `counts` summing to `total` (largest remainder; ties to the lower index).
    static func scaled(_ counts: [Int], to total: Int) -> [Int] {
        let sum = counts.reduce(0, +)
        guard sum > 0 else { return counts }
        var result: [Int] = []
        var remainders: [(remainder: UInt64, index: Int)] = []
        for (i, c) in counts.enumerated() {
            let product = UInt64(c).multipliedFullWidth(by: UInt64(total))
            let (q, r) = UInt64(sum).dividingFullWidth(product)
            result.append(Int(q))
            remainders.append((r, i))
        }
        var missing = total - result.reduce(0, +)
        remainders.sort { $0.remainder > $1.remainder || ($0.remainder == $1.remainder && $0.index < $1.index) }
        for (_, i) in remainders where missing > 0 {
            result[i] += 1
            missing -= 1
        }
        return result
    }

    /// Co-moments over the numeric features (in baseline order) that appear in a declared pair.
    private func rollingCorrelations(numeric: [(name: String, window: Int)]) -> FeatureCorrelations? {
        let involved = Set(pairIndices.compactMap { $0 }.flatMap { [$0.0, $0.1] })
        let covered = numeric.filter { involved.contains($0.window) }
        guard covered.count >= 2, covered.count <= BaselineState.maxCorrelatedFeatures else { return nil }
        var pairs: [CoMoments] = []
        for a in 0..<covered.count {
            for b in (a + 1)..<covered.count {
                let x = covered[a].window, y = covered[b].window
                if let p = pairIndices.firstIndex(where: { $0.map { $0 == (x, y) } ?? false }) {
                    pairs.append(pairMoments[p].coMoments)
                } else if let p = pairIndices.firstIndex(where: { $0.map { $0 == (y, x) } ?? false }) {
                    let m = pairMoments[p].coMoments
                    pairs.append(try! CoMoments(count: m.count, means: m.means.reversed(),
                                                comoments: [m.comoments[3], m.comoments[1], m.comoments[2], m.comoments[0]]))
                } else {
                    pairs.append(CoMoments(dimension: 2))
                }
            }
        }
        let moments = try! PairwiseCoMoments(dimension: covered.count, pairs: pairs)
        return FeatureCorrelations(features: covered.map(\.name), moments: moments)
    }
}
