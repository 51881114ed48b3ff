import DriftKernels

/// Compares one feature of a current sample with the same feature of a baseline (offline, one shot).
public enum FeatureComparison {
    /// Numeric feature: profiles, frozen quantile bins (PSI, JS), exact KS, Wasserstein, null-rate test.
    /// NaN is null. Never throws: undefined statistics become `nil` with a note.
    public static func numeric(name: String, baseline: [Double], current: [Double], bins: Int = QuantileBins.defaultBinCount,
                               policy: DriftPolicy = DriftPolicy()) -> FeatureReport {
        var s = FeatureStatistics(kind: .numeric)
        let bp = ColumnProfile(baseline), cp = ColumnProfile(current)
        s.baselineProfile = bp
        s.currentProfile = cp
        fillCounts(&s, baselineRows: bp.count, baselineNulls: bp.nullCount, currentRows: cp.count, currentNulls: cp.nullCount)
        let sb = SortedSample(baseline), sc = SortedSample(current)
        note(&s) { s in
            let frozen = try sb.withFiniteValues { try QuantileBins(sortedBaseline: $0, bins: bins) }
            s.bins = frozen.edges.count - 1
            let hb = frozen.histogram(baseline), hc = frozen.histogram(current)
            s.psi = try PopulationStabilityIndex.compute(baseline: hb, current: hc)
            s.jensenShannon = try JensenShannonDistance.compute(baseline: hb.counts, current: hc.counts)
        }
        // KS and Wasserstein from one walk; the baseline is indexed for this call when the stored path would use
        // its index, so both paths give the same bits.
        exactStatistics(ExactComparison(baseline: sb, current: sc), baselineStandardDeviation: bp.standardDeviation, into: &s)
        return FeatureReport(name: name, statistics: s, verdict: policy.decide(s))
    }

    /// Categorical feature given as codes into one dictionary shared by both sides (`CategoryCounts.nullCode` is
    /// null): chi-square homogeneity, PSI and JS over categories, null-rate test.
    public static func categorical(name: String, baseline: [UInt32], current: [UInt32], dictionarySize: Int,
                                   policy: DriftPolicy = DriftPolicy()) -> FeatureReport {
        var s = FeatureStatistics(kind: .categorical)
        do {
            let b = try baseline.withUnsafeBufferPointer { try CategoryCounts(codes: $0, dictionarySize: dictionarySize) }
            let c = try current.withUnsafeBufferPointer { try CategoryCounts(codes: $0, dictionarySize: dictionarySize) }
            compareCategories(b, c, into: &s)
        } catch {
            record(&s, error)
        }
        return FeatureReport(name: name, statistics: s, verdict: policy.decide(s))
    }

    /// Counts, distinct categories, chi-square, PSI and JS of two category histograms over one dictionary.
    static func compareCategories(_ b: CategoryCounts, _ c: CategoryCounts, into s: inout FeatureStatistics) {
        fillCounts(&s, baselineRows: b.count, baselineNulls: b.nullCount, currentRows: c.count, currentNulls: c.nullCount)
        s.baselineDistinct = b.distinctCount
        s.currentDistinct = c.distinctCount
        note(&s) { s in
            let t = try ChiSquareTest(baseline: b.counts, current: c.counts)
            s.chiSquare = t.statistic
            s.chiSquareDegreesOfFreedom = t.degreesOfFreedom
            s.pValue = t.pValue
            s.pValueMethod = "chi-square"
            s.unseenCategories = t.unseenCategories
            s.psi = try PopulationStabilityIndex.compute(baseline: b.counts, current: c.counts)
            s.jensenShannon = try JensenShannonDistance.compute(baseline: b.counts, current: c.counts)
        }
    }

    static func fillCounts(_ s: inout FeatureStatistics, baselineRows: Int, baselineNulls: Int,
                                   currentRows: Int, currentNulls: Int) {
        s.baselineRows = baselineRows
        s.currentRows = currentRows
        s.baselineCount = baselineRows - baselineNulls
        s.currentCount = currentRows - currentNulls
        s.baselineNullRate = baselineRows == 0 ? 0 : Double(baselineNulls) / Double(baselineRows)
        s.currentNullRate = currentRows == 0 ? 0 : Double(currentNulls) / Double(currentRows)
        s.nullRateTest = try? TwoProportionZTest(baselineSuccesses: baselineNulls, baselineTrials: baselineRows,
                                                 currentSuccesses: currentNulls, currentTrials: currentRows)
    }

    /// The KS test (p-value from D) and the Wasserstein distance (and W/σ) of an exact comparison; an undefined one
    /// leaves its fields nil and records why.
    private static func exactStatistics(_ exact: ExactComparison, baselineStandardDeviation sd: Double?,
                                        into s: inout FeatureStatistics) {
        note(&s) { s in
            let ks = KolmogorovSmirnovTest(statistic: try exact.ks.get())
            s.ksStatistic = ks.statistic.d
            s.pValue = ks.pValue
            s.pValueMethod = ks.method.rawValue
        }
        note(&s) { s in
            let w = try exact.wasserstein.get()
            s.wasserstein = w
            if let sd { s.normedWasserstein = WassersteinDistance.normed(w, baselineStandardDeviation: sd) }
        }
    }

    /// Runs a statistic; an undefined one leaves its fields nil and records why.
    static func note(_ s: inout FeatureStatistics, _ body: (inout FeatureStatistics) throws -> Void) {
        do { try body(&s) } catch { record(&s, error) }
    }

    static func record(_ s: inout FeatureStatistics, _ error: any Error) {
        let message = (error as? KernelError)?.message ?? "\(error)"
        if !s.notes.contains(message) { s.notes.append(message) }
    }
}

// MARK: - Against a stored baseline

extension FeatureComparison {
    /// Numeric feature against a stored ``FeatureBaseline``: the same statistics and report as
    /// ``numeric(name:baseline:current:bins:policy:)`` on the baseline's values, without re-sorting, re-binning or
    /// re-profiling the baseline (its frozen bins and bin counts are reused; the bin count is the one it was built
    /// with). When the baseline kept a seeded sample (`sampled`), KS and Wasserstein run on that sample and a note
    /// says so; profiles, null rates, PSI and JS still use all baseline values. KS and Wasserstein come from one walk
    /// over the baseline's ``NumericBaseline/comparisonIndex``: O(m · small) against a baseline many times larger
    /// than the column. Against a float32 baseline the tests run in float32 when every value of the column is a
    /// float32 (exact, so the results are those of the widened values); otherwise the baseline is widened to
    /// float64 (exact, O(n) per call).
    public static func numeric(name: String, baseline: FeatureBaseline, current: [Double],
                               policy: DriftPolicy = DriftPolicy()) -> FeatureReport {
        let sc = SortedSample(current)
        return numericAgainst(name: name, baseline: baseline, currentProfile: { ColumnProfile(current) },
                              histogram: { $0.histogram(current) }, policy: policy,
                              exact: { nb in
                                  switch nb.comparisonIndex {
                                  case .float64(let index): return ExactComparison(baseline: index, current: sc)
                                  case .float32(let index):
                                      if let narrow = sc.exactlyNarrowed { return ExactComparison(baseline: index, current: narrow) }
                                      return ExactComparison(baseline: nb.sortedValues.float64, current: sc)
                                  }
                              })
    }

    /// A float32 column against a stored baseline: as ``numeric(name:baseline:current:policy:)-([Double])``;
    /// against a float32 baseline the tests run in float32 without widening, against a float64 one the current
    /// values are widened (exact).
    public static func numeric(name: String, baseline: FeatureBaseline, current: [Float],
                               policy: DriftPolicy = DriftPolicy()) -> FeatureReport {
        let sc = SortedSample(current)
        return numericAgainst(
            name: name, baseline: baseline, currentProfile: { ColumnProfile(current) },
            histogram: { $0.histogram(current) }, policy: policy,
            exact: { nb in
                switch nb.comparisonIndex {
                case .float32(let index): return ExactComparison(baseline: index, current: sc)
                case .float64(let index): return ExactComparison(baseline: index, current: SortedValues.float32(sc).float64)
                }
            })
    }

    /// The body shared by both widths, statistic for statistic in the order of the one-shot path.
    private static func numericAgainst(
        name: String, baseline: FeatureBaseline, currentProfile: () -> ColumnProfile,
        histogram: (QuantileBins) -> BinCounts, policy: DriftPolicy, exact: (NumericBaseline) -> ExactComparison
    ) -> FeatureReport {
        var s = FeatureStatistics(kind: .numeric)
        guard let nb = profilesAndBins(name: name, baseline: baseline, currentProfile: currentProfile,
                                       histogram: histogram, into: &s)
        else { return FeatureReport(name: name, statistics: s, verdict: policy.decide(s)) }
        exactStatistics(exact(nb), baselineStandardDeviation: nb.profile.standardDeviation, into: &s)
        if nb.sampled {
            s.notes.append("KS on a seeded uniform sample of \(nb.sortedValues.count) of \(nb.totalCount) baseline values")
        }
        return FeatureReport(name: name, statistics: s, verdict: policy.decide(s))
    }

    /// Profiles, counts, null-rate test, and PSI/JS over the frozen bins: the part both the exact and the
    /// approximate paths share. Returns nil (with a note) when the baseline is not numeric.
    private static func profilesAndBins(name: String, baseline: FeatureBaseline, currentProfile: () -> ColumnProfile,
                                        histogram: (QuantileBins) -> BinCounts, into s: inout FeatureStatistics)
        -> NumericBaseline?
    {
        guard case .numeric(let nb) = baseline else {
            record(&s, KernelError(.invalidArgument, "the baseline of \(name) is categorical, not numeric"))
            return nil
        }
        let bp = nb.profile, cp = currentProfile()
        s.baselineProfile = bp
        s.currentProfile = cp
        fillCounts(&s, baselineRows: bp.count, baselineNulls: bp.nullCount, currentRows: cp.count, currentNulls: cp.nullCount)
        note(&s) { s in
            guard let frozen = nb.bins, let hb = nb.binCounts else {
                // Reproduces the reason the bins could not be frozen (no finite value, or an invalid bin count).
                _ = try QuantileBins(sortedBaseline: UnsafeBufferPointer<Double>(start: nil, count: 0), bins: nb.requestedBins)
                throw KernelError(.insufficientData, "baseline has no finite values")
            }
            s.bins = frozen.edges.count - 1
            let hc = histogram(frozen)
            s.psi = try PopulationStabilityIndex.compute(baseline: hb, current: hc)
            s.jensenShannon = try JensenShannonDistance.compute(baseline: hb.counts, current: hc.counts)
        }
        return nb
    }

    /// Categorical feature against a stored ``FeatureBaseline``: the same report as
    /// ``categorical(name:baseline:current:dictionarySize:policy:)`` on the baseline's codes. `current` holds codes
    /// into a dictionary of `dictionarySize` entries of which the baseline's dictionary is a prefix (new
    /// categories are appended); the baseline's counts are zero-extended to it.
    public static func categorical(name: String, baseline: FeatureBaseline, current: [UInt32], dictionarySize: Int,
                                   policy: DriftPolicy = DriftPolicy()) -> FeatureReport {
        var s = FeatureStatistics(kind: .categorical)
        do {
            guard case .categorical(let cb) = baseline else {
                throw KernelError(.invalidArgument, "the baseline of \(name) is numeric, not categorical")
            }
            guard dictionarySize >= cb.counts.counts.count else {
                throw KernelError(.invalidArgument,
                                  "a dictionary of \(dictionarySize) is smaller than the baseline's \(cb.counts.counts.count)")
            }
            var b = cb.counts
            b.counts += [Int](repeating: 0, count: dictionarySize - b.counts.count)
            let c = try current.withUnsafeBufferPointer { try CategoryCounts(codes: $0, dictionarySize: dictionarySize) }
            compareCategories(b, c, into: &s)
        } catch {
            record(&s, error)
        }
        return FeatureReport(name: name, statistics: s, verdict: policy.decide(s))
    }
}

// MARK: - Approximate, against a stored baseline

extension FeatureComparison {
    /// Numeric feature against a stored ``FeatureBaseline``, approximately, for latency budgets too small for the
    /// exact test: the same ``FeatureReport`` as ``numeric(name:baseline:current:policy:)-([Double])`` except that
    /// - KS is the binned KS of the baseline's frozen grid (``BinnedKS``: one pass of binary searches over ≤ 1024
    ///   edges, no sort of the current sample, no merge with the baseline): `ksStatistic` = D at the grid, a lower
    ///   bound of the exact D, with `ksErrorBound` ε such that the exact D ≤ D + ε; the p-value is the asymptotic
    ///   one at D (`pValueMethod` "binned"), so it is never smaller than the asymptotic p at the exact D — the
    ///   approximate answer errs towards "no drift";
    /// - Wasserstein is estimated from the CDFs at the same grid (``BinnedWasserstein``), with
    ///   `wassersteinErrorBound`; the normed W divides that estimate by the baseline σ as usual;
    /// - PSI, JS, profiles and the null-rate test are the exact ones (the frozen bins are cheap already);
    /// - `approximate` is true and a note states the bound. The decision uses the same `policy`.
    /// KS runs on the grid, which describes all baseline values even when `sortedValues` is a sample.
    public static func numericApproximate(name: String, baseline: FeatureBaseline, current: [Double],
                                          policy: DriftPolicy = DriftPolicy()) -> FeatureReport {
        numericApproximateAgainst(name: name, baseline: baseline, currentProfile: { ColumnProfile(current) },
                                  histogram: { $0.histogram(current) }, gridCounts: { $0.counts(current) }, policy: policy)
    }

    /// A float32 column against a stored baseline, approximately: as
    /// ``numericApproximate(name:baseline:current:policy:)-([Double])``.
    public static func numericApproximate(name: String, baseline: FeatureBaseline, current: [Float],
                                          policy: DriftPolicy = DriftPolicy()) -> FeatureReport {
        numericApproximateAgainst(name: name, baseline: baseline, currentProfile: { ColumnProfile(current) },
                                  histogram: { $0.histogram(current) }, gridCounts: { $0.counts(current) }, policy: policy)
    }

    private static func numericApproximateAgainst(
        name: String, baseline: FeatureBaseline, currentProfile: () -> ColumnProfile,
        histogram: (QuantileBins) -> BinCounts, gridCounts: (KSGrid) -> KSGridCounts, policy: DriftPolicy
    ) -> FeatureReport {
        var s = FeatureStatistics(kind: .numeric)
        s.approximate = true
        guard let nb = profilesAndBins(name: name, baseline: baseline, currentProfile: currentProfile,
                                       histogram: histogram, into: &s)
        else { return FeatureReport(name: name, statistics: s, verdict: policy.decide(s)) }
        let grid = nb.grid
        let counts = gridCounts(grid)
        note(&s) { s in
            let t = try BinnedKS(grid: grid, current: counts)
            s.ksStatistic = t.statistic
            s.ksErrorBound = t.errorBound
            s.pValue = t.pValue
            s.pValueMethod = BinnedKS.methodName
        }
        note(&s) { s in
            let w = try BinnedWasserstein(grid: grid, current: counts)
            s.wasserstein = w.estimate
            s.wassersteinErrorBound = w.errorBound
            if let sd = nb.profile.standardDeviation {
                s.normedWasserstein = WassersteinDistance.normed(w.estimate, baselineStandardDeviation: sd)
            }
        }
        if let d = s.ksStatistic, let e = s.ksErrorBound {
            var text = "approximate: binned KS over the baseline's \(grid.edges.count)-edge grid, exact D in "
                + "[\(short(d)), \(short(d + e))]"
            if let w = s.wasserstein, let we = s.wassersteinErrorBound { text += "; Wasserstein \(short(w)) ± \(short(we))" }
            s.notes.append(text)
        }
        if nb.sampled && grid.baseline.count != nb.totalCount {
            s.notes.append("KS on a seeded uniform sample of \(grid.baseline.count) of \(nb.totalCount) baseline values")
        }
        return FeatureReport(name: name, statistics: s, verdict: policy.decide(s))
    }
}
