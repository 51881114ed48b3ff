import DriftKernels

extension ComparisonReport {
    /// One JSON document with every field of the table (and the reasons and notes behind each verdict).
    public var json: String {
        var w = JSONWriter()
        w.beginObject()
        w.field("baseline", baselineName)
        w.field("current", currentName)
        w.field("baseline_rows", baselineRows)
        w.field("current_rows", currentRows)
        w.field("bins", bins)
        w.beginObject("policy")
        w.field("significance_level", policy.significanceLevel)
        w.field("psi_warning", policy.psiWarning)
        w.field("psi_critical", policy.psiCritical)
        w.field("wasserstein_warning", policy.wassersteinWarning)
        w.field("wasserstein_critical", policy.wassersteinCritical)
        w.field("jensen_shannon_warning", policy.jensenShannonWarning)
        w.field("jensen_shannon_critical", policy.jensenShannonCritical)
        w.field("null_rate_warning", policy.nullRateWarning)
        w.field("null_rate_critical", policy.nullRateCritical)
        w.field("minimum_sample_size", policy.minimumSampleSize)
        w.endObject()
        w.field("drift", hasDrift)
        w.field("drifted_columns", driftCount)
        w.field("severity", worstSeverity.rawValue)
        w.beginArray("columns")
        for f in features {
            let s = f.statistics
            w.beginObject()
            w.field("name", f.name)
            w.field("type", s.kind.rawValue)
            w.field("baseline_rows", s.baselineRows)
            w.field("current_rows", s.currentRows)
            w.field("baseline_n", s.baselineCount)
            w.field("current_n", s.currentCount)
            w.field("baseline_null_rate", s.baselineNullRate)
            w.field("current_null_rate", s.currentNullRate)
            w.field("null_rate_p", s.nullRateTest?.pValue)
            w.field("ks_d", s.ksStatistic)
            w.field("p_value", s.pValue)
            w.field("p_value_method", s.pValueMethod)
            w.field("psi", s.psi)
            w.field("jensen_shannon", s.jensenShannon)
            w.field("wasserstein", s.wasserstein)
            w.field("wasserstein_normed", s.normedWasserstein)
            w.field("chi_square", s.chiSquare)
            w.field("chi_square_dof", s.chiSquareDegreesOfFreedom)
            w.field("unseen_categories", s.unseenCategories)
            w.field("baseline_distinct", s.baselineDistinct)
            w.field("current_distinct", s.currentDistinct)
            w.field("bins_used", s.bins)
            if let p = s.baselineProfile { profile(&w, "baseline_profile", p) }
            if let p = s.currentProfile { profile(&w, "current_profile", p) }
            w.field("verdict", f.verdict.decision.rawValue)
            w.field("severity", f.verdict.severity.rawValue)
            w.beginArray("reasons")
            for r in f.verdict.reasons { w.field(nil, r) }
            w.endArray()
            w.beginArray("notes")
            for n in s.notes { w.field(nil, n) }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.beginArray("only_in_baseline")
        for c in onlyInBaseline { w.field(nil, c) }
        w.endArray()
        w.beginArray("only_in_current")
        for c in onlyInCurrent { w.field(nil, c) }
        w.endArray()
        w.endObject()
        return w.text
    }

    private func profile(_ w: inout JSONWriter, _ key: String, _ p: DriftKernels.ColumnProfile) {
        w.beginObject(key)
        w.field("min", p.minimum)
        w.field("max", p.maximum)
        w.field("mean", p.finiteCount > 0 ? p.mean : nil)
        w.field("std", p.standardDeviation)
        w.field("nan", p.nanCount)
        w.field("pos_inf", p.positiveInfinityCount)
        w.field("neg_inf", p.negativeInfinityCount)
        w.endObject()
    }
}

