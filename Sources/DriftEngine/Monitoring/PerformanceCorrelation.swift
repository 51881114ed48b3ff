/// Relates per-window drift scores of features to a model metric reported per window (possibly late, possibly
/// with gaps): Spearman's ρ over the last K windows at lags 0 … L, and a ranking of the features whose drift
/// goes most with performance drops.
///
/// Windows are aligned on a grid of `windowLengthMs`. The K windows are those ending at the latest window
/// that has a finite metric value (the anchor): anchor − (K − 1)·length … anchor; windows of that span
/// without a metric, or whose lagged drift score is missing or non-finite, are left out (so late metrics simply
/// join when they arrive and the answer is recomputed). At lag ℓ the metric of window w is paired with the drift
/// score of window w − ℓ·length. The drift score is the caller's choice (e.g. W/σ or PSI from the window
/// verdicts); Spearman only uses its order.
public struct PerformanceCorrelation: Sendable, Equatable {
    public var windowLengthMs: Int64
    /// K: windows considered (≥ 3 for a defined ρ).
    public var windowCount: Int
    /// L: largest lag in windows (≥ 0).
    public var maxLag: Int
    public var direction: MetricDirection

    /// - Precondition: `windowLengthMs` > 0, `windowCount` ≥ 1, `maxLag` ≥ 0.
    public init(windowLengthMs: Int64, windowCount: Int, maxLag: Int, direction: MetricDirection) {
        precondition(windowLengthMs > 0 && windowCount >= 1 && maxLag >= 0, "window length > 0, K ≥ 1, L ≥ 0")
        self.windowLengthMs = windowLengthMs
        self.windowCount = windowCount
        self.maxLag = maxLag
        self.direction = direction
    }

    /// The windows considered: the K grid windows ending at the latest finite metric, oldest first; empty
    /// without any finite metric.
    public func windows(metric: [Int64: Double]) -> [Int64] {
        guard let anchor = metric.filter({ $0.value.isFinite }).keys.max() else { return [] }
        return (0..<windowCount).reversed().compactMap { i -> Int64? in
            let (offset, o1) = Int64(i).multipliedReportingOverflow(by: windowLengthMs)
            let (start, o2) = anchor.subtractingReportingOverflow(offset)
            return o1 || o2 ? nil : start
        }
    }

    /// ρ at each lag 0 … L for one feature, in lag order.
    public func associations(feature: String, scores: [Int64: Double], metric: [Int64: Double]) -> [LaggedAssociation] {
        let span = windows(metric: metric)
        return (0...maxLag).map { lag in
            var x: [Double] = [], y: [Double] = []
            for w in span {
                guard let m = metric[w], m.isFinite else { continue }
                let (shift, o1) = Int64(lag).multipliedReportingOverflow(by: windowLengthMs)
                let (source, o2) = w.subtractingReportingOverflow(shift)
                guard !o1, !o2, let s = scores[source], s.isFinite else { continue }
                x.append(s)
                y.append(m)
            }
            return LaggedAssociation(feature: feature, lag: lag, spearman: SpearmanCorrelation(x, y), count: x.count,
                                     direction: direction)
        }
    }

    /// Features ordered by their strongest association with performance drops: per feature the lag with the
    /// largest ρ(drift, degradation) (ties: the smaller lag), then features by that ρ descending, ties by the
    /// lag-adjusted p-value ascending, then by name. Features with no defined ρ at any lag are left out; features
    /// whose best ρ is ≤ 0 (drift goes with *better* performance) are kept at the end, so the caller sees them.
    public func ranking(driftScores: [String: [Int64: Double]], metric: [Int64: Double]) -> [FeaturePerformanceRank] {
        let lags = Double(maxLag + 1)
        let ranks = driftScores.compactMap { feature, scores -> FeaturePerformanceRank? in
            let defined = associations(feature: feature, scores: scores, metric: metric)
                .filter { $0.degradationCorrelation != nil }
            guard let best = defined.max(by: { a, b in
                a.degradationCorrelation! != b.degradationCorrelation!
                    ? a.degradationCorrelation! < b.degradationCorrelation! : a.lag > b.lag
            }) else { return nil }
            return FeaturePerformanceRank(best: best, lagAdjustedPValue: Swift.min(1, best.spearman!.pValue * lags))
        }
        return ranks.sorted { a, b in
            let ra = a.best.degradationCorrelation!, rb = b.best.degradationCorrelation!
            if ra != rb { return ra > rb }
            if a.lagAdjustedPValue != b.lagAdjustedPValue { return a.lagAdjustedPValue < b.lagAdjustedPValue }
            return a.best.feature < b.best.feature
        }
    }
}
