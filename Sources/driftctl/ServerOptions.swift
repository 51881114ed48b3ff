import DriftClient
import DriftWire
import Foundation

/// The global options of the server commands: `--server host:port` (default 127.0.0.1:7400), `--token TOKEN` or
/// `--token-file FILE`, `--budget-ms N`. They may appear anywhere on the command line.
struct ServerOptions {
    var host = "127.0.0.1"
    var port: UInt16 = 7400
    var token: String?
    var budgetMs: UInt32?

    /// Takes the global options out of `args`.
    static func extract(from args: inout Arguments) -> ServerOptions {
        var o = ServerOptions()
        if let server = args.value("--server") { (o.host, o.port) = parseAddress(server) }
        o.token = args.value("--token")
        if let file = args.value("--token-file") {
            guard o.token == nil else { Output.fail("give --token or --token-file, not both") }
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                Output.fail("cannot read the token file \(file)")
            }
            o.token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let budget = args.integer("--budget-ms", in: 1...Int(UInt32.max)) { o.budgetMs = UInt32(budget) }
        return o
    }

    /// `host:port`, `host`, `:port` or `[v6]:port`.
    static func parseAddress(_ text: String) -> (String, UInt16) {
        var host = text, portText: String? = nil
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { Output.fail("--server: bad address '\(text)'") }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":") { portText = String(rest.dropFirst()) } else if !rest.isEmpty {
                Output.fail("--server: bad address '\(text)'")
            }
        } else if let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon {
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
        }
        if host.isEmpty { host = "127.0.0.1" }
        guard let portText else { return (host, 7400) }
        guard let port = UInt16(portText), port > 0 else { Output.fail("--server: '\(portText)' is not a port (1-65535)") }
        return (host, port)
    }

    var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The client configuration for these options.
    func clientConfiguration(name: String = "driftctl") -> DriftClientConfiguration {
        DriftClientConfiguration(host: host, port: port, token: token, clientName: name, defaultBudgetMs: budgetMs ?? 0)
    }

    /// Connects and shakes hands, or exits 2 with a readable message.
    func connect() -> DriftClient {
        do { return try DriftClient(configuration: clientConfiguration()) } catch { fail(error) }
    }

    /// Exits 2 with a readable message for a client error.
    func fail(_ error: DriftClientError) -> Never {
        Output.fail(describe(error) + Self.requestLine(error))
    }

    /// "\ndriftctl: request id 3f9a…" for an error the server answered (the id its log lines carry), else "".
    static func requestLine(_ error: DriftClientError) -> String {
        error.requestID.map { "\ndriftctl: request id \($0) (in the server's log)" } ?? ""
    }

    /// A readable message: connection problems say where, a refused token says so, server errors give the
    /// server's message and status.
    func describe(_ error: DriftClientError) -> String {
        if error.status == .unauthenticated {
            return "the server refused the token (\(error.message)); pass the right one with --token or --token-file"
        }
        switch error.origin {
        case .connection:
            return error.message.contains("driftd at") ? error.message : "driftd at \(endpoint): \(error.message)"
        case .server:
            return "\(error.message) (\(error.status.name))"
        case .local:
            return error.message
        }
    }

    /// Runs `body`, exiting 2 with a readable message when it throws.
    func call<T>(_ body: () throws(DriftClientError) -> T) -> T {
        do { return try body() } catch { fail(error) }
    }

    /// Runs `body`, a call of `method`, exiting 2 with a readable message when it throws; a server that answers
    /// UNIMPLEMENTED is told apart (an older driftd that announces the method but does not serve it yet).
    func call<T>(_ method: MethodID, _ body: () throws(DriftClientError) -> T) -> T {
        do { return try body() } catch { Output.fail(describe(error, method: method) + Self.requestLine(error)) }
    }

    /// `describe(_:)`, with UNIMPLEMENTED from the server for `method` said plainly.
    func describe(_ error: DriftClientError, method: MethodID) -> String {
        // (UNIMPLEMENTED at the handshake is a wire-version mismatch, not a missing method: said as the client says it.)
        if error.status == .unimplemented && error.origin == .server && !error.message.hasPrefix("wire version mismatch") {
            return Self.unimplemented(method, endpoint: endpoint, message: error.message)
        }
        return describe(error)
    }

    /// "this driftd does not serve QueryHistory; upgrade the server (driftd at …: …)".
    static func unimplemented(_ method: MethodID, endpoint: String, message: String) -> String {
        "this driftd does not serve \(method.name); upgrade the server (driftd at \(endpoint) answered UNIMPLEMENTED: \(message))"
    }
}
