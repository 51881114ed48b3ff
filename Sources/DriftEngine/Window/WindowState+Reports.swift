import DriftKernels

extension WindowState {
    /// One report per feature of the window, in feature order, against `baseline` (id `baselineId`), with
    /// `policies[i]` for feature i (the default policy where `policies` is shorter).
    ///
    /// - Numeric, every value kept: the report equals ``FeatureComparison/numeric(name:baseline:current:policy:)-([Double])``
    ///   (the `[Float]` overload for float32 features) on the window's rows — KS, p-value, PSI, JS, Wasserstein,
    ///   counts, null-rate test, verdict — except `currentProfile`'s mean and Σ(x − mean)², which come from the
    ///   window's exact sums (order-independent; within ~1e-15 relative of the arrival-order ``ColumnProfile``).
    /// - Numeric, sampled (more non-null values than ``valueCap``): KS and Wasserstein on the seeded sample, with
    ///   the note "KS on a seeded uniform sample of k of n window values"; profile, counts and null-rate test from
    ///   all rows; PSI and JS from the all-rows bin counts when they are tagged with `baselineId`, otherwise from
    ///   the sample with a note saying so.
    /// - Categorical: equals ``FeatureComparison/categorical(name:baseline:current:dictionarySize:policy:)`` on the
    ///   window's rows coded against the baseline's dictionary with the window's new categories appended in
    ///   ascending UTF-8 byte order of their names.
    /// - A feature the baseline lacks: an insufficient-data report (current counts only) with a note.
    public func reports(against baseline: BaselineState, baselineId: UInt64, policies: [DriftPolicy]) -> [FeatureReport] {
        features.indices.map { i in
            report(feature: i, against: baseline, baselineId: baselineId,
                   policy: i < policies.count ? policies[i] : DriftPolicy())
        }
    }

    /// The report of feature `i` alone, as in ``reports(against:baselineId:policies:)`` (features are
    /// independent: a caller may compute them on several threads).
    public func report(feature i: Int, against baseline: BaselineState, baselineId: UInt64,
                       policy: DriftPolicy) -> FeatureReport {
        let f = features[i]
        guard let fb = baseline[f.name] else { return missingReport(i, policy: policy) }
        switch summaries[i] {
        case .numeric(let n): return numericReport(f, n, baseline: fb, baselineId: baselineId, policy: policy)
        case .categorical(let c): return categoricalReport(f.name, c, baseline: fb, policy: policy)
        }
    }

    /// The window's co-moments for the declared pairs, paired with the baseline's (pairs either side lacks are
    /// left out: the baseline keeps none for them, or a pair names a feature the window does not hold as numeric).
    public func correlationObservations(against baseline: BaselineState) -> [CorrelationObservation] {
        correlationPairs.indices.compactMap { p in
            let pair = correlationPairs[p]
            guard pairIndices[p] != nil, let b = baseline.correlation(of: pair.first, and: pair.second) else { return nil }
            return CorrelationObservation(pair: pair, baseline: b, current: pairMoments[p].coMoments)
        }
    }

    /// The window's co-moments of declared pair `index` (x = the pair's first feature).
    public func coMoments(ofPair index: Int) -> CoMoments { pairMoments[index].coMoments }

    /// The profile of numeric feature `index` over all rows (nil for a categorical feature).
    public func profile(feature index: Int) -> ColumnProfile? {
        if case .numeric(let n) = summaries[index] { return n.profile(rows: rows) }
        return nil
    }

    private func missingReport(_ i: Int, policy: DriftPolicy) -> FeatureReport {
        let f = features[i]
        var s = FeatureStatistics(kind: f.kind == .categorical ? .categorical : .numeric)
        let nulls: UInt64
        switch summaries[i] {
        case .numeric(let n):
            nulls = n.nulls
            s.currentProfile = n.profile(rows: rows)
        case .categorical(let c):
            nulls = c.nulls
            s.currentDistinct = c.counts.count
        }
        s.currentRows = Int(rows)
        s.currentCount = Int(rows - nulls)
        s.currentNullRate = rows == 0 ? 0 : Double(nulls) / Double(rows)
        s.notes.append("the baseline has no feature \"\(f.name)\": insufficient data")
        return FeatureReport(name: f.name, statistics: s, verdict: policy.decide(s))
    }

    private func numericReport(_ f: Feature, _ n: WindowNumericSummary, baseline fb: FeatureBaseline, baselineId: UInt64,
                               policy: DriftPolicy) -> FeatureReport {
        let values = n.kept.canonical().map { Double(bitPattern: $0.bits) }
        var report = f.kind == .float32
            ? FeatureComparison.numeric(name: f.name, baseline: fb, current: values.map { Float($0) }, policy: policy)
            : FeatureComparison.numeric(name: f.name, baseline: fb, current: values, policy: policy)
        guard case .numeric(let nb) = fb else { return report }
        var s = report.statistics
        let profile = n.profile(rows: rows)
        s.currentProfile = profile
        FeatureComparison.fillCounts(&s, baselineRows: nb.profile.count, baselineNulls: nb.profile.nullCount, currentRows: profile.count,
                        currentNulls: profile.nullCount)
        if n.kept.sampled {
            let total = rows - n.nulls
            if case .tagged(let id, let counts) = n.bins, id == baselineId, let frozen = nb.bins, let hb = nb.binCounts,
               counts.count == frozen.binCount {
                s.psi = nil
                s.jensenShannon = nil
                let hc = BinCounts(counts: counts.map { Int($0) }, nullCount: Int(n.nulls))
                FeatureComparison.note(&s) { s in
                    s.psi = try PopulationStabilityIndex.compute(baseline: hb, current: hc)
                    s.jensenShannon = try JensenShannonDistance.compute(baseline: hb.counts, current: hc.counts)
                }
            } else if s.psi != nil {
                s.notes.append("PSI and JS on a seeded uniform sample of \(values.count) of \(total) window values "
                    + "(the window's bin counts are not on this baseline's bins)")
            }
            s.notes.append("KS on a seeded uniform sample of \(values.count) of \(total) window values")
        }
        report.statistics = s
        report.verdict = policy.decide(s)
        return report
    }

    private func categoricalReport(_ name: String, _ c: WindowCategorySummary, baseline fb: FeatureBaseline,
                                   policy: DriftPolicy) -> FeatureReport {
        guard case .categorical(let cb) = fb else {
            // the same refusal as the one-shot path
            return FeatureComparison.categorical(name: name, baseline: fb, current: [], dictionarySize: 0, policy: policy)
        }
        var index: [String: Int] = [:]
        for (k, entry) in cb.dictionary.enumerated() where index[entry] == nil { index[entry] = k }
        var current = [Int](repeating: 0, count: cb.dictionary.count)
        for (s, count) in c.sorted {
            if let k = index[s] {
                current[k] += Int(count)
            } else {
                index[s] = current.count
                current.append(Int(count))
            }
        }
        var b = cb.counts
        b.counts += [Int](repeating: 0, count: current.count - b.counts.count)
        var s = FeatureStatistics(kind: .categorical)
        FeatureComparison.compareCategories(b, CategoryCounts(counts: current, nullCount: Int(c.nulls)), into: &s)
        return FeatureReport(name: name, statistics: s, verdict: policy.decide(s))
    }
}
