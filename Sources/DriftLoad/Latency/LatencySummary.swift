/// The percentiles a load report shows, in milliseconds (nil when nothing was recorded).
public struct LatencySummary: Sendable, Equatable {
    public var count: UInt64
    public var p50Ms: Double?
    public var p90Ms: Double?
    public var p99Ms: Double?
    public var p999Ms: Double?
    public var maxMs: Double?
    public var meanMs: Double?

    public init(_ h: LatencyHistogram) {
        func ms(_ ns: UInt64?) -> Double? { ns.map { Double($0) / 1e6 } }
        count = h.count
        p50Ms = ms(h.percentile(50))
        p90Ms = ms(h.percentile(90))
        p99Ms = ms(h.percentile(99))
        p999Ms = ms(h.percentile(99.9))
        maxMs = ms(h.maxNanoseconds)
        meanMs = h.meanNanoseconds.map { $0 / 1e6 }
    }
}
