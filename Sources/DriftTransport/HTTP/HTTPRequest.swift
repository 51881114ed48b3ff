/// Size limits of one HTTP/1.1 request, checked before the bytes they bound are kept or allocated.
public struct HTTPLimits: Sendable, Equatable {
    /// Request line (method, target, version; without its CRLF). Beyond it: 414.
    public var maxRequestLine: Int
    /// Header section (every field line with its CRLF, plus the empty line). Beyond it: 431.
    public var maxHeaderBytes: Int
    /// Header fields. Beyond it: 431.
    public var maxHeaderFields: Int
    /// Content-Length of a body. Beyond it: 413 (answered before the body arrives).
    public var maxBody: Int

    public init(maxRequestLine: Int = 8 << 10, maxHeaderBytes: Int = 32 << 10, maxHeaderFields: Int = 100,
                maxBody: Int = 1 << 20) {
        self.maxRequestLine = maxRequestLine
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderFields = maxHeaderFields
        self.maxBody = maxBody
    }

    public static let `default` = HTTPLimits()
}

/// One header field as received: the name as sent (compare it case-insensitively) and the value without the
/// surrounding whitespace.
public struct HTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One `name=value` pair of the query string, percent-decoded (`+` is a space).
public struct HTTPQueryItem: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A parsed HTTP/1.x request.
public struct HTTPRequest: Sendable, Equatable {
    /// As sent (methods are case-sensitive: `get` is not `GET`).
    public var method: String
    /// The request target exactly as sent (origin-form: it starts with `/`).
    public var target: String
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    public var minorVersion: Int
    /// The path's segments, each percent-decoded on its own: `/a%2Fb/c` is `["a/b", "c"]` while `/a/b/c` is
    /// `["a", "b", "c"]`, so an encoded slash never acts as a separator. `/` is `[]`; empty segments are kept.
    public var pathSegments: [String]
    /// The query string's pairs in order (`?a=1&b` → `a=1`, `b=`).
    public var query: [HTTPQueryItem]
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    /// Whether the connection stays open after the response: HTTP/1.1 unless `Connection: close`; HTTP/1.0 only
    /// with `Connection: keep-alive`.
    public var keepAlive: Bool

    public init(method: String, target: String, minorVersion: Int = 1, pathSegments: [String], query: [HTTPQueryItem] = [],
                headers: [HTTPHeader] = [], body: [UInt8] = [], keepAlive: Bool = true) {
        self.method = method
        self.target = target
        self.minorVersion = minorVersion
        self.pathSegments = pathSegments
        self.query = query
        self.headers = headers
        self.body = body
        self.keepAlive = keepAlive
    }

    /// The first value of the header `name` (case-insensitive), if any.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.asciiLowercased == name.asciiLowercased }?.value
    }

    /// The first value of the query parameter `name`, if any.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// The raw path (the target before `?`).
    public var path: Substring { target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0] }
}

/// Why a request could not be parsed, with the status the server answers before closing the connection.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400 malformed, 411 chunked body, 413 body too large, 414 request line too long, 431 header section too
    /// large or too many fields, 501 unknown transfer coding, 505 HTTP version other than 1.0 and 1.1.
    public var status: Int
    public var reason: String

    public init(_ status: Int, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status): \(reason)" }
}

extension String {
    /// ASCII-only lowercasing (header names and tokens are ASCII; no locale).
    var asciiLowercased: String {
        String(decoding: utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
