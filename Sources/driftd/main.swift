import DriftServer
import Glibc

/// `driftd`: parse options, open the store, serve until SIGTERM/SIGINT, drain, exit.
func say(_ text: String, to fd: Int32 = 1) {
    var line = text + "\n"
    line.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
    say("driftd: \(message)", to: 2)
    exit(2)
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("-h") || arguments.contains("--help") {
    say(DriftdOptions.usage)
    exit(0)
}
let options: DriftdOptions
do { options = try DriftdOptions.parse(arguments) } catch { fail(error.description) }
let log: Logger
do { log = try options.logger() } catch { fail(error.description) }

var token: String? = nil
if !options.tokenFile.isEmpty {
    let text: String
    do { text = try readTextFile(options.tokenFile) } catch { fail("cannot read token file \(options.tokenFile): \(error)") }
    let trimmed = String(text.reversed().drop { $0.isWhitespace }.reversed())
    guard !trimmed.isEmpty else { fail("token file \(options.tokenFile) is empty") }
    var st = stat()
    if stat(options.tokenFile, &st) == 0 && st.st_mode & 0o077 != 0 {
        log.warning("token file is readable by others (chmod 600 it)", ["token_file": .string(options.tokenFile)])
    }
    token = trimmed
}

// The state directory (and its parents) must exist before the store opens.
var path = ""
for part in options.dataDir.split(separator: "/", omittingEmptySubsequences: false) {
    path += (path.isEmpty && part.isEmpty) ? "/" : (path.isEmpty || path == "/" ? "" : "/") + part
    if part.isEmpty || part == "." { continue }
    if mkdir(path, 0o700) != 0 && errno != EEXIST { fail("cannot create \(path): \(String(cString: strerror(errno)))") }
}

// Signals are taken by sigwait on the main thread: block them before any thread starts.
var signals = sigset_t()
sigemptyset(&signals)
sigaddset(&signals, SIGTERM)
sigaddset(&signals, SIGINT)
pthread_sigmask(SIG_BLOCK, &signals, nil)

// Alerting: routes, receivers and their senders; a bad value stops here, naming its key path.
var configuration = options.serverConfiguration(token: token, logger: log)
do {
    if let alerting = try options.alertingOptions() {
        configuration.alerting = alerting.config
        configuration.alertDelivery = alerting.sender
        configuration.alertDeliverySettings = alerting.deliverySettings
    }
} catch {
    fail(error.description)
}

let server: DriftServer
do { server = try DriftServer(configuration: configuration) } catch {
    log.error("cannot start", ["host": .string(options.host), "port": .int(Int64(options.port)),
                               "data_dir": .string(options.dataDir), "error": .string("\(error)")])
    fail("cannot start on \(options.host):\(options.port) with data in \(options.dataDir): \(error)")
}
say("driftd listening on \(options.host):\(server.port) (rpc), "
    + (server.httpPort.map { "\(options.host):\($0) (http), " } ?? "http off, ") + "data in \(options.dataDir), \(options.workers) workers"
    + (token == nil ? "" : ", token required"))

log.log(.info, "driftd started", fields: [
    ("rpc_listen", .string("\(options.host):\(server.port)")),
    ("http_listen", server.httpPort.map { .string("\(options.host):\($0)") } ?? .string("off")),
    ("token_required", .bool(token != nil)),
    ("alert_receivers", .int(Int64(configuration.alerting?.receivers.count ?? 0))),
] + options.summaryFields)

var received: Int32 = 0
sigwait(&signals, &received)
log.info("draining", ["signal": .string(received == SIGTERM ? "SIGTERM" : "SIGINT"),
                      "drain_timeout_ms": .int(Int64(options.drainTimeoutMs))])
let unfinished = server.drain()
log.info("driftd stopped", ["unfinished_requests": .int(Int64(unfinished))])
exit(0)
