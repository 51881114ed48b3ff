import DriftWire
import Synchronization

/// What `/metrics` reports beyond `ServerCounters`: requests by method and status, latency histograms by method,
/// alert deliveries, and the drift gauges of each source's last closed window.
///
/// The request path costs three relaxed atomic adds (a counter of method × status, one histogram bucket, the
/// method's latency sum): no lock. Window closes, ingests and alert deliveries take a small lock each — they are
/// far rarer than requests.
public final class ServerMetrics: Sendable {
    /// Upper bounds of the latency buckets, seconds: 0.5 ms … 10 s.
    static let latencyBounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// Method slots: 0 = an unknown method id, then every `MethodID` by its raw value.
    static let methodSlots = Int(MethodID.allCases.map(\.rawValue).max()!) + 1
    static let statusSlots = 17

    /// How many per-feature series (source × feature) the drift gauges may hold; features beyond it are left out
    /// and counted in `driftd_feature_series_dropped`.
    let maxFeatureSeries: Int

    private let requests = AtomicCounter.array(ServerMetrics.methodSlots * ServerMetrics.statusSlots)
    private let buckets = AtomicCounter.array(ServerMetrics.methodSlots * (ServerMetrics.latencyBounds.count + 1))
    private let latencyNanos = AtomicCounter.array(ServerMetrics.methodSlots)

    /// Alert notifications handed to receivers, by (receiver, outcome).
    private let deliveries = Mutex<[DeliveryKey: UInt64]>([:])
    /// The drift gauges of each source's last decided window.
    private let windows = Mutex<[String: [FeatureGauge]]>([:])
    /// The newest event time seen per source (ms), for the ingest lag.
    private let newestEvents = Mutex<[String: Int64]>([:])

    struct DeliveryKey: Hashable, Sendable {
        var receiver: String
        var outcome: String
    }

    /// One feature's numbers from its source's last closed window.
    struct FeatureGauge: Sendable, Equatable {
        var feature: String
        var psi: Double?
        var ksD: Double?
        var nullRate: Double?
        /// 0 no drift, 1 drift at warning, 2 drift at critical, 3 insufficient data.
        var status: Int
    }

    init(maxFeatureSeries: Int = 2000) {
        self.maxFeatureSeries = max(0, maxFeatureSeries)
    }

    // MARK: Recording

    /// One answered RPC request: its method id (unknown ids share slot 0), status and time from arrival to answer.
    func recordRequest(methodID: UInt16, status: WireStatus, duration: Duration) {
        let m = Self.slot(methodID)
        requests[m * Self.statusSlots + Int(min(status.rawValue, 16))].add(1)
        let c = duration.components
        let nanos = c.seconds < 0 ? 0 : UInt64(c.seconds) * 1_000_000_000 + UInt64(c.attoseconds / 1_000_000_000)
        let seconds = Double(nanos) / 1e9
        var b = 0
        while b < Self.latencyBounds.count && seconds > Self.latencyBounds[b] { b += 1 }
        buckets[m * (Self.latencyBounds.count + 1) + b].add(1)
        latencyNanos[m].add(nanos)
    }

    /// One delivery attempt of an alert notification: `outcome` is "delivered", "retryable" or "permanent"
    /// (the alert delivery worker calls this after each attempt).
    public func recordAlertDelivery(receiver: String, outcome: String) {
        deliveries.withLock { $0[DeliveryKey(receiver: receiver, outcome: outcome), default: 0] += 1 }
    }

    /// The drift gauges of `source`'s newest decided window (replacing the previous window's).
    func recordWindow(source: String, verdicts: [FeatureVerdict]) {
        let gauges = verdicts.map { v in
            FeatureGauge(feature: v.feature, psi: v.psi, ksD: v.ksD, nullRate: v.currentNullRate,
                         status: Self.statusCode(v))
        }
        windows.withLock { $0[source] = gauges }
    }

    /// The newest event time of `source` after an ingest (ms since the epoch).
    func recordNewestEvent(source: String, ms: Int64?) {
        guard let ms else { return }
        newestEvents.withLock { $0[source] = max($0[source] ?? .min, ms) }
    }

    /// A source was deleted or is unknown: its gauges go.
    func forget(source: String) {
        windows.withLock { _ = $0.removeValue(forKey: source) }
        newestEvents.withLock { _ = $0.removeValue(forKey: source) }
    }

    /// `driftd_feature_status`: 0 no drift, 1 drift at warning, 2 drift at critical, 3 insufficient data.
    static func statusCode(_ v: FeatureVerdict) -> Int {
        switch v.decision {
        case .drift: v.severity == .critical ? 2 : 1
        case .insufficientData: 3
        default: 0
        }
    }

    // MARK: Reading (for the exposition and tests)

    struct MethodLatency {
        var counts: [UInt64]
        var sumSeconds: Double
    }

    static func slot(_ methodID: UInt16) -> Int {
        Int(methodID) < methodSlots && MethodID(rawValue: methodID) != nil ? Int(methodID) : 0
    }

    func requestCount(slot: Int, status: Int) -> UInt64 { requests[slot * Self.statusSlots + status].load }

    func latency(slot: Int) -> MethodLatency {
        let n = Self.latencyBounds.count + 1
        return MethodLatency(counts: (0..<n).map { buckets[slot * n + $0].load },
                             sumSeconds: Double(latencyNanos[slot].load) / 1e9)
    }

    func deliveryCounts() -> [(DeliveryKey, UInt64)] {
        deliveries.withLock { $0 }.sorted { ($0.key.receiver, $0.key.outcome) < ($1.key.receiver, $1.key.outcome) }
    }

    func windowGauges() -> [(source: String, features: [FeatureGauge])] {
        windows.withLock { $0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    func newestEventTimes() -> [(source: String, ms: Int64)] {
        newestEvents.withLock { $0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
