import DriftKernels

extension WindowEvaluator {
    /// The distribution test of every report, BH across the tested features.
    func distributionFindings(_ reports: [FeatureReport]) -> [_Finding] {
        let raw: [Double?] = reports.map { r in
            let s = r.statistics, minimum = policy.settings(for: r.name).drift.minimumSampleSize
            guard s.baselineCount >= minimum, s.currentCount >= minimum, let p = s.pValue, p >= 0, p <= 1 else { return nil }
            return p
        }
        let adjusted = adjust(raw)
        return reports.indices.map { i in
            let r = reports[i], s = r.statistics, settings = policy.settings(for: r.name), d = settings.drift
            let (p, level) = significance(raw: raw[i], adjusted: adjusted[i], alpha: d.significanceLevel)
            var effects: [_Effect] = []
            if let psi = s.psi {
                effects.append(_Effect(name: "psi", value: psi, info: settings.info.psi, warning: d.psiWarning,
                                       critical: d.psiCritical))
            }
            switch s.kind {
            case .numeric:
                if let w = s.normedWasserstein {
                    effects.append(_Effect(name: "normed_wasserstein", value: w, info: settings.info.normedWasserstein,
                                           warning: d.wassersteinWarning, critical: d.wassersteinCritical))
                }
            case .categorical:
                if let js = s.jensenShannon {
                    effects.append(_Effect(name: "jensen_shannon", value: js, info: settings.info.jensenShannon,
                                           warning: d.jensenShannonWarning, critical: d.jensenShannonCritical))
                }
            }
            let effect = _Effect.strongest(effects)
            var finding = _Finding(
                feature: r.name, reportIndex: i, kind: .drift, testName: s.kind == .numeric ? "ks" : "chi-square",
                testMethod: s.pValueMethod, statistic: s.kind == .numeric ? s.ksStatistic : s.chiSquare,
                pValue: s.pValue, adjustedPValue: adjusted[i], effectName: effect?.name, effectValue: effect?.value,
                thresholds: VerdictThresholds(significance: level, benjaminiHochberg: policy.benjaminiHochberg,
                                              info: effect?.info, warning: effect?.warning, critical: effect?.critical),
                baselineCount: s.baselineCount, currentCount: s.currentCount, decision: .insufficientData,
                severity: .none, reasons: [])
            guard raw[i] != nil, let p else {
                finding.reasons.append(
                    s.baselineCount < d.minimumSampleSize || s.currentCount < d.minimumSampleSize
                        ? "too few non-null values to test the distribution (\(s.baselineCount) baseline, \(s.currentCount) current; need \(d.minimumSampleSize))"
                        : "no p-value for the distribution test")
                return finding
            }
            let significant = p < level
            finding.severity = significant ? (effect?.grade ?? .none) : .none
            finding.decision = finding.severity >= .warning ? .drifting : .clean
            let test = s.kind == .numeric ? "KS D = \(short(s.ksStatistic ?? .nan))" : "χ² = \(short(s.chiSquare ?? .nan))"
            let effectText = effects.map { "\(StatisticLabels.effect($0.name)) \(short($0.value))" }.joined(separator: ", ")
            finding.reasons.append("\(test), \(_pText(s.pValue, adjusted[i])); \(effectText.isEmpty ? "no effect size" : effectText): "
                + _gradeText(severity: finding.severity, significant: significant, level: level, bh: policy.benjaminiHochberg))
            return finding
        }
    }

    /// The null-rate test of every report whose feature checks it, BH across them.
    func nullRateFindings(_ reports: [FeatureReport]) -> [_Finding] {
        let checked = reports.indices.filter { policy.settings(for: reports[$0].name).checksNullRate }
        let raw: [Double?] = checked.map { i in
            guard let p = reports[i].statistics.nullRateTest?.pValue, p >= 0, p <= 1 else { return nil }
            return p
        }
        let adjusted = adjust(raw)
        return checked.indices.map { k in
            let i = checked[k], r = reports[i], s = r.statistics, settings = policy.settings(for: r.name), d = settings.drift
            let (p, level) = significance(raw: raw[k], adjusted: adjusted[k], alpha: d.significanceLevel)
            let change = s.nullRateTest.map { Swift.abs($0.difference) }
            var finding = _Finding(
                feature: r.name, reportIndex: i, kind: .nullRate, testName: "two-proportion-z",
                statistic: s.nullRateTest?.z, pValue: s.nullRateTest?.pValue, adjustedPValue: adjusted[k],
                effectName: "null_rate_change", effectValue: change,
                thresholds: VerdictThresholds(significance: level, benjaminiHochberg: policy.benjaminiHochberg,
                                              info: settings.info.nullRateChange, warning: d.nullRateWarning,
                                              critical: d.nullRateCritical),
                baselineCount: s.baselineRows, currentCount: s.currentRows, decision: .insufficientData,
                severity: .none, reasons: [])
            guard raw[k] != nil, let p, let change, let test = s.nullRateTest else {
                finding.reasons.append("no null-rate test (no rows on a side)")
                return finding
            }
            let effect = _Effect(name: "null_rate_change", value: change, info: settings.info.nullRateChange,
                                 warning: d.nullRateWarning, critical: d.nullRateCritical)
            let significant = p < level
            finding.severity = significant ? effect.grade : .none
            finding.decision = finding.severity >= .warning ? .drifting : .clean
            finding.reasons.append("null rate \(short(test.baselineRate * 100))% → \(short(test.currentRate * 100))%, "
                + "\(_pText(test.pValue, adjusted[k])): "
                + _gradeText(severity: finding.severity, significant: significant, level: level, bh: policy.benjaminiHochberg))
            return finding
        }
    }

    /// Fisher z for every declared pair, BH across the pairs tested.
    func correlationFindings(_ observations: [CorrelationObservation]) -> [_Finding] {
        let pairs = policy.correlationPairs, limits = policy.correlation, alpha = policy.defaults.drift.significanceLevel
        var byPair: [FeaturePair: CorrelationObservation] = [:]  // the first observation of each pair wins
        for o in observations where byPair[o.pair] == nil { byPair[o.pair] = o }
        let tests: [(observation: CorrelationObservation?, test: FisherZTest?, note: String?)] = pairs.map { pair in
            guard let o = byPair[pair] ?? byPair[FeaturePair(pair.second, pair.first)] else {
                return (nil, nil, "no co-moments for the pair")
            }
            guard o.baseline.count >= limits.minimumRows, o.current.count >= limits.minimumRows else {
                return (o, nil, "too few complete rows (\(o.baseline.count) baseline, \(o.current.count) current; need \(limits.minimumRows))")
            }
            guard let rb = try? o.baseline.correlation(0, 1), let rc = try? o.current.correlation(0, 1) else {
                return (o, nil, "correlation undefined: a feature is constant")
            }
            guard let test = try? FisherZTest(baseline: rb, baselineCount: o.baseline.count, current: rc,
                                              currentCount: o.current.count) else {
                return (o, nil, "Fisher z undefined")
            }
            return (o, test, nil)
        }
        let raw: [Double?] = tests.map { $0.test.map(\.pValue).flatMap { $0.isNaN ? nil : $0 } }
        let adjusted = adjust(raw)
        return pairs.indices.map { i in
            let pair = pairs[i], (o, test, note) = tests[i]
            let (p, level) = significance(raw: raw[i], adjusted: adjusted[i], alpha: alpha)
            var finding = _Finding(
                feature: pair.first, partner: pair.second, kind: .correlation, testName: "fisher-z",
                statistic: test?.z, pValue: test?.pValue, adjustedPValue: adjusted[i], effectName: "correlation_change",
                effectValue: test.map { Swift.abs($0.difference) },
                thresholds: VerdictThresholds(significance: level, benjaminiHochberg: policy.benjaminiHochberg,
                                              info: limits.info, warning: limits.warning, critical: limits.critical),
                baselineCount: o?.baseline.count ?? 0, currentCount: o?.current.count ?? 0,
                decision: .insufficientData, severity: .none, reasons: [])
            guard let test, let p else {
                finding.reasons.append(note ?? "no p-value")
                return finding
            }
            let effect = _Effect(name: "correlation_change", value: Swift.abs(test.difference), info: limits.info,
                                 warning: limits.warning, critical: limits.critical)
            let significant = p < level
            finding.severity = significant ? effect.grade : .none
            finding.decision = finding.severity >= .warning ? .drifting : .clean
            finding.reasons.append("r \(short(test.baselineCorrelation)) → \(short(test.currentCorrelation)), "
                + "z = \(short(test.z)), \(_pText(test.pValue, adjusted[i])): "
                + _gradeText(severity: finding.severity, significant: significant, level: level, bh: policy.benjaminiHochberg))
            return finding
        }
    }
}
