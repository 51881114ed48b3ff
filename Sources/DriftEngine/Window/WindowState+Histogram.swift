import DriftKernels

extension WindowState {
    /// The window's feature `name` beside `baseline` (id `baselineId`) on the baseline's bins, or nil when the
    /// window or the baseline lacks the feature, their kinds differ, or the baseline has no frozen bins (no finite
    /// value). Numeric: the all-rows bin counts when they are tagged with `baselineId`, otherwise the kept values
    /// binned again (a sample beyond the value cap, flagged `currentSampled`).
    public func histogram(feature name: String, against baseline: BaselineState, baselineId: UInt64) -> FeatureHistogram? {
        guard let i = features.firstIndex(where: { $0.name == name }), let fb = baseline[name] else { return nil }
        switch (summaries[i], fb) {
        case let (.numeric(n), .numeric(nb)):
            guard let frozen = nb.bins, let hb = nb.binCounts else { return nil }
            var current: [UInt64]
            var sampled = false
            if case .tagged(let id, let counts) = n.bins, id == baselineId, counts.count == frozen.binCount {
                current = counts
            } else {
                current = [UInt64](repeating: 0, count: frozen.binCount)
                for entry in n.kept.canonical() {
                    if let b = frozen.bin(of: Double(bitPattern: entry.bits)) { current[b] += 1 }
                }
                sampled = n.kept.sampled
            }
            return FeatureHistogram(kind: .numeric, edges: frozen.edges, baseline: hb.counts.map { UInt64(max(0, $0)) },
                                    current: current, baselineNulls: UInt64(max(0, hb.nullCount)),
                                    currentNulls: n.nulls, currentRows: rows, currentSampled: sampled)
        case let (.categorical(c), .categorical(cb)):
            var index: [String: Int] = [:]
            var categories: [String] = []
            var base: [UInt64] = []
            for (code, entry) in cb.dictionary.enumerated() {
                let count = UInt64(max(0, code < cb.counts.counts.count ? cb.counts.counts[code] : 0))
                if let k = index[entry] {
                    base[k] += count
                } else {
                    index[entry] = categories.count
                    categories.append(entry)
                    base.append(count)
                }
            }
            var current = [UInt64](repeating: 0, count: categories.count)
            for (entry, count) in c.sorted {
                if let k = index[entry] {
                    current[k] += count
                } else {
                    index[entry] = categories.count
                    categories.append(entry)
                    base.append(0)
                    current.append(count)
                }
            }
            return FeatureHistogram(kind: .categorical, categories: categories, baseline: base, current: current,
                                    baselineNulls: UInt64(max(0, cb.counts.nullCount)), currentNulls: c.nulls,
                                    currentRows: rows)
        default:
            return nil
        }
    }
}
