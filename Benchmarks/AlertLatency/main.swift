import DriftClient
import DriftColumnar
import DriftServer
import DriftTestReceivers
import DriftTestSupport
import DriftWire
import Foundation

/// `alert-bench`: the time from the verdict that fires an alert to the webhook receiving it.
///
/// Each repetition starts a driftd (in process, configured exactly as the executable would be from these flags
/// and an alerting config), creates a source of 14 float64 features with a baseline, ingests two drifting hourly
/// windows, then the Ingest whose rows close them — that response carries the drifting verdicts. The alerting
/// config routes everything to one webhook receiver (a loopback `RecordingHTTPServer`, answering 200) grouped
/// by source, with the `group_wait` under test; delivery goes through the real `CurlAlertSender`.
/// Measured: webhook request fully received − Ingest response received (and − Ingest request sent).
let usage = """
    USAGE: alert-bench [--group-wait 30s,0s] [--reps 3] [--monitor-interval-ms 1000] [--group-interval 5m]
    One JSON line per repetition, then median and max per group_wait. Release build: swift build -c release.
    """

var groupWaits = ["30s", "0s"]
var reps = 3
var monitorIntervalMs = 1000
var groupInterval = "5m"
var argv = Array(CommandLine.arguments.dropFirst())
while !argv.isEmpty {
    let flag = argv.removeFirst()
    guard let value = argv.first else { FileHandle.standardError.write(Data((usage + "\n").utf8)); exit(2) }
    argv.removeFirst()
    switch flag {
    case "--group-wait": groupWaits = value.split(separator: ",").map(String.init)
    case "--reps": reps = Int(value) ?? 3
    case "--monitor-interval-ms": monitorIntervalMs = Int(value) ?? 1000
    case "--group-interval": groupInterval = value
    default: FileHandle.standardError.write(Data((usage + "\n").utf8)); exit(2)
    }
}

let featureNames = (0..<14).map { String(format: "f%02d", $0) }
let t0: Int64 = 1_796_083_200_000
let hour: Int64 = 3_600_000

/// A block of `rows` N(shift, 1) values per feature (`TestData.normal`: SplitMix64 + Box–Muller, seeded).
func block(rows: Int, seed: UInt64, shift: Double) throws -> EncodedBlock {
    var e = ColumnBlockEncoder(rowCount: rows)
    for (i, name) in featureNames.enumerated() {
        try e.addFloat64(name, TestData.normal(seed: seed &* 1_000 &+ UInt64(i), count: rows, mean: shift))
    }
    return try EncodedBlock(e)
}

func ms(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) * 1000 + Double(c.attoseconds) / 1e15
}

struct Sample { var groupWait: String; var fromResponseMs: Double; var fromRequestMs: Double }

@MainActor
func runOnce(groupWait: String, rep: Int) throws -> Sample {
    let receiver = try RecordingHTTPServer()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("alert-bench-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let alerting = """
        {"route": {"receiver": "team", "group_by": ["source"], "group_wait": "\(groupWait)",
                   "group_interval": "\(groupInterval)"},
         "receivers": [{"name": "team", "webhook_configs": [{"url": "\(receiver.baseURL)/hook"}]}]}
        """
    try alerting.write(toFile: dir + "/alerts.json", atomically: true, encoding: .utf8)
    let options = try DriftdOptions.parse(["--port", "0", "--http-port", "off", "--data-dir", dir, "--workers", "2",
                                           "--monitor-interval-ms", String(monitorIntervalMs),
                                           "--alerts-config", dir + "/alerts.json"])
    var configuration = options.serverConfiguration(token: nil)
    let a = try options.alertingOptions()!
    configuration.alerting = a.config
    configuration.alertDelivery = a.sender
    configuration.alertDeliverySettings = a.deliverySettings
    let server = try DriftServer(configuration: configuration)
    defer { server.stop() }
    let client = try DriftClient(configuration: DriftClientConfiguration(port: server.port))
    defer { client.close() }
    let spec = SourceSpec(name: "bench", features: featureNames.map { FeatureSpec(name: $0, type: 2) },
                          monitoring: MonitoringSpec(graceMs: 0))
    _ = try client.createSource(spec)
    _ = try client.putBaseline(source: "bench", blocks: [try block(rows: 4000, seed: 1, shift: 0)])
    for w in Int64(0)..<2 {
        _ = try client.ingest(source: "bench", block: try block(rows: 2000, seed: 100 + UInt64(w), shift: 1.5),
                              blockTimestampMs: t0 + w * hour)
    }
    let closing = try block(rows: 2000, seed: 102, shift: 0)
    let sent = ContinuousClock.now
    let response = try client.ingest(source: "bench", block: closing, blockTimestampMs: t0 + 2 * hour)
    let answered = ContinuousClock.now
    guard response.windowsClosed.contains(where: { $0.verdicts.contains { $0.decision == .drift } }) else {
        throw NSError(domain: "alert-bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "the closing ingest decided no drift"])
    }
    guard receiver.waitForRequests(1, timeoutSeconds: 600), let first = receiver.requests.first else {
        throw NSError(domain: "alert-bench", code: 2, userInfo: [NSLocalizedDescriptionKey: "no webhook within 600 s"])
    }
    let s = Sample(groupWait: groupWait, fromResponseMs: ms(first.receivedAt - answered), fromRequestMs: ms(first.receivedAt - sent))
    print(#"{"group_wait":"\#(groupWait)","rep":\#(rep),"webhook_after_response_ms":\#(String(format: "%.1f", s.fromResponseMs)),"webhook_after_request_ms":\#(String(format: "%.1f", s.fromRequestMs)),"monitor_interval_ms":\#(monitorIntervalMs)}"#)
    return s
}

var samples: [Sample] = []
for gw in groupWaits {
    for rep in 1...max(1, reps) {
        do { samples.append(try runOnce(groupWait: gw, rep: rep)) } catch {
            FileHandle.standardError.write(Data("alert-bench: \(error)\n".utf8))
            exit(1)
        }
    }
}
func median(_ x: [Double]) -> Double {
    let s = x.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
print("\n| group_wait | reps | median (ms) | max (ms) | median from request sent (ms) |")
print("|---|---:|---:|---:|---:|")
for gw in groupWaits {
    let s = samples.filter { $0.groupWait == gw }
    print("| \(gw) | \(s.count) | \(String(format: "%.1f", median(s.map(\.fromResponseMs)))) | "
          + "\(String(format: "%.1f", s.map(\.fromResponseMs).max() ?? 0)) | \(String(format: "%.1f", median(s.map(\.fromRequestMs)))) |")
}
