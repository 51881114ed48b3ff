import Dispatch
import DriftKernels

/// The result of comparing a whole data set (every shared column) with its baseline.
public struct ComparisonReport: Sendable {
    public var baselineName: String
    public var currentName: String
    public var baselineRows: Int
    public var currentRows: Int
    public var bins: Int
    public var policy: DriftPolicy
    public var features: [FeatureReport]
    /// Columns present on one side only: a schema change, reported as critical drift.
    public var onlyInBaseline: [String]
    public var onlyInCurrent: [String]

    /// Compares every pair, in parallel over `threads` workers; the order of `features` follows `pairs`.
    public init(baselineName: String, currentName: String, baselineRows: Int, currentRows: Int, pairs: [ColumnPair],
                onlyInBaseline: [String] = [], onlyInCurrent: [String] = [],
                bins: Int = QuantileBins.defaultBinCount, policy: DriftPolicy = DriftPolicy(), threads: Int = 2) {
        self.baselineName = baselineName
        self.currentName = currentName
        self.baselineRows = baselineRows
        self.currentRows = currentRows
        self.bins = bins
        self.policy = policy
        self.onlyInBaseline = onlyInBaseline
        self.onlyInCurrent = onlyInCurrent
        let results = _ResultSlots(count: pairs.count)
        let next = _Counter()
        DispatchQueue.concurrentPerform(iterations: Swift.max(1, Swift.min(threads, pairs.count))) { _ in
            while let i = next.take(below: pairs.count) {
                switch pairs[i] {
                case .numeric(let name, let b, let c):
                    results.set(i, FeatureComparison.numeric(name: name, baseline: b, current: c, bins: bins, policy: policy))
                case .categorical(let name, let b, let c, let size):
                    results.set(i, FeatureComparison.categorical(name: name, baseline: b, current: c, dictionarySize: size,
                                                                 policy: policy))
                }
            }
        }
        features = results.values
    }

    /// Features that drifted, plus one per schema change.
    public var driftCount: Int {
        features.filter { $0.verdict.decision == .drift }.count + onlyInBaseline.count + onlyInCurrent.count
    }

    public var hasDrift: Bool { driftCount > 0 }

    public var worstSeverity: Severity {
        if !onlyInBaseline.isEmpty || !onlyInCurrent.isEmpty { return .critical }
        return features.map(\.verdict.severity).max() ?? .none
    }
}

/// Results written by index from worker threads (each index exactly once).
private final class _ResultSlots: @unchecked Sendable {
    private var slots: [FeatureReport?]
    private let lock = _Lock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: FeatureReport) { lock.withLock { slots[i] = r } }
    var values: [FeatureReport] { lock.withLock { slots.map { $0! } } }
}

/// Hands out indices 0, 1, 2, … to workers.
private final class _Counter: @unchecked Sendable {
    private var next = 0
    private let lock = _Lock()
    func take(below limit: Int) -> Int? {
        lock.withLock {
            guard next < limit else { return nil }
            defer { next += 1 }
            return next
        }
    }
}
