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
        note(&s) { s in
            let ks = try KolmogorovSmirnovTest(baseline: sb, current: sc)
            s.ksStatistic = ks.statistic.d
            s.pValue = ks.pValue
            s.pValueMethod = ks.method.rawValue
        }
        note(&s) { s in
            let w = try WassersteinDistance.compute(baseline: sb, current: sc)
            s.wasserstein = w
            if let sd = bp.standardDeviation { s.normedWasserstein = WassersteinDistance.normed(w, baselineStandardDeviation: sd) }
        }
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
        } catch {
            record(&s, error)
        }
        return FeatureReport(name: name, statistics: s, verdict: policy.decide(s))
    }

    private static func fillCounts(_ s: inout FeatureStatistics, baselineRows: Int, baselineNulls: Int,
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

    /// Runs a statistic; an undefined one leaves its fields nil and records why.
    private static func note(_ s: inout FeatureStatistics, _ body: (inout FeatureStatistics) throws -> Void) {
        do { try body(&s) } catch { record(&s, error) }
    }

    private static func record(_ s: inout FeatureStatistics, _ error: any Error) {
        let message = (error as? KernelError)?.message ?? "\(error)"
        if !s.notes.contains(message) { s.notes.append(message) }
    }
}
