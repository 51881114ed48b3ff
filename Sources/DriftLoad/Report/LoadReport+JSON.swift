extension LoadReport {
    /// One JSON object: the phase's settings, throughput, latency percentiles (ms), statuses, budget misses,
    /// mean server timings (µs) and the drift share.
    public var json: JSONValue {
        let l = tally.latency.summary
        let statuses = tally.statusCounts.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.int(Int64($0.value))) }
        return .object([
            ("phase", .string(phase)),
            ("mode", .string(mode.rawValue)),
            ("target_rate", .optional(targetRate)),
            ("connections", .int(Int64(connections))),
            ("in_flight", .int(Int64(inFlight))),
            ("rows", .int(Int64(rowsPerRequest))),
            ("features", .int(Int64(featuresPerRequest))),
            ("requests", .int(Int64(tally.completed))),
            ("sent", .int(Int64(tally.sent))),
            ("ok", .int(Int64(tally.ok))),
            ("errors", .int(Int64(errors))),
            ("duration_s", .number(durationSeconds)),
            ("requests_per_s", .number(requestsPerSecond)),
            ("values_per_s", .number(valuesPerSecond)),
            ("mb_per_s", .number(megabytesPerSecond)),
            ("bytes_sent", .uint(tally.bytesSent)),
            ("latency_ms", .object([
                ("count", .uint(l.count)),
                ("p50", .optional(l.p50Ms)), ("p90", .optional(l.p90Ms)), ("p99", .optional(l.p99Ms)),
                ("p99_9", .optional(l.p999Ms)), ("max", .optional(l.maxMs)), ("mean", .optional(l.meanMs)),
            ])),
            ("status", .object(statuses)),
            ("first_error", .optional(tally.firstError)),
            ("budget_misses", .object([
                ("client_deadline_exceeded", .int(Int64(clientDeadlineExceeded))),
                ("server", .optional(serverBudgetMisses)),
            ])),
            ("delayed_sends", .int(Int64(tally.delayedSends))),
            ("server_timings_us", .object([
                ("queue_wait", .optional(meanQueueWaitUs)), ("decode", .optional(meanDecodeUs)),
                ("compute", .optional(meanComputeUs)),
            ])),
            ("drift_share", .optional(driftShare)),
            ("approximate_share", .optional(approximateShare)),
        ])
    }
}
