/// ServerStats (method 6) request metadata: no fields. proto/driftd.proto `ServerStatsRequest`.
public struct ServerStatsRequest: Sendable, Equatable {
    public init() {}

    public func encode() -> [UInt8] { [] }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> ServerStatsRequest {
        var r = ProtoReader(bytes)
        while let (_, type) = try r.readKey() { try r.skipField(type) }
        return ServerStatsRequest()
    }
}

/// Requests served for one method. proto/driftd.proto `MethodCount`.
///
///     1 method_id  uint32   2 count  uint64
public struct MethodCount: Sendable, Equatable {
    public var methodID: UInt32
    public var count: UInt64

    public init(methodID: UInt32 = 0, count: UInt64 = 0) {
        self.methodID = methodID
        self.count = count
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZero(1, UInt64(methodID))
        w.writeNonZero(2, count)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> MethodCount {
        var r = ProtoReader(bytes)
        var m = MethodCount()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.methodID = try r.readUInt32()
            case (2, .varint): m.count = try r.readVarint()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// ServerStats (method 6) response metadata: counters since the server started. proto/driftd.proto
/// `ServerStatsResponse`. Rates are computed by the caller from two snapshots.
///
///     1 uptime_ms  2 requests_total  3 requests_by_method (repeated MethodCount)  4 errors_total
///     5 budget_misses_total  6 values_processed_total  7 bytes_received_total  8 in_flight  9 connections
///     10 budget_refusals_total  11 approximate_total  12 cancelled_total  13 queued  14 workers
///     15 auth_failures_total   (all uint64 but 3)
public struct ServerStatsResponse: Sendable, Equatable {
    public var uptimeMs: UInt64
    public var requestsTotal: UInt64
    public var requestsByMethod: [MethodCount]
    /// Responses with a status other than OK.
    public var errorsTotal: UInt64
    /// Requests refused or answered late because of their latency budget.
    public var budgetMissesTotal: UInt64
    /// Feature values (rows × features) checked or ingested.
    public var valuesProcessedTotal: UInt64
    /// Bytes read from all connections (frames on the wire).
    public var bytesReceivedTotal: UInt64
    /// Requests being processed now.
    public var inFlight: UInt64
    /// Open connections now.
    public var connections: UInt64
    /// Requests refused at once (DEADLINE_EXCEEDED, never started) because the estimate said they could not
    /// finish in their budget; part of `budgetMissesTotal`.
    public var budgetRefusalsTotal: UInt64
    /// CheckDrift answers computed with the cheaper, flagged method because the exact one did not fit.
    public var approximateTotal: UInt64
    /// Requests answered CANCELLED after a CANCEL.
    public var cancelledTotal: UInt64
    /// Requests waiting for a worker now.
    public var queued: UInt64
    /// Compute threads.
    public var workers: UInt64
    /// HELLOs refused for a missing or wrong token.
    public var authFailuresTotal: UInt64

    public init(uptimeMs: UInt64 = 0, requestsTotal: UInt64 = 0, requestsByMethod: [MethodCount] = [],
                errorsTotal: UInt64 = 0, budgetMissesTotal: UInt64 = 0, valuesProcessedTotal: UInt64 = 0,
                bytesReceivedTotal: UInt64 = 0, inFlight: UInt64 = 0, connections: UInt64 = 0,
                budgetRefusalsTotal: UInt64 = 0, approximateTotal: UInt64 = 0, cancelledTotal: UInt64 = 0,
                queued: UInt64 = 0, workers: UInt64 = 0, authFailuresTotal: UInt64 = 0) {
        self.uptimeMs = uptimeMs
        self.requestsTotal = requestsTotal
        self.requestsByMethod = requestsByMethod
        self.errorsTotal = errorsTotal
        self.budgetMissesTotal = budgetMissesTotal
        self.valuesProcessedTotal = valuesProcessedTotal
        self.bytesReceivedTotal = bytesReceivedTotal
        self.inFlight = inFlight
        self.connections = connections
        self.budgetRefusalsTotal = budgetRefusalsTotal
        self.approximateTotal = approximateTotal
        self.cancelledTotal = cancelledTotal
        self.queued = queued
        self.workers = workers
        self.authFailuresTotal = authFailuresTotal
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZero(1, uptimeMs)
        w.writeNonZero(2, requestsTotal)
        for c in requestsByMethod { w.writeMessageField(3, c.encode()) }
        w.writeNonZero(4, errorsTotal)
        w.writeNonZero(5, budgetMissesTotal)
        w.writeNonZero(6, valuesProcessedTotal)
        w.writeNonZero(7, bytesReceivedTotal)
        w.writeNonZero(8, inFlight)
        w.writeNonZero(9, connections)
        w.writeNonZero(10, budgetRefusalsTotal)
        w.writeNonZero(11, approximateTotal)
        w.writeNonZero(12, cancelledTotal)
        w.writeNonZero(13, queued)
        w.writeNonZero(14, workers)
        w.writeNonZero(15, authFailuresTotal)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> ServerStatsResponse {
        var r = ProtoReader(bytes)
        var m = ServerStatsResponse()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.uptimeMs = try r.readVarint()
            case (2, .varint): m.requestsTotal = try r.readVarint()
            case (3, .lengthDelimited): m.requestsByMethod.append(try r.readMessage(MethodCount.decode))
            case (4, .varint): m.errorsTotal = try r.readVarint()
            case (5, .varint): m.budgetMissesTotal = try r.readVarint()
            case (6, .varint): m.valuesProcessedTotal = try r.readVarint()
            case (7, .varint): m.bytesReceivedTotal = try r.readVarint()
            case (8, .varint): m.inFlight = try r.readVarint()
            case (9, .varint): m.connections = try r.readVarint()
            case (10, .varint): m.budgetRefusalsTotal = try r.readVarint()
            case (11, .varint): m.approximateTotal = try r.readVarint()
            case (12, .varint): m.cancelledTotal = try r.readVarint()
            case (13, .varint): m.queued = try r.readVarint()
            case (14, .varint): m.workers = try r.readVarint()
            case (15, .varint): m.authFailuresTotal = try r.readVarint()
            default: try r.skipField(type)
            }
        }
        return m
    }
}
