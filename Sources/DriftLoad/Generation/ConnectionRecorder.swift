import DriftClient
import DriftWire
import Synchronization

/// One connection's tally and the time of its last answer, written by the driver and the completions.
final class ConnectionRecorder: Sendable {
    private let state = Mutex<(tally: LoadTally, lastAnswer: ContinuousClock.Instant?)>((LoadTally(), nil))

    func sent(bytes: Int) {
        state.withLock {
            $0.tally.sent += 1
            $0.tally.bytesSent += UInt64(bytes)
        }
    }

    func delayed() { state.withLock { $0.tally.delayedSends += 1 } }

    /// Records one answer: its latency, status and, when OK, the values checked, verdict share and server timings.
    func answered(_ result: Result<CheckDriftResponse, DriftClientError>, latency: Duration, at instant: ContinuousClock.Instant,
                  values: UInt64) {
        state.withLock { s in
            s.tally.latency.record(latency)
            s.lastAnswer = instant
            switch result {
            case .success(let response):
                s.tally.statusCounts["OK", default: 0] += 1
                s.tally.valuesChecked += values
                if response.verdicts.contains(where: { $0.decision == .drift }) { s.tally.driftResponses += 1 }
                if response.approximate { s.tally.approximateResponses += 1 }
                s.tally.queueWaitUsSum += response.timings.queueWaitUs
                s.tally.decodeUsSum += response.timings.decodeUs
                s.tally.computeUsSum += response.timings.computeUs
            case .failure(let error):
                s.tally.statusCounts[error.status.name, default: 0] += 1
                if s.tally.firstError == nil { s.tally.firstError = error.description }
            }
        }
    }

    /// Records one Ingest answer: its latency, status and, when OK, the values folded in.
    func answered(ingest result: Result<IngestResponse, DriftClientError>, latency: Duration,
                  at instant: ContinuousClock.Instant, values: UInt64) {
        state.withLock { s in
            s.tally.latency.record(latency)
            s.lastAnswer = instant
            switch result {
            case .success(let response):
                s.tally.statusCounts[response.duplicate ? "OK duplicate" : "OK", default: 0] += 1
                s.tally.valuesChecked += values
                if response.windowsClosed.contains(where: { $0.verdicts.contains { $0.decision == .drift } }) {
                    s.tally.driftResponses += 1
                }
            case .failure(let error):
                s.tally.statusCounts[error.status.name, default: 0] += 1
                if s.tally.firstError == nil { s.tally.firstError = error.description }
            }
        }
    }

    var snapshot: (LoadTally, ContinuousClock.Instant?) { state.withLock { ($0.tally, $0.lastAnswer) } }
}
