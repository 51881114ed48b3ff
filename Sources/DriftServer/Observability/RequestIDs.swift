import DriftWire
import Synchronization

/// Server-assigned request ids: 16 lowercase hex digits, unique within the process (a counter from a random
/// start through a bijective 64-bit mix, so ids do not reveal the request count and two servers' ids differ).
final class RequestIDs: Sendable {
    private let next: Atomic<UInt64>

    init(seed: UInt64? = nil) {
        var generator = SystemRandomNumberGenerator()
        next = Atomic(seed ?? generator.next())
    }

    /// A fresh id.
    func make() -> String {
        var x = next.add(1, ordering: .relaxed).newValue
        // SplitMix64's finalizer: a bijection, so distinct counters give distinct ids.
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        let hex = String(x, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The id a request gets: the client's own (CheckDrift `request_id`) when it is 1…128 bytes without control
    /// characters, else a fresh one.
    func id(clientSupplied: String?) -> String {
        if let c = clientSupplied, !c.isEmpty, c.utf8.count <= 128, !hasControlCharacters(c) { return c }
        return make()
    }
}

/// What code running for one RPC request knows about it: the id that its RESPONSE, its log lines and anything
/// derived from it (alerts) carry, and its method.
struct RequestContext: Sendable {
    /// The request id (server-assigned, or the client's CheckDrift `request_id`); empty for work no request
    /// started (the monitoring timer).
    var requestID: String
    var method: MethodID?

    static let none = RequestContext(requestID: "", method: nil)
}
