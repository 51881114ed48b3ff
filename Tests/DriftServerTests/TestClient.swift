import DriftWire
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct ClientError: Error, CustomStringConvertible {
    var description: String
}

/// A small blocking client for the tests: raw socket, FrameEncoder/FrameDecoder, receive timeout.
final class TestClient {
    private let fd: Int32
    private var decoder = FrameDecoder()
    private var nextStream: UInt32 = 1
    private var early: [UInt32: Frame] = [:]

    init(port: UInt16, timeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError(description: "socket: \(errno)") }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            throw ClientError(description: "connect: \(errno)")
        }
    }

    deinit { close(fd) }

    func send(_ frame: Frame) throws {
        let bytes = try FrameEncoder().encode(frame)
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ClientError(description: "send: \(errno)") }
            off += n
        }
    }

    /// The next frame, or nil when the server closed the connection.
    func receive() throws -> Frame? {
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            if let f = try decoder.next() { return f }
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return nil }
            guard n > 0 else { throw ClientError(description: "recv: errno \(errno) (timeout?)") }
            decoder.append(buf[0..<n])
        }
    }

    /// Writes bytes as they are (hostile clients).
    func sendRaw(_ bytes: [UInt8]) throws {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ClientError(description: "send: \(errno)") }
            off += n
        }
    }

    /// Sends CANCEL for `stream`.
    func cancel(_ stream: UInt32) throws {
        try send(Frame(header: FrameHeader(type: .cancel, streamID: stream), metadata: Cancel(reason: "test").encode()))
    }

    /// Frames until the server closes the connection (or the receive timeout throws).
    func drainFrames() throws -> [Frame] {
        var out: [Frame] = []
        while let f = try receive() { out.append(f) }
        return out
    }

    /// Sends a REQUEST on a chosen stream id.
    func sendRequest(stream: UInt32, method: MethodID, metadata: [UInt8], body: [UInt8] = [], codec: BodyCodec = .none,
                     deadlineMs: UInt32 = 0) throws {
        let h = FrameHeader(type: .request, flags: .endStream, codec: codec, streamID: stream, methodID: method.rawValue,
                            methodVersion: 1, deadlineMs: deadlineMs, bodyRawLength: UInt32(body.count))
        try send(Frame(header: h, metadata: metadata, body: body))
    }

    func handshake(token: String = "") throws -> HelloAck {
        try send(Frame(header: FrameHeader(type: .hello), metadata: Hello(clientName: "tests", authToken: token).encode()))
        guard let f = try receive(), f.header.type == .helloAck else { throw ClientError(description: "no HELLO_ACK") }
        return try HelloAck.decode(f.metadata)
    }

    /// Sends a REQUEST and returns its stream id.
    @discardableResult
    func sendRequest(method: UInt16, version: UInt16 = 1, metadata: [UInt8], body: [UInt8] = [],
                     codec: BodyCodec = .none, deadlineMs: UInt32 = 0, rawLength: Int? = nil) throws -> UInt32 {
        let stream = nextStream
        nextStream += 2
        let h = FrameHeader(type: .request, flags: .endStream, codec: codec, streamID: stream, methodID: method,
                            methodVersion: version, deadlineMs: deadlineMs, bodyRawLength: UInt32(rawLength ?? body.count))
        try send(Frame(header: h, metadata: metadata, body: body))
        return stream
    }

    /// One request, its RESPONSE.
    func call(_ method: MethodID, _ metadata: [UInt8], body: [UInt8] = [], codec: BodyCodec = .none,
              deadlineMs: UInt32 = 0, rawLength: Int? = nil) throws -> Frame {
        let stream = try sendRequest(method: method.rawValue, metadata: metadata, body: body, codec: codec,
                                     deadlineMs: deadlineMs, rawLength: rawLength)
        return try response(stream)
    }

    /// The RESPONSE of `stream`; responses of other streams that arrive first are kept for later.
    func response(_ stream: UInt32) throws -> Frame {
        if let f = early.removeValue(forKey: stream) { return f }
        while true {
            guard let f = try receive() else { throw ClientError(description: "closed while waiting for stream \(stream)") }
            guard f.header.type == .response else { continue }
            if f.header.streamID == stream { return f }
            early[f.header.streamID] = f
        }
    }
}
