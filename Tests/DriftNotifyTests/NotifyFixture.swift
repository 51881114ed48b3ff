import DriftEngine
import DriftNotify
import Foundation

/// Alerts, notifications and configurations shared by the DriftNotify tests.
enum NotifyFixture {
    static let hostile = "<script>alert(1)</script>"
    static let createdMs: Int64 = 1_790_000_400_000

    static func alert(source: String = "payments", feature: String, kind: String = "drift",
                      severity: String = "critical", resolved: Bool = false) -> Alert {
        Alert(labels: ["source": source, "feature": feature, "kind": kind, "severity": severity],
              annotations: ["summary": "\(source)/\(feature): drift", "state": "drifting", "test": "ks",
                            "statistic": "0.31", "p_value": "1e-05", "effect": "cohens_d", "effect_value": "0.4"],
              startsAtMs: 1_790_000_000_000, endsAtMs: resolved ? 1_790_000_360_000 : nil)
    }

    static func notification(firing: [Alert], resolved: [Alert] = [], receiver: String = "team") -> AlertNotification {
        AlertNotification(receiver: receiver, groupKey: "{}:{source=\"payments\"}", groupLabels: ["source": "payments"],
                          firing: firing, resolved: resolved, silenced: [], inhibited: [],
                          dedupKey: "0123456789abcdef", createdMs: createdMs, sequence: 1)
    }

    /// A configuration tree from JSON text (the shape the server's reader produces).
    static func value(json: String) throws -> AlertConfigValue {
        convert(try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]))
    }

    /// A config whose root route sends everything to the receivers given as JSON objects (the first one's name
    /// is the root receiver).
    static func config(receivers json: String) throws -> AlertConfig {
        let receivers = try value(json: json)
        guard case .array(let items) = receivers, case .object(let first)? = items.first,
              case .string(let name)? = first["name"] else { throw FixtureError() }
        return try AlertConfig.parse(.object(["route": .object(["receiver": .string(name)]), "receivers": receivers]))
    }

    static func sender(receivers json: String, timeoutMs: Int = 5_000,
                       environment: [String: String] = [:]) throws -> CurlAlertSender {
        try CurlAlertSender(config: try config(receivers: json), timeoutMs: timeoutMs,
                            environment: { environment[$0] })
    }

    struct FixtureError: Error {}

    private static func convert(_ any: Any) -> AlertConfigValue {
        switch any {
        case let d as [String: Any]: return .object(d.mapValues(convert))
        case let a as [Any]: return .array(a.map(convert))
        case let s as String: return .string(s)
        case let n as NSNumber:
            if String(cString: n.objCType) == "c" { return .bool(n.boolValue) }  // JSON true/false
            return .number(n.doubleValue)
        default: return .null
        }
    }

    /// A fresh path under the temporary directory.
    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "driftnotify-\(getpid())-\(UInt64.random(in: 0...UInt64.max))-" + name
    }

    /// The decoded parts of a multipart message: [(content type, decoded body)].
    static func mimeParts(_ message: String) -> [(type: String, body: String)] {
        guard let range = message.range(of: "boundary=\""),
              let end = message[range.upperBound...].firstIndex(of: "\"") else { return [] }
        let boundary = "--" + message[range.upperBound..<end]
        var parts: [(String, String)] = []
        for chunk in message.components(separatedBy: boundary + "\r\n").dropFirst() {
            let piece = chunk.components(separatedBy: boundary + "--")[0]
            guard let split = piece.range(of: "\r\n\r\n") else { continue }
            let headers = String(piece[..<split.lowerBound])
            let body = piece[split.upperBound...].replacingOccurrences(of: "\r\n", with: "")
            let type = headers.components(separatedBy: "\r\n").first { $0.hasPrefix("Content-Type:") } ?? ""
            parts.append((type, Data(base64Encoded: body).map { String(decoding: $0, as: UTF8.self) } ?? "<bad base64>"))
        }
        return parts
    }

    /// The header lines of a message (before the first blank line), unfolded.
    static func headers(_ message: String) -> [String] {
        let head = message.components(separatedBy: "\r\n\r\n")[0]
        var out: [String] = []
        for line in head.components(separatedBy: "\r\n") {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), !out.isEmpty { out[out.count - 1] += line } else { out.append(line) }
        }
        return out
    }
}
