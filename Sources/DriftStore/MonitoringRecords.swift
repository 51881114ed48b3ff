/// One freshness check of a source: what was seen, the SLA it was held to, and whether the source is stale.
public struct FreshnessRecord: Sendable, Equatable {
    public var source: String
    public var checkedMilliseconds: Int64
    /// Newest event time seen for the source (nil: no data yet).
    public var newestEventMilliseconds: Int64?
    /// When the last batch arrived (nil: none yet).
    public var lastArrivalMilliseconds: Int64?
    /// SLA: the newest event must be younger than this.
    public var maximumAgeMilliseconds: Int64
    /// SLA: a batch must arrive at least this often.
    public var maximumIntervalMilliseconds: Int64
    public var stale: Bool
    /// Why it is stale, in words (empty when fresh).
    public var reason: String

    public init(source: String, checkedMilliseconds: Int64, newestEventMilliseconds: Int64?,
                lastArrivalMilliseconds: Int64?, maximumAgeMilliseconds: Int64, maximumIntervalMilliseconds: Int64,
                stale: Bool, reason: String) {
        self.source = source
        self.checkedMilliseconds = checkedMilliseconds
        self.newestEventMilliseconds = newestEventMilliseconds
        self.lastArrivalMilliseconds = lastArrivalMilliseconds
        self.maximumAgeMilliseconds = maximumAgeMilliseconds
        self.maximumIntervalMilliseconds = maximumIntervalMilliseconds
        self.stale = stale
        self.reason = reason
    }
}

/// A model's metric (accuracy, AUC, RMSE, …) for one window of a source, as reported (possibly hours late).
public struct ModelMetricRecord: Sendable, Equatable {
    public var source: String
    /// The model and metric, e.g. "churn-v3/auc".
    public var metric: String
    public var windowStartMilliseconds: Int64
    public var value: Double
    public var reportedMilliseconds: Int64
    /// Which way the metric improves, as given with this report (nil: not given, or stored before schema 3).
    public var higherIsBetter: Bool?

    public init(source: String, metric: String, windowStartMilliseconds: Int64, value: Double,
                reportedMilliseconds: Int64, higherIsBetter: Bool? = nil) {
        self.source = source
        self.metric = metric
        self.windowStartMilliseconds = windowStartMilliseconds
        self.value = value
        self.reportedMilliseconds = reportedMilliseconds
        self.higherIsBetter = higherIsBetter
    }

    public static func == (a: ModelMetricRecord, b: ModelMetricRecord) -> Bool {
        a.source == b.source && a.metric == b.metric && a.windowStartMilliseconds == b.windowStartMilliseconds
            && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
            && a.reportedMilliseconds == b.reportedMilliseconds && a.higherIsBetter == b.higherIsBetter
    }
}
