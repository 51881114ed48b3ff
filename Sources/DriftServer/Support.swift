import DriftColumnar
import DriftEngine
import DriftKernels
import DriftWire
import Synchronization

/// Atomic counters behind ServerStats.
final class ServerCounters: Sendable {
    let requests = Atomic<UInt64>(0)
    let errors = Atomic<UInt64>(0)
    let budgetMisses = Atomic<UInt64>(0)
    let valuesProcessed = Atomic<UInt64>(0)
    let bytesReceived = Atomic<UInt64>(0)
    let inFlight = Atomic<UInt64>(0)
    let budgetRefusals = Atomic<UInt64>(0)
    let approximateAnswers = Atomic<UInt64>(0)
    let cancelled = Atomic<UInt64>(0)
    let authFailures = Atomic<UInt64>(0)
    /// Requests by method id: known ids in lock-free counters (no lock on the request path), others in a map.
    private let byKnownMethod = AtomicCounter.array(ServerMetrics.methodSlots)
    private let byOtherMethod = Mutex<[UInt32: UInt64]>([:])
    /// Alert delivery attempts by outcome ("delivered", "retryable", "permanent", "given_up").
    let alertAttempts = Mutex<[String: UInt64]>([:])

    func alertAttempt(outcome: String) {
        alertAttempts.withLock { $0[outcome, default: 0] += 1 }
    }

    func requestReceived(methodID: UInt16, bytes: UInt64) {
        requests.add(1, ordering: .relaxed)
        bytesReceived.add(bytes, ordering: .relaxed)
        let slot = ServerMetrics.slot(methodID)
        if slot != 0 { byKnownMethod[slot].add(1) } else { byOtherMethod.withLock { $0[UInt32(methodID), default: 0] += 1 } }
    }

    func snapshot(uptimeMs: UInt64, connections: UInt64, queued: Int, workers: Int) -> ServerStatsResponse {
        var counts = byOtherMethod.withLock { $0 }
        for slot in 1..<byKnownMethod.count where byKnownMethod[slot].load > 0 { counts[UInt32(slot)] = byKnownMethod[slot].load }
        let methods = counts.sorted { $0.key < $1.key }.map { MethodCount(methodID: $0.key, count: $0.value) }
        return ServerStatsResponse(uptimeMs: uptimeMs, requestsTotal: requests.load(ordering: .relaxed),
                                   requestsByMethod: methods, errorsTotal: errors.load(ordering: .relaxed),
                                   budgetMissesTotal: budgetMisses.load(ordering: .relaxed),
                                   valuesProcessedTotal: valuesProcessed.load(ordering: .relaxed),
                                   bytesReceivedTotal: bytesReceived.load(ordering: .relaxed),
                                   inFlight: inFlight.load(ordering: .relaxed), connections: connections,
                                   budgetRefusalsTotal: budgetRefusals.load(ordering: .relaxed),
                                   approximateTotal: approximateAnswers.load(ordering: .relaxed),
                                   cancelledTotal: cancelled.load(ordering: .relaxed), queued: UInt64(max(0, queued)),
                                   workers: UInt64(workers), authFailuresTotal: authFailures.load(ordering: .relaxed))
    }
}

/// CreateSource checks (PROTOCOL.md §13).
enum Validation {
    static func check(_ spec: SourceSpec) throws {
        guard !spec.name.isEmpty, spec.name.utf8.count <= 256 else {
            throw RequestError(.invalidArgument, "source name must be 1…256 bytes", fieldPath: "source.name")
        }
        guard !hasControlCharacters(spec.name) else {
            throw RequestError(.invalidArgument, "source name contains control characters", fieldPath: "source.name")
        }
        guard !spec.features.isEmpty else { throw RequestError(.invalidArgument, "a source needs features", fieldPath: "source.features") }
        var seen = Set<String>()
        for f in spec.features {
            guard !f.name.isEmpty, seen.insert(f.name).inserted else {
                throw RequestError(.invalidArgument, "feature name empty or used twice", fieldPath: f.name)
            }
            guard f.name.utf8.count <= 256, !hasControlCharacters(f.name) else {
                throw RequestError(.invalidArgument, "feature names are 1…256 bytes without control characters",
                                   fieldPath: "source.features")
            }
            guard (1...6).contains(f.type) else { throw RequestError(.invalidArgument, "feature type \(f.type) is not 1…6", fieldPath: f.name) }
            let p = f.policy
            if let s = p.significance, !(s > 0 && s < 1) {
                throw RequestError(.invalidArgument, "significance must be in (0, 1)", fieldPath: f.name)
            }
            for t in [p.psiWarning, p.psiCritical, p.wassersteinWarning, p.wassersteinCritical, p.jensenShannonWarning,
                      p.jensenShannonCritical, p.nullRateWarning, p.nullRateCritical] {
                if let t, !(t >= 0) { throw RequestError(.invalidArgument, "a threshold is negative or NaN", fieldPath: f.name) }
            }
            if let b = p.bins, b < 2 { throw RequestError(.invalidArgument, "bins must be at least 2", fieldPath: f.name) }
        }
    }
}

/// C0 controls, DEL and C1 controls: never part of a name (they break logs, terminals and headers downstream).
func hasControlCharacters(_ s: String) -> Bool {
    s.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
}

/// Block columns → engine baselines and verdicts.
enum FeatureBuilder {
    static func kind(_ f: FeatureSpec) -> FeatureVerdict.Kind {
        f.type == UInt32(ColumnType.categorical.rawValue) ? .categorical : .numeric
    }

    static func policy(_ o: PolicyOverrides) -> DriftPolicy {
        var p = DriftPolicy()
        if let v = o.significance { p.significanceLevel = v }
        if let v = o.psiWarning { p.psiWarning = v }
        if let v = o.psiCritical { p.psiCritical = v }
        if let v = o.wassersteinWarning { p.wassersteinWarning = v }
        if let v = o.wassersteinCritical { p.wassersteinCritical = v }
        if let v = o.jensenShannonWarning { p.jensenShannonWarning = v }
        if let v = o.jensenShannonCritical { p.jensenShannonCritical = v }
        if let v = o.nullRateWarning { p.nullRateWarning = v }
        if let v = o.nullRateCritical { p.nullRateCritical = v }
        return p
    }

    /// Values with nulls (cleared validity bits) as NaN, which the engine treats as null.
    static func float32(_ c: DecodedColumn) -> [Float]? {
        guard var v = c.withFloat32Values({ Array($0) }) else { return nil }
        if let val = c.validity { for i in 0..<v.count where !val.isValid(i) { v[i] = .nan } }
        return v
    }

    static func float64(_ c: DecodedColumn) -> [Double]? {
        var v: [Double]
        switch c.type {
        case .float64: v = c.withFloat64Values { Array($0) } ?? []
        case .int64, .timestampMs: v = c.withInt64Values { $0.map(Double.init) } ?? []
        case .bool: v = c.withBoolValues { $0.map { Double($0) } } ?? []
        default: return nil
        }
        if let val = c.validity { for i in 0..<v.count where !val.isValid(i) { v[i] = .nan } }
        return v
    }

    static func codes(_ c: DecodedColumn) -> [UInt32]? {
        guard var v = c.withCategoricalCodes({ Array($0) }) else { return nil }
        if let val = c.validity { for i in 0..<v.count where !val.isValid(i) { v[i] = UInt32.max } }
        return v
    }

    /// A builder for one upload of `spec`'s baseline (numeric features keep their column type; int64, bool and
    /// timestamps are widened to float64; each feature's sample seed is fixed by its position).
    static func baselineBuilder(_ spec: SourceSpec) throws -> BaselineBuilder {
        let features = spec.features.enumerated().map { i, f in
            let kind: BaselineBuilder.Kind = switch f.type {
            case UInt32(ColumnType.categorical.rawValue): .categorical
            case UInt32(ColumnType.float32.rawValue): .float32
            default: .float64
            }
            return BaselineBuilder.Feature(name: f.name, kind: kind,
                                           bins: f.policy.bins.map(Int.init) ?? QuantileBins.defaultBinCount,
                                           seed: 0x5EED_0000 &+ UInt64(i))
        }
        do { return try BaselineBuilder(features: features) } catch {
            throw RequestError(.invalidArgument, "source \(spec.name): \(error)")
        }
    }

    /// Stages one block (every feature's column present with its type, checked by the caller).
    static func append(_ block: DecodedBlock, of spec: SourceSpec, to builder: inout BaselineBuilder) throws {
        let columns = try engineColumns(block, of: spec)
        do { try builder.append(columns) } catch {
            throw RequestError(.invalidArgument, "block: \(error)")
        }
    }

    /// The block's columns of `spec`'s features, in feature order, as the engine takes them: float32 kept,
    /// int64/bool/timestamps widened to float64, nulls (cleared validity bits) as NaN / `CategoryCounts.nullCode`.
    /// Every feature's column must be present with its type (checked by the caller).
    static func engineColumns(_ block: DecodedBlock, of spec: SourceSpec) throws -> [BaselineBuilder.Column] {
        var columns: [BaselineBuilder.Column] = []
        columns.reserveCapacity(spec.features.count)
        for f in spec.features {
            let c = block.column(named: f.name)!
            if c.type == .categorical, let codes = codes(c) {
                columns.append(.categorical(codes: codes, dictionary: c.dictionary))
            } else if c.type == .float32, let v = float32(c) {
                columns.append(.float32(v))
            } else if let v = float64(c) {
                columns.append(.float64(v))
            } else {
                throw RequestError(.invalidArgument, "column \(f.name) of type \(c.type.name) cannot be read", fieldPath: f.name)
            }
        }
        return columns
    }

    static func compare(_ f: FeatureSpec, _ c: DecodedColumn, against fb: FeatureBaseline,
                        approximate: Bool = false) throws -> FeatureVerdict {
        let pol = policy(f.policy)
        let report: FeatureReport
        if c.type == .categorical, let raw = codes(c) {
            guard case .categorical(let cb) = fb else {
                throw RequestError(.invalidArgument, "the baseline of \(f.name) is not categorical", fieldPath: f.name)
            }
            // Re-code the block's dictionary onto the baseline's; new categories are appended.
            var index: [String: UInt32] = [:]
            for (i, s) in cb.dictionary.enumerated() where index[s] == nil { index[s] = UInt32(i) }
            var size = cb.dictionary.count
            let map: [UInt32] = c.dictionary.map { s in
                if let i = index[s] { return i }
                index[s] = UInt32(size)
                size += 1
                return UInt32(size - 1)
            }
            let codes = raw.map { $0 == UInt32.max || Int($0) >= map.count ? UInt32.max : map[Int($0)] }
            report = FeatureComparison.categorical(name: f.name, baseline: fb, current: codes, dictionarySize: size,
                                                   policy: pol)
        } else if c.type == .float32, let v = float32(c) {
            report = approximate ? FeatureComparison.numericApproximate(name: f.name, baseline: fb, current: v, policy: pol)
                : FeatureComparison.numeric(name: f.name, baseline: fb, current: v, policy: pol)
        } else if let v = float64(c) {
            report = approximate ? FeatureComparison.numericApproximate(name: f.name, baseline: fb, current: v, policy: pol)
                : FeatureComparison.numeric(name: f.name, baseline: fb, current: v, policy: pol)
        } else {
            throw RequestError(.invalidArgument, "column \(f.name) of type \(c.type.name) cannot be read", fieldPath: f.name)
        }
        return verdict(report, kind: kind(f))
    }

    static func verdict(_ r: FeatureReport, kind: FeatureVerdict.Kind) -> FeatureVerdict {
        let s = r.statistics
        let decision: FeatureVerdict.Decision = switch r.verdict.decision {
        case .stable: .stable
        case .drift: .drift
        case .insufficientData: .insufficientData
        }
        let severity: FeatureVerdict.Severity = switch r.verdict.severity {
        case .none: .none
        case .warning: .warning
        case .critical: .critical
        }
        return FeatureVerdict(
            feature: r.name, kind: kind, baselineN: UInt64(max(0, s.baselineCount)), currentN: UInt64(max(0, s.currentCount)),
            baselineNullRate: s.baselineNullRate, currentNullRate: s.currentNullRate, ksD: s.ksStatistic,
            pValue: s.pValue, pValueMethod: s.pValueMethod ?? "", psi: s.psi, jensenShannon: s.jensenShannon,
            wasserstein: s.wasserstein, wassersteinNormed: s.normedWasserstein, chiSquare: s.chiSquare,
            chiSquareDOF: s.chiSquareDegreesOfFreedom.map { UInt64(max(0, $0)) },
            unseenCategories: s.unseenCategories.map { UInt64(max(0, $0)) }, nullRateP: s.nullRateTest?.pValue,
            decision: decision, severity: severity, reasons: r.verdict.reasons, notes: s.notes,
            approximate: s.approximate, ksErrorBound: s.ksErrorBound)
    }
}
