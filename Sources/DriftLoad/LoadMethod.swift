/// The RPC a load test sends.
public enum LoadMethod: String, Sendable, Equatable, CaseIterable {
    /// CheckDrift: one block against the baseline, verdicts in the answer.
    case checkDrift = "check"
    /// Ingest: blocks folded into the source's hourly windows, each with its own idempotency key; the answer
    /// comes after the group commit that made it durable.
    case ingest
}
