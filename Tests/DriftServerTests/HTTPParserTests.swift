import DriftTransport
import Testing

/// The pure HTTP/1.1 request parser: splits, limits, malformed input, pipelining, keep-alive.
@Suite("HTTP request parser")
struct HTTPParserTests {
    /// Parses `bytes` fed in the given chunk sizes; returns the requests, then the error if one ended the stream.
    static func parse(_ bytes: [UInt8], chunks: [Int]? = nil, limits: HTTPLimits = .default)
        -> (requests: [HTTPRequest], error: HTTPParseError?) {
        var parser = HTTPRequestParser(limits: limits)
        var out: [HTTPRequest] = []
        var offset = 0
        var sizes = chunks ?? [bytes.count]
        if sizes.isEmpty { sizes = [bytes.count] }
        var k = 0
        while offset < bytes.count {
            let n = min(max(1, sizes[k % sizes.count]), bytes.count - offset)
            k += 1
            parser.append(Array(bytes[offset..<offset + n]))
            offset += n
            do {
                while let r = try parser.next() { out.append(r) }
            } catch {
                return (out, error)
            }
        }
        return (out, nil)
    }

    static func parse(_ text: String, limits: HTTPLimits = .default) -> (requests: [HTTPRequest], error: HTTPParseError?) {
        parse(Array(text.utf8), limits: limits)
    }

    static func status(_ text: String, limits: HTTPLimits = .default) -> Int? { parse(text, limits: limits).error?.status }

    static let pipelined =
        "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"
        + "\r\n"  // an empty line between requests is ignored
        + "POST /api/v1/x%2Fy/z?a=1&b=%20c+d&flag HTTP/1.1\r\nhost: a\r\nContent-Length: 11\r\nX-Empty:\r\n"
        + "X-Spaces:   v a l  \t\r\n\r\nhello world"
        + "HEAD /readyz HTTP/1.1\r\nHOST: a\r\nConnection: close\r\n\r\n"

    @Test("a request line, headers (case-insensitive names) and a Content-Length body")
    func basic() throws {
        let (requests, error) = Self.parse(Self.pipelined)
        #expect(error == nil)
        try #require(requests.count == 3)
        let r = requests[1]
        #expect(r.method == "POST")
        #expect(r.target == "/api/v1/x%2Fy/z?a=1&b=%20c+d&flag")
        #expect(r.path == "/api/v1/x%2Fy/z")
        #expect(r.pathSegments == ["api", "v1", "x/y", "z"])
        #expect(r.query == [HTTPQueryItem("a", "1"), HTTPQueryItem("b", " c d"), HTTPQueryItem("flag", "")])
        #expect(r.queryValue("b") == " c d")
        #expect(r.header("HOST") == "a")
        #expect(r.header("content-length") == "11")
        #expect(r.header("x-empty") == "")
        #expect(r.header("X-SPACES") == "v a l")
        #expect(r.body == Array("hello world".utf8))
        #expect(r.keepAlive)
        #expect(requests[0].pathSegments == ["healthz"])
        #expect(requests[0].body.isEmpty)
        #expect(requests[2].method == "HEAD")
        #expect(!requests[2].keepAlive)
    }

    @Test("every byte at a time and random splits parse the same as one chunk")
    func splits() {
        let bytes = Array(Self.pipelined.utf8)
        let whole = Self.parse(bytes)
        #expect(whole.requests.count == 3)
        #expect(Self.parse(bytes, chunks: [1]).requests == whole.requests)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let chunks = (0..<8).map { _ in Int.random(in: 1...40, using: &rng) }
            let split = Self.parse(bytes, chunks: chunks)
            #expect(split.requests == whole.requests, "chunks \(chunks)")
            #expect(split.error == nil)
        }
    }

    @Test("%2F stays inside its segment; / alone has no segments; empty segments kept")
    func pathSegments() throws {
        func segments(_ target: String) -> [String]? {
            Self.parse("GET \(target) HTTP/1.1\r\nHost: a\r\n\r\n").requests.first?.pathSegments
        }
        #expect(segments("/") == [])
        #expect(segments("/a%2Fb") == ["a/b"])
        #expect(segments("/a/b") == ["a", "b"])
        #expect(segments("/a%2fb") == ["a/b"])
        #expect(segments("/a//b/") == ["a", "", "b", ""])
        #expect(segments("/caf%C3%A9?x=1") == ["café"])
        #expect(segments("/%25") == ["%"])
        #expect(Self.status("GET /a%zz HTTP/1.1\r\nHost: a\r\n\r\n") == 400)
        #expect(Self.status("GET /a%2 HTTP/1.1\r\nHost: a\r\n\r\n") == 400)
        #expect(Self.status("GET /%FF HTTP/1.1\r\nHost: a\r\n\r\n") == 400)  // not UTF-8
    }

    @Test("keep-alive: HTTP/1.1 by default, Connection: close ends it; HTTP/1.0 closes unless keep-alive")
    func keepAlive() {
        func keep(_ head: String) -> Bool? { Self.parse(head + "\r\n\r\n").requests.first?.keepAlive }
        #expect(keep("GET / HTTP/1.1\r\nHost: a") == true)
        #expect(keep("GET / HTTP/1.1\r\nHost: a\r\nConnection: close") == false)
        #expect(keep("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, CLOSE") == false)
        #expect(keep("GET / HTTP/1.0") == false)
        #expect(keep("GET / HTTP/1.0\r\nConnection: Keep-Alive") == true)
        #expect(keep("GET / HTTP/1.0\r\nConnection: keep-alive, close") == false)
        #expect(Self.parse("GET / HTTP/1.0\r\n\r\n").requests.first?.minorVersion == 0)
    }

    @Test("limits: request line 8 KiB → 414, headers 32 KiB or 100 fields → 431, body 1 MiB → 413")
    func limits() {
        let host = "\r\nHost: a\r\n\r\n"
        // The request line is exactly at the limit: accepted.
        let fits = "GET /" + String(repeating: "a", count: 8192 - "GET / HTTP/1.1".count) + " HTTP/1.1"
        #expect(fits.utf8.count == 8192)
        #expect(Self.parse(fits + host).requests.count == 1)
        let over = "GET /" + String(repeating: "a", count: 8193 - "GET / HTTP/1.1".count) + " HTTP/1.1"
        #expect(Self.status(over + host) == 414)
        // Refused before the line ends: no CRLF yet, already too long.
        #expect(Self.parse(Array(("GET /" + String(repeating: "a", count: 9000)).utf8)).error?.status == 414)

        let field = "X-Pad: " + String(repeating: "p", count: 1000) + "\r\n"
        let many = String(repeating: field, count: 33)  // > 32 KiB of fields
        #expect(Self.status("GET / HTTP/1.1\r\nHost: a\r\n" + many + "\r\n") == 431)
        // Refused before the header section ends.
        #expect(Self.parse(Array(("GET / HTTP/1.1\r\nHost: a\r\n" + many).utf8)).error?.status == 431)
        let small = (0..<99).map { "X-\($0): v\r\n" }.joined()
        #expect(Self.parse("GET / HTTP/1.1\r\nHost: a\r\n" + small + "\r\n").requests.count == 1)  // 100 fields
        #expect(Self.status("GET / HTTP/1.1\r\nHost: a\r\nX-100: v\r\n" + small + "\r\n") == 431)  // 101

        // 1 MiB body: accepted; one byte more: 413 at once, before any of the body arrives.
        let big = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(1 << 20)\r\n\r\n"
        let ok = Self.parse(Array(big.utf8) + [UInt8](repeating: 7, count: 1 << 20))
        #expect(ok.requests.first?.body.count == 1 << 20)
        #expect(Self.status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \((1 << 20) + 1)\r\n\r\n") == 413)
        #expect(Self.status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999\r\n\r\n") == 413)
        // Configurable.
        let tight = HTTPLimits(maxRequestLine: 64, maxHeaderBytes: 128, maxHeaderFields: 3, maxBody: 10)
        #expect(Self.status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", limits: tight) == 413)
        #expect(Self.status("GET /" + String(repeating: "a", count: 60) + " HTTP/1.1\r\nHost: a\r\n\r\n", limits: tight) == 414)
        #expect(Self.status("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: tight) == 431)
    }

    @Test("malformed requests are 400 (505 for other versions, 411 chunked, 501 other codings)")
    func malformed() {
        let cases: [(String, Int)] = [
            ("GET /\r\n\r\n", 400),                                      // no version
            ("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),                 // two spaces
            ("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400),                 // trailing space
            ("GET / http/1.1\r\nHost: a\r\n\r\n", 400),
            ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
            ("GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505),
            ("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),                  // not a token
            ("GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),          // absolute-form
            ("GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            ("GET /a#f HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\n\r\n", 400),                             // no Host
            ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n  folded\r\n\r\n", 400),  // obs-fold
            ("GET / HTTP/1.1\r\nHost: a\r\nX-A : 1\r\n\r\n", 400),       // space before the colon
            ("GET / HTTP/1.1\r\nHost: a\r\nno colon\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\u{7}2\r\n\r\n", 400),  // control character
            ("GET / HTTP/1.1\r\nHost: a\nX-A: 1\r\n\r\n", 400),          // bare LF in a field line
            ("GET / HTTP/1.1\rHost: a\r\n\r\n", 400),                    // bare CR
            ("GET / HTTP/1.1\n\n", 400),                                 // bare LF line ends
            ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 411),
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400),
        ]
        for (text, status) in cases {
            #expect(Self.status(text) == status, "\(text.debugDescription)")
        }
        // Repeated identical Content-Lengths are one length.
        let same = Self.parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi")
        #expect(same.requests.first?.body == Array("hi".utf8))
        // HTTP/1.0 needs no Host.
        #expect(Self.parse("GET / HTTP/1.0\r\n\r\n").requests.count == 1)
    }

    @Test("after an error the parser stays failed; requests before it were returned in order")
    func staysFailed() {
        var parser = HTTPRequestParser()
        parser.append(Array("GET /a HTTP/1.1\r\nHost: a\r\n\r\nBAD\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect((try? parser.next())??.pathSegments == ["a"])
        #expect(throws: HTTPParseError.self) { try parser.next() }
        #expect(throws: HTTPParseError.self) { try parser.next() }
    }

    @Test("incomplete input waits: a partial head or body yields nil, not an error")
    func incomplete() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab".utf8))
        #expect(try parser.next() == nil)
        #expect(!parser.isIdle)
        parser.append(Array("cde".utf8))
        #expect(try parser.next()?.body == Array("abcde".utf8))
        #expect(parser.isIdle)
        #expect(try parser.next() == nil)
    }

    @Test("responses: Content-Length always, Connection: close when closing, HEAD without a body, no header injection")
    func responses() {
        let r = HTTPResponse.text(200, "ok\n", headers: [HTTPHeader("X-Evil", "a\r\nSet-Cookie: x")])
        let text = String(decoding: r.serialized(close: false), as: UTF8.self)
        #expect(text == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nX-Evil: a Set-Cookie: x\r\n"
                + "Content-Length: 3\r\n\r\nok\n")
        #expect(!text.contains("\r\nSet-Cookie"))
        #expect(text.hasSuffix("Content-Length: 3\r\n\r\nok\n"))
        let head = String(decoding: r.serialized(head: true, close: true), as: UTF8.self)
        #expect(head.hasSuffix("Content-Length: 3\r\nConnection: close\r\n\r\n"))
        let old = String(decoding: r.serialized(close: false, minorVersion: 0), as: UTF8.self)
        #expect(old.contains("Connection: keep-alive\r\n"))
    }
}
