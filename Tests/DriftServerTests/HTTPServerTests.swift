@testable import DriftServer
import DriftTransport
import DriftWire
import Foundation
import Testing

/// driftd's HTTP endpoint end to end over loopback with raw sockets.
@Suite("HTTP endpoint")
struct HTTPServerTests {
    static func fixture() throws -> Fixture { try Fixture { $0.httpPort = 0 } }

    static func port(_ f: Fixture) throws -> UInt16 { try #require(f.server.httpPort) }

    static func expectCommonHeaders(_ r: HTTPTestResponse) {
        #expect(r.header("Content-Length") == "\(r.body.count)")
        #expect(r.header("Cache-Control") == "no-store")
        #expect(r.header("X-Content-Type-Options") == "nosniff")
        #expect(r.header("Content-Type") != nil)
    }

    @Test("/healthz 200 ok, HEAD without a body on the same keep-alive connection, then /readyz")
    func healthAndHead() throws {
        let f = try Self.fixture()
        defer { f.close() }
        let c = try HTTPTestClient(port: try Self.port(f))
        let r = try c.request("GET", "/healthz")
        #expect(r.status == 200)
        #expect(r.text == "ok\n")
        #expect(r.header("Content-Type") == "text/plain; charset=utf-8")
        Self.expectCommonHeaders(r)
        let h = try c.request("HEAD", "/healthz")
        #expect(h.status == 200)
        #expect(h.header("Content-Length") == "3")
        #expect(h.body.isEmpty)
        // Had HEAD sent a body, it would be read as the next status line here.
        let ready = try c.request("GET", "/readyz")
        #expect(ready.status == 200)
        #expect(try c.request("HEAD", "/api/v1/stats").status == 200)
    }

    @Test("/readyz: 200 while accepting work, 503 once draining")
    func readiness() throws {
        let f = try Self.fixture()
        defer { f.close() }
        let c = try HTTPTestClient(port: try Self.port(f))
        #expect(try c.request("GET", "/readyz").status == 200)
        #expect(f.server.isReady)
        f.server.core.draining.store(true, ordering: .releasing)
        let r = try c.request("GET", "/readyz")
        #expect(r.status == 503)
        Self.expectCommonHeaders(r)
        #expect(!f.server.isReady)
        #expect(try c.request("GET", "/healthz").status == 200)  // still up
    }

    @Test("/api/v1/stats is the ServerStats answer as JSON")
    func stats() throws {
        let f = try Self.fixture()
        defer { f.close() }
        // One RPC request so a method count shows up.
        let rpc = try f.client()
        _ = try rpc.call(.serverStats, ServerStatsRequest().encode())
        let c = try HTTPTestClient(port: try Self.port(f))
        let r = try c.request("GET", "/api/v1/stats")
        #expect(r.status == 200)
        #expect(r.header("Content-Type") == "application/json")
        Self.expectCommonHeaders(r)
        let json = try r.json()
        for key in ["uptime_ms", "requests_total", "errors_total", "budget_misses_total", "budget_refusals_total",
                    "approximate_total", "cancelled_total", "auth_failures_total", "values_processed_total",
                    "bytes_received_total", "in_flight", "queued", "connections", "workers"] {
            #expect(json[key] is NSNumber, "\(key)")
        }
        #expect((json["workers"] as? Int) == 2)
        #expect((json["requests_total"] as? Int ?? 0) >= 1)
        #expect((json["connections"] as? Int) == 1)
        let methods = try #require(json["requests_by_method"] as? [[String: Any]])
        #expect(methods.contains { ($0["method"] as? String) == "ServerStats" && ($0["method_id"] as? Int) == 6 })
    }

    @Test("404 JSON for unknown paths (escaped), 405 with Allow, %2F is not a separator")
    func errors() throws {
        let f = try Self.fixture()
        defer { f.close() }
        let c = try HTTPTestClient(port: try Self.port(f))
        let nf = try c.request("GET", "/nope/%22%3Cscript%3E%5C")
        #expect(nf.status == 404)
        #expect(nf.header("Content-Type") == "application/json")
        Self.expectCommonHeaders(nf)
        #expect(!nf.text.contains("<script>"))
        let json = try nf.json()
        #expect(json["error"] as? String == "not found")
        #expect((json["detail"] as? String)?.hasSuffix("/nope/\"<script>\\") == true)
        #expect(try c.request("GET", "/api%2Fv1/stats").status == 404)
        #expect(try c.request("GET", "/api/v1/stats/").status == 404)
    }

    @Test("405: a body-carrying POST and a DELETE get Allow: GET, HEAD; the connection stays usable")
    func methodNotAllowed() throws {
        let f = try Self.fixture()
        defer { f.close() }
        let c = try HTTPTestClient(port: try Self.port(f))
        try c.send("POST /api/v1/stats HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nabcd")
        let r = try c.readResponse()
        #expect(r.status == 405)
        #expect(r.header("Allow") == "GET, HEAD")
        Self.expectCommonHeaders(r)
        #expect(try r.json()["error"] as? String == "method not allowed")
        let d = try c.request("DELETE", "/readyz")
        #expect(d.status == 405)
        #expect(try c.request("GET", "/healthz").status == 200)
    }

    @Test("413, 431, 414 and 400 are answered with Connection: close, then the connection closes")
    func refusals() throws {
        let f = try Self.fixture()
        defer { f.close() }
        let port = try Self.port(f)
        let cases: [(String, Int)] = [
            ("POST /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: \(2 << 20)\r\n\r\n", 413),
            ("GET /healthz HTTP/1.1\r\nHost: a\r\n" + (0..<101).map { "X-\($0): v\r\n" }.joined() + "\r\n", 431),
            ("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414),
            ("BLAH\r\n\r\n", 400),
            ("GET /healthz HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 411),
            ("GET /healthz HTTP/3.0\r\nHost: a\r\n\r\n", 505),
        ]
        for (text, status) in cases {
            let c = try HTTPTestClient(port: port)
            try c.send(text)
            let r = try c.readResponse()
            #expect(r.status == status, "\(text.prefix(40).debugDescription)")
            #expect(r.header("Connection") == "close")
            #expect(try c.isClosedByPeer())
        }
        // The 413 comes before the body is sent; sending part of it afterwards does not hurt.
        let c = try HTTPTestClient(port: port)
        try c.send("POST /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: \(2 << 20)\r\n\r\n")
        #expect(try c.readResponse().status == 413)
        try? c.send([UInt8](repeating: 1, count: 1000))
        #expect(try c.isClosedByPeer())
    }

    @Test("pipelined requests are answered in order; Connection: close and HTTP/1.0 end the connection")
    func pipeliningAndClose() throws {
        let f = try Self.fixture()
        defer { f.close() }
        let port = try Self.port(f)
        let c = try HTTPTestClient(port: port)
        try c.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\nGET /api/v1/stats HTTP/1.1\r\nHost: a\r\n\r\n"
                   + "GET /missing HTTP/1.1\r\nHost: a\r\n\r\nHEAD /readyz HTTP/1.1\r\nHost: a\r\n\r\n"
                   + "GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try c.readResponse().text == "ok\n")
        #expect(try c.readResponse().header("Content-Type") == "application/json")
        #expect(try c.readResponse().status == 404)
        let head = try c.readResponse(head: true)
        #expect(head.status == 200 && head.body.isEmpty)
        let last = try c.readResponse()
        #expect(last.status == 200)
        #expect(last.header("Connection") == "close")
        #expect(try c.isClosedByPeer())  // the request after Connection: close is not answered

        let old = try HTTPTestClient(port: port)
        try old.send("GET /healthz HTTP/1.0\r\n\r\n")
        let r = try old.readResponse()
        #expect(r.status == 200)
        #expect(r.header("Connection") == "close")
        #expect(try old.isClosedByPeer())

        let kept = try HTTPTestClient(port: port)
        try kept.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try kept.readResponse().header("Connection") == "keep-alive")
        try kept.send("GET /healthz HTTP/1.0\r\n\r\n")
        #expect(try kept.readResponse().status == 200)
        #expect(try kept.isClosedByPeer())
    }

    @Test("a slowloris client sending one byte at a time does not hold up another client")
    func slowloris() throws {
        let f = try Self.fixture()
        defer { f.close() }
        let port = try Self.port(f)
        let slow = try HTTPTestClient(port: port)
        let request = Array("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Slow: \(String(repeating: "z", count: 50))\r\n\r\n".utf8)
        let fast = try HTTPTestClient(port: port)
        // Interleave: one byte of the slow request, one whole request of the fast client.
        for (i, byte) in request.enumerated() {
            try slow.send([byte])
            if i % 4 == 0 { #expect(try fast.request("GET", "/healthz").status == 200) }
        }
        #expect(try slow.readResponse().status == 200)
    }

    @Test("50 concurrent keep-alive clients, 10 requests each")
    func concurrentClients() throws {
        let f = try Self.fixture()
        defer { f.close() }
        let port = try Self.port(f)
        let ok = Atomic50()
        DispatchQueue.concurrentPerform(iterations: 50) { i in
            do {
                let c = try HTTPTestClient(port: port)
                for j in 0..<10 {
                    let path = (i + j) % 3 == 0 ? "/api/v1/stats" : (i + j) % 3 == 1 ? "/healthz" : "/readyz"
                    if try c.request("GET", path).status == 200 { ok.add() }
                }
            } catch {
                Issue.record("client \(i): \(error)")
            }
        }
        #expect(ok.value == 500)
    }

    @Test("a partial request past the request timeout gets 408; an idle keep-alive connection is closed")
    func requestTimeout() throws {
        let server = try HTTPServer(configuration: HTTPServerConfiguration(requestTimeoutMilliseconds: 100),
                                    handler: EchoHandler())
        defer { server.stop() }
        let partial = try HTTPTestClient(port: server.port)
        try partial.send("GET /x HTTP/1.1\r\nHo")
        let r = try partial.readResponse()
        #expect(r.status == 408)
        #expect(try partial.isClosedByPeer())
        let idle = try HTTPTestClient(port: server.port)
        let first = try idle.request("GET", "/echo?q=1")
        #expect(first.text == "GET /echo?q=1 [echo] q=1")
        #expect(try idle.isClosedByPeer())
    }

    @Test("the library default has no HTTP listener; stop() closes the HTTP connections")
    func lifecycle() throws {
        let plain = try Fixture()
        #expect(plain.server.httpPort == nil)
        plain.close()
        let f = try Self.fixture()
        let port = try Self.port(f)
        let c = try HTTPTestClient(port: port)
        #expect(try c.request("GET", "/healthz").status == 200)
        f.close()
        #expect(try c.isClosedByPeer())
    }

    @Test("HTTPServer alone: a handler answering inline on the loop thread; a dropped responder answers 500")
    func transportAlone() throws {
        let server = try HTTPServer(handler: EchoHandler())
        defer { server.stop() }
        let c = try HTTPTestClient(port: server.port)
        #expect(try c.request("GET", "/a%2Fb/c?x=%41").text == "GET /a%2Fb/c?x=%41 [a/b,c] x=A")
        let dropped = try c.request("GET", "/drop")
        #expect(dropped.status == 500)
        #expect(try c.request("GET", "/again").status == 200)
    }
}

/// Answers inline with the method, target, decoded segments and query; `/drop` never answers.
struct EchoHandler: HTTPHandler {
    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        if request.pathSegments == ["drop"] { return }
        let query = request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        responder.respond(.text(200, "\(request.method) \(request.target) [\(request.pathSegments.joined(separator: ","))] \(query)"))
    }
}

/// A counter for the concurrent test.
final class Atomic50: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
