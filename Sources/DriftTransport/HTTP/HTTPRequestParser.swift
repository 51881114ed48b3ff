/// An incremental HTTP/1.1 request parser: pure (no I/O), fed any split of the byte stream, yields requests in
/// order (pipelining), and refuses before keeping more than the limits allow.
///
///     var parser = HTTPRequestParser(limits: .default)
///     parser.append(bytes)
///     while let request = try parser.next() { … }   // nil: need more bytes; an error: answer it and close
///
/// Accepted (RFC 9112): an origin-form target; `HTTP/1.0` and `HTTP/1.1`; empty lines before a request line
/// (ignored); `Content-Length` bodies (repeated identical values allowed). Refused, with the status in the error:
/// obs-fold, whitespace before a field's colon, bare CR or LF, control characters in a value, a missing or repeated
/// `Host` in HTTP/1.1, conflicting Content-Lengths, `Transfer-Encoding` with `Content-Length` (400); a chunked body
/// (411: send Content-Length); other transfer codings (501); other versions (505); a request line over
/// `maxRequestLine` (414), a header section over `maxHeaderBytes` or `maxHeaderFields` (431), a body over `maxBody`
/// (413). After an error the parser stays failed: the connection must close.
public struct HTTPRequestParser: Sendable {
    public let limits: HTTPLimits
    private var buffer: [UInt8] = []
    /// Bytes of `buffer` already consumed.
    private var start = 0
    /// Where the search for the end of the current head resumes (no "\r\n\r\n" starts before it).
    private var scanned = 0
    /// A head waiting for its body.
    private var pending: HTTPRequest?
    private var bodyLength = 0
    private var failure: HTTPParseError?

    private static let cr: UInt8 = 13, lf: UInt8 = 10, sp: UInt8 = 32, tab: UInt8 = 9

    public init(limits: HTTPLimits = .default) {
        self.limits = limits
    }

    /// Bytes received and not yet part of a returned request.
    public var bufferedByteCount: Int { buffer.count - start }

    /// True when nothing of a next request has arrived (no partial request buffered).
    public var isIdle: Bool { pending == nil && bufferedByteCount == 0 }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// The next complete request, nil when more bytes are needed.
    public mutating func next() throws(HTTPParseError) -> HTTPRequest? {
        if let failure { throw failure }
        do {
            return try parseNext()
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func compact() {
        if start > 0 && (start == buffer.count || start >= 4096 && start >= buffer.count / 2) {
            buffer.removeFirst(start)
            scanned = max(0, scanned - start)
            start = 0
        }
    }

    private mutating func parseNext() throws(HTTPParseError) -> HTTPRequest? {
        if pending == nil {
            guard let request = try parseHead() else { return nil }
            pending = request
        }
        guard buffer.count - start >= bodyLength else { return nil }
        var request = pending!
        pending = nil
        if bodyLength > 0 {
            request.body = Array(buffer[start..<start + bodyLength])
            start += bodyLength
        }
        bodyLength = 0
        scanned = start
        return request
    }

    /// Parses a complete head (request line and header section) and consumes it; nil when incomplete.
    private mutating func parseHead() throws(HTTPParseError) -> HTTPRequest? {
        // Empty lines before the request line are ignored (RFC 9112 §2.2), bounded like a request line.
        var skipped = 0
        while buffer.count - start >= 2 && buffer[start] == Self.cr && buffer[start + 1] == Self.lf {
            start += 2
            skipped += 2
            if skipped > limits.maxRequestLine { throw HTTPParseError(414, "request line too long") }
        }
        scanned = max(scanned, start)
        guard let lineEnd = firstCRLF(from: start) else {
            if buffer.count - start > limits.maxRequestLine { throw HTTPParseError(414, "request line too long") }
            if buffer[start...].contains(Self.lf) { throw HTTPParseError(400, "bare LF in the request line") }
            return nil
        }
        if lineEnd - start > limits.maxRequestLine { throw HTTPParseError(414, "request line too long") }
        let fieldsStart = lineEnd + 2
        // The header section ends at the first empty line: "\r\n" right after the request line, or "\r\n\r\n".
        let headEnd: Int
        if buffer.count >= fieldsStart + 2 && buffer[fieldsStart] == Self.cr && buffer[fieldsStart + 1] == Self.lf {
            headEnd = fieldsStart
        } else {
            guard let end = findHeadEnd(from: max(fieldsStart, scanned - 3)) else {
                scanned = max(fieldsStart, buffer.count - 3)
                if buffer.count - fieldsStart > limits.maxHeaderBytes { throw HTTPParseError(431, "header section too large") }
                return nil
            }
            headEnd = end + 2  // the CRLF ending the last field line belongs to the fields
        }
        // Fields occupy [fieldsStart, headEnd), each line ending with CRLF; then the empty line's CRLF.
        if headEnd + 2 - fieldsStart > limits.maxHeaderBytes { throw HTTPParseError(431, "header section too large") }
        var request = try parseRequestLine(buffer[start..<lineEnd])
        request.headers = try parseFields(from: fieldsStart, to: headEnd)
        start = headEnd + 2
        scanned = start
        bodyLength = try frameBody(&request)
        return request
    }

    private func firstCRLF(from i: Int) -> Int? {
        var j = i
        while j + 1 < buffer.count {
            if buffer[j] == Self.cr {
                if buffer[j + 1] == Self.lf { return j }
            }
            j += 1
        }
        return nil
    }

    /// Index of "\r\n\r\n" at or after `i`.
    private func findHeadEnd(from i: Int) -> Int? {
        var j = i
        while j + 3 < buffer.count {
            if buffer[j] == Self.cr && buffer[j + 1] == Self.lf && buffer[j + 2] == Self.cr && buffer[j + 3] == Self.lf {
                return j
            }
            j += 1
        }
        return nil
    }

    private func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPRequest {
        let parts = line.split(separator: Self.sp, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw HTTPParseError(400, "malformed request line")
        }
        guard parts[0].allSatisfy(Self.isTokenByte) else { throw HTTPParseError(400, "malformed method") }
        let version = Array(parts[2])
        let minor: Int
        if version == Array("HTTP/1.1".utf8) {
            minor = 1
        } else if version == Array("HTTP/1.0".utf8) {
            minor = 0
        } else if version.count == 8 && version.starts(with: "HTTP/".utf8) && Self.isDigit(version[5]) && version[6] == 46
                    && Self.isDigit(version[7]) {
            throw HTTPParseError(505, "HTTP version not supported")
        } else {
            throw HTTPParseError(400, "malformed HTTP version")
        }
        let target = parts[1]
        guard target.first == 47, target.allSatisfy({ $0 > 32 && $0 < 127 && $0 != 35 }) else {
            throw HTTPParseError(400, "the request target must be a path (origin-form)")
        }
        let q = target.firstIndex(of: 63)
        let path = target[target.startIndex..<(q ?? target.endIndex)].dropFirst()
        var segments: [String] = []
        if !path.isEmpty {
            for raw in path.split(separator: 47, omittingEmptySubsequences: false) {
                segments.append(try Self.percentDecode(raw, plusIsSpace: false))
            }
        }
        var query: [HTTPQueryItem] = []
        if let q {
            for pair in target[(q + 1)...].split(separator: 38) where !pair.isEmpty {
                let eq = pair.firstIndex(of: 61)
                let name = try Self.percentDecode(pair[pair.startIndex..<(eq ?? pair.endIndex)], plusIsSpace: true)
                let value = try eq.map { e throws(HTTPParseError) in try Self.percentDecode(pair[(e + 1)...], plusIsSpace: true) } ?? ""
                query.append(HTTPQueryItem(name, value))
            }
        }
        return HTTPRequest(method: String(decoding: parts[0], as: UTF8.self), target: String(decoding: target, as: UTF8.self),
                           minorVersion: minor, pathSegments: segments, query: query)
    }

    private func parseFields(from begin: Int, to end: Int) throws(HTTPParseError) -> [HTTPHeader] {
        var fields: [HTTPHeader] = []
        var i = begin
        while i < end {
            guard let lineEnd = firstCRLF(from: i), lineEnd < end else { throw HTTPParseError(400, "malformed field line") }
            let line = buffer[i..<lineEnd]
            i = lineEnd + 2
            guard let first = line.first else { throw HTTPParseError(400, "empty field line") }
            if first == Self.sp || first == Self.tab { throw HTTPParseError(400, "obsolete line folding") }
            guard let colon = line.firstIndex(of: 58) else { throw HTTPParseError(400, "field line without a colon") }
            let name = line[line.startIndex..<colon]
            guard !name.isEmpty, name.allSatisfy(Self.isTokenByte) else { throw HTTPParseError(400, "malformed field name") }
            var value = line[(colon + 1)...]
            while let f = value.first, f == Self.sp || f == Self.tab { value = value.dropFirst() }
            while let l = value.last, l == Self.sp || l == Self.tab { value = value.dropLast() }
            guard value.allSatisfy({ $0 == Self.tab || ($0 >= 32 && $0 != 127) }) else {
                throw HTTPParseError(400, "control character in a field value")
            }
            fields.append(HTTPHeader(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
            if fields.count > limits.maxHeaderFields { throw HTTPParseError(431, "too many header fields") }
        }
        return fields
    }

    /// Checks Host, Connection and the body framing; returns the body length.
    private func frameBody(_ request: inout HTTPRequest) throws(HTTPParseError) -> Int {
        var hosts = 0
        var lengths: [Int] = []
        var codings: [String] = []
        var connection: [String] = []
        for h in request.headers {
            switch h.name.asciiLowercased {
            case "host": hosts += 1
            case "content-length":
                let v = h.value.utf8
                guard !v.isEmpty, v.count <= 18, v.allSatisfy(Self.isDigit), let n = Int(h.value) else {
                    throw HTTPParseError(400, "malformed Content-Length")
                }
                lengths.append(n)
            case "transfer-encoding":
                codings += h.value.split(separator: ",").map { String($0).trimmed.asciiLowercased }
            case "connection":
                connection += h.value.split(separator: ",").map { String($0).trimmed.asciiLowercased }
            default: break
            }
        }
        if request.minorVersion == 1 && hosts != 1 { throw HTTPParseError(400, hosts == 0 ? "missing Host" : "repeated Host") }
        if connection.contains("close") {
            request.keepAlive = false
        } else {
            request.keepAlive = request.minorVersion == 1 || connection.contains("keep-alive")
        }
        if !codings.isEmpty {
            if !lengths.isEmpty { throw HTTPParseError(400, "both Transfer-Encoding and Content-Length") }
            if codings.last == "chunked" { throw HTTPParseError(411, "chunked request bodies are not accepted; send Content-Length") }
            throw HTTPParseError(501, "transfer coding not implemented")
        }
        guard let length = lengths.first else { return 0 }
        guard lengths.allSatisfy({ $0 == length }) else { throw HTTPParseError(400, "conflicting Content-Length") }
        if length > limits.maxBody { throw HTTPParseError(413, "body larger than \(limits.maxBody) bytes") }
        return length
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// tchar (RFC 9110 §5.6.2).
    static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case 48...57, 65...90, 97...122: true
        case 33, 35, 36, 37, 38, 39, 42, 43, 45, 46, 94, 95, 96, 124, 126: true
        default: false
        }
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: b - 48
        case 65...70: b - 55
        case 97...102: b - 87
        default: nil
        }
    }

    /// Percent-decodes; the result must be UTF-8 (else 400).
    static func percentDecode(_ raw: ArraySlice<UInt8>, plusIsSpace: Bool) throws(HTTPParseError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            let b = raw[i]
            if b == 37 {
                guard i + 2 < raw.endIndex, let h = hex(raw[i + 1]), let l = hex(raw[i + 2]) else {
                    throw HTTPParseError(400, "malformed percent-encoding")
                }
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(plusIsSpace && b == 43 ? 32 : b)
                i += 1
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw HTTPParseError(400, "the path or query is not UTF-8") }
        return s
    }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
