/// What a stored verdict is about.
public enum VerdictKind: UInt8, Sendable, Equatable, CaseIterable {
    case drift = 0
    case nullRate = 1
    case correlation = 2
    case freshness = 3
}

/// One decision for one feature of one source-window, with every input needed to see why it fired. Plain fields:
/// the engine maps its own types onto them. `decision`, `severity` and `status` are the engine's small codes;
/// the store only relies on `severity` being ordered (higher = more severe) for `minimumSeverity` filters.
/// Doubles may be NaN or ±infinity (NaN is stored as NULL and read back as NaN).
///
/// Identity: (source, feature, window start, kind). Recording a verdict with the same identity replaces the
/// earlier one (a window re-decided after late data keeps its latest decision).
public struct VerdictRow: Sendable, Equatable {
    public var source: String
    /// The feature, or a pair label for correlation verdicts, or "" for source-level verdicts (freshness).
    public var feature: String
    public var windowStartMilliseconds: Int64
    public var windowEndMilliseconds: Int64
    public var baselineID: UInt64
    public var kind: VerdictKind
    /// The test that ran ("ks", "chi2", "two_proportion", "fisher_z", …).
    public var test: String
    public var statistic: Double
    public var p: Double
    /// p after Benjamini–Hochberg across the source-window.
    public var pAdjusted: Double
    /// The effect size that gated the test ("psi", "wasserstein", "js", "abs_delta", …).
    public var effectName: String
    public var effect: Double
    public var warningThreshold: Double
    public var criticalThreshold: Double
    public var nBaseline: UInt64
    public var nCurrent: UInt64
    public var decision: UInt8
    public var severity: UInt8
    public var status: UInt8
    /// The source was stale (freshness SLA missed) when this verdict was made.
    public var stale: Bool
    /// Why, in words (may be empty).
    public var reasons: String
    public var createdMilliseconds: Int64

    public init(source: String, feature: String, windowStartMilliseconds: Int64, windowEndMilliseconds: Int64,
                baselineID: UInt64, kind: VerdictKind, test: String, statistic: Double, p: Double, pAdjusted: Double,
                effectName: String, effect: Double, warningThreshold: Double, criticalThreshold: Double,
                nBaseline: UInt64, nCurrent: UInt64, decision: UInt8, severity: UInt8, status: UInt8, stale: Bool,
                reasons: String, createdMilliseconds: Int64) {
        self.source = source
        self.feature = feature
        self.windowStartMilliseconds = windowStartMilliseconds
        self.windowEndMilliseconds = windowEndMilliseconds
        self.baselineID = baselineID
        self.kind = kind
        self.test = test
        self.statistic = statistic
        self.p = p
        self.pAdjusted = pAdjusted
        self.effectName = effectName
        self.effect = effect
        self.warningThreshold = warningThreshold
        self.criticalThreshold = criticalThreshold
        self.nBaseline = nBaseline
        self.nCurrent = nCurrent
        self.decision = decision
        self.severity = severity
        self.status = status
        self.stale = stale
        self.reasons = reasons
        self.createdMilliseconds = createdMilliseconds
    }

    /// Field-wise equality in which NaN equals NaN (so stored rows compare equal to what was recorded).
    public static func == (a: VerdictRow, b: VerdictRow) -> Bool {
        func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
        return a.source == b.source && a.feature == b.feature
            && a.windowStartMilliseconds == b.windowStartMilliseconds
            && a.windowEndMilliseconds == b.windowEndMilliseconds && a.baselineID == b.baselineID
            && a.kind == b.kind && a.test == b.test && same(a.statistic, b.statistic) && same(a.p, b.p)
            && same(a.pAdjusted, b.pAdjusted) && a.effectName == b.effectName && same(a.effect, b.effect)
            && same(a.warningThreshold, b.warningThreshold) && same(a.criticalThreshold, b.criticalThreshold)
            && a.nBaseline == b.nBaseline && a.nCurrent == b.nCurrent && a.decision == b.decision
            && a.severity == b.severity && a.status == b.status && a.stale == b.stale && a.reasons == b.reasons
            && a.createdMilliseconds == b.createdMilliseconds
    }
}

/// Where a history page ended: pass it as `after` to get the next page (keyset paging — no OFFSET, so pages
/// neither skip nor repeat rows while new windows are recorded). Opaque to callers; `encoded` round-trips it
/// through text (e.g. an RPC field).
public struct HistoryCursor: Sendable, Equatable, Hashable {
    let windowStartMilliseconds: Int64
    let featureID: Int64
    let kind: Int64

    init(windowStartMilliseconds: Int64, featureID: Int64, kind: Int64) {
        self.windowStartMilliseconds = windowStartMilliseconds
        self.featureID = featureID
        self.kind = kind
    }

    /// "start.feature.kind" in decimal.
    public var encoded: String { "\(windowStartMilliseconds).\(featureID).\(kind)" }

    /// Parses `encoded`; nil when malformed.
    public init?(encoded: String) {
        let parts = encoded.split(separator: ".", omittingEmptySubsequences: false).map { Int64($0) }
        guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2] else { return nil }
        self.init(windowStartMilliseconds: a, featureID: b, kind: c)
    }
}

/// One page of history, ordered by window start, then feature (in the order features were first recorded),
/// then kind. `next` is nil on the last page.
public struct HistoryPage: Sendable, Equatable {
    public var rows: [VerdictRow]
    public var next: HistoryCursor?

    public init(rows: [VerdictRow], next: HistoryCursor?) {
        self.rows = rows
        self.next = next
    }
}
