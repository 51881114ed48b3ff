/// An HTTP response before serialization. The server adds `Content-Length` (always) and `Connection`; a header
/// value's CR and LF are replaced by spaces (no header injection).
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `text/plain; charset=utf-8`.
    public static func text(_ status: Int, _ text: String, headers: [HTTPHeader] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [HTTPHeader("Content-Type", "text/plain; charset=utf-8")] + headers,
                     body: Array(text.utf8))
    }

    /// `application/json` (the caller's text must be JSON).
    public static func json(_ status: Int, _ json: String, headers: [HTTPHeader] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [HTTPHeader("Content-Type", "application/json")] + headers,
                     body: Array(json.utf8))
    }

    /// The wire form: status line, headers, `Content-Length`, `Connection` when it differs from the request's
    /// default, the empty line, and the body unless `head` (a HEAD request gets the GET's Content-Length).
    public func serialized(head: Bool = false, close: Bool, minorVersion: Int = 1) -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(HTTPResponse.reason(status))\r\n"
        for h in headers {
            let lower = h.name.asciiLowercased
            if lower == "content-length" || lower == "connection" || lower == "transfer-encoding" { continue }
            text += Self.clean(h.name) + ": " + Self.clean(h.value) + "\r\n"
        }
        text += "Content-Length: \(body.count)\r\n"
        if close {
            text += "Connection: close\r\n"
        } else if minorVersion == 0 {
            text += "Connection: keep-alive\r\n"
        }
        text += "\r\n"
        var bytes = Array(text.utf8)
        if !head { bytes += body }
        return bytes
    }

    private static func clean(_ s: String) -> String {
        s.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" })
            ? String(s.map { $0 == "\r" || $0 == "\n" || $0 == "\r\n" ? " " : $0 }) : s
    }

    /// The reason phrase of the statuses driftd uses.
    public static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status \(status)"
        }
    }
}
