import DriftStore
import DriftTransport
import DriftWire

extension ServerCore {
    /// `GET /metrics`: the Prometheus text exposition (format 0.0.4) of the server's counters, latency
    /// histograms, queue and pool gauges, ingest lag, alert deliveries and the drift gauges of each source's last
    /// closed window (at most `maxFeatureSeries` source × feature series).
    func metricsResponse() -> HTTPResponse {
        HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", PrometheusExposition.contentType)],
                     body: Array(metricsText(nowMs: DriftStore.wallClockMilliseconds()).utf8))
    }

    func metricsText(nowMs: Int64) -> String {
        var out = PrometheusExposition()
        let s = stats
        out.family("driftd_uptime_seconds", .gauge, "Seconds since the server started.")
        out.sample("driftd_uptime_seconds", Double(micros(ContinuousClock.now - started)) / 1e6)

        // Requests by method and status, and their latency (arrival to answer).
        var methods: [(Int, String)] = [(0, "unknown")]
        for m in MethodID.allCases { methods.append((ServerMetrics.slot(m.rawValue), m.name)) }
        out.family("driftd_requests_total", .counter, "RPC requests answered, by method and status.")
        for (slot, name) in methods {
            for status in 0..<ServerMetrics.statusSlots {
                let n = metrics.requestCount(slot: slot, status: status)
                guard n > 0 else { continue }
                out.sample("driftd_requests_total", labels: [
                    ("method", name), ("status", WireStatus(rawValue: UInt8(status))?.name ?? "\(status)"),
                ], count: n)
            }
        }
        out.family("driftd_request_duration_seconds", .histogram,
                   "Time from a request's arrival to its answer, by method.")
        for (slot, name) in methods {
            let l = metrics.latency(slot: slot)
            guard l.counts.contains(where: { $0 > 0 }) else { continue }
            out.histogram("driftd_request_duration_seconds", labels: [("method", name)],
                          bounds: ServerMetrics.latencyBounds, counts: l.counts, sum: l.sumSeconds)
        }

        let counters: [(String, String, UInt64)] = [
            ("driftd_values_processed_total", "Feature values compared or ingested (rows x features).",
             s.valuesProcessed.load(ordering: .relaxed)),
            ("driftd_bytes_received_total", "Bytes of REQUEST frames received.", s.bytesReceived.load(ordering: .relaxed)),
            ("driftd_errors_total", "Requests answered with a non-OK status.", s.errors.load(ordering: .relaxed)),
            ("driftd_budget_misses_total", "Requests that missed or would have missed their latency budget.",
             s.budgetMisses.load(ordering: .relaxed)),
            ("driftd_budget_refusals_total", "Requests refused up front because they could not fit their budget.",
             s.budgetRefusals.load(ordering: .relaxed)),
            ("driftd_approximate_total", "CheckDrift answers computed approximately to fit the budget.",
             s.approximateAnswers.load(ordering: .relaxed)),
            ("driftd_cancelled_total", "Requests cancelled by their client.", s.cancelled.load(ordering: .relaxed)),
            ("driftd_auth_failures_total", "Handshakes refused for a wrong token.", s.authFailures.load(ordering: .relaxed)),
        ]
        for (name, help, value) in counters {
            out.family(name, .counter, help)
            out.sample(name, count: value)
        }
        let gauges: [(String, String, UInt64)] = [
            ("driftd_queue_depth", "Requests admitted and waiting for a compute worker.",
             UInt64(max(0, queuedRequests.load(ordering: .relaxed)))),
            ("driftd_in_flight", "Requests admitted and not yet answered (queued or running).",
             s.inFlight.load(ordering: .relaxed)),
            ("driftd_connections", "Open RPC sessions.", UInt64(sessions.withLock { $0.count })),
        ]
        for (name, help, value) in gauges {
            out.family(name, .gauge, help)
            out.sample(name, count: value)
        }

        // Pools: the compute workers and the HTTP handlers.
        var pools: [(String, WorkerPool)] = [("compute", pool)]
        if let http = httpPool.withLock({ $0 }) { pools.append(("http", http)) }
        out.family("driftd_pool_workers", .gauge, "Worker threads of each pool.")
        for (name, p) in pools { out.sample("driftd_pool_workers", labels: [("pool", name)], count: UInt64(p.count)) }
        out.family("driftd_pool_busy_workers", .gauge, "Workers of each pool running a job now.")
        for (name, p) in pools { out.sample("driftd_pool_busy_workers", labels: [("pool", name)], count: UInt64(max(0, p.busy.load(ordering: .relaxed)))) }
        out.family("driftd_pool_busy_seconds_total", .counter,
                   "Seconds the workers of each pool spent running jobs (utilisation = rate / workers).")
        for (name, p) in pools {
            out.sample("driftd_pool_busy_seconds_total", labels: [("pool", name)], Double(p.busyNanoseconds.load(ordering: .relaxed)) / 1e9)
        }

        // Alert deliveries (recorded by the delivery worker).
        out.family("driftd_alert_deliveries_total", .counter,
                   "Alert notification delivery attempts, by receiver and outcome (delivered, retryable, permanent).")
        for (key, n) in metrics.deliveryCounts() {
            out.sample("driftd_alert_deliveries_total", labels: [("receiver", key.receiver), ("outcome", key.outcome)], count: n)
        }

        // Per source and feature, bounded: the cap counts source x feature series (ingest lag uses the same
        // source order and stops with the first source left out).
        var budget = metrics.maxFeatureSeries
        var dropped = 0
        var kept: [(source: String, features: ArraySlice<ServerMetrics.FeatureGauge>)] = []
        for (source, features) in metrics.windowGauges() {
            let n = min(budget, features.count)
            if n > 0 { kept.append((source, features.prefix(n))) }
            dropped += features.count - n
            budget -= n
        }
        out.family("driftd_ingest_lag_seconds", .gauge,
                   "Seconds between now and the newest event time ingested, by source (0 when events are ahead of the clock).")
        var lagSeries = 0
        for (source, ms) in metrics.newestEventTimes() where lagSeries < metrics.maxFeatureSeries {
            out.sample("driftd_ingest_lag_seconds", labels: [("source", source)], Double(max(0, nowMs - ms)) / 1000)
            lagSeries += 1
        }
        let drift: [(String, String, (ServerMetrics.FeatureGauge) -> Double?)] = [
            ("driftd_feature_psi", "PSI of the feature in its source's last closed window.", { $0.psi }),
            ("driftd_feature_ks_d", "Kolmogorov-Smirnov D of the feature in its source's last closed window.", { $0.ksD }),
            ("driftd_feature_null_rate", "Null rate of the feature in its source's last closed window.", { $0.nullRate }),
            ("driftd_feature_status", "Verdict of the feature in its source's last closed window: 0 no drift, "
                + "1 drift (warning), 2 drift (critical), 3 insufficient data.", { Double($0.status) }),
        ]
        for (name, help, value) in drift {
            out.family(name, .gauge, help)
            for (source, features) in kept {
                for f in features {
                    guard let v = value(f), !v.isNaN else { continue }
                    out.sample(name, labels: [("source", source), ("feature", f.feature)], v)
                }
            }
        }
        out.family("driftd_feature_series_dropped", .gauge,
                   "Source x feature series left out of the driftd_feature_* gauges by metrics_max_feature_series.")
        out.sample("driftd_feature_series_dropped", count: UInt64(dropped))
        return out.text
    }
}
