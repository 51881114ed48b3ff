import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// The server side of one TLS session over an accepted socket (owned by its ``SocketConnection``, used by its
/// handler thread only). `SSL_accept` runs in `init`; reads and writes then go through `SSL_read`/`SSL_write`.
final class TLSStream {
    private let ssl: OpaquePointer
    /// The negotiated protocol, e.g. `TLSv1.3`.
    let version: String

    /// Nil when the handshake fails (the client refused the certificate, closed, or timed out).
    init?(context: TLSServerContext, fd: Int32) {
        // OpenSSL writes to the socket with write(2), not send(MSG_NOSIGNAL): a client that hangs up mid-write would
        // raise SIGPIPE and kill the test process. The signal is synchronous, so blocking it on this handler thread
        // turns it into EPIPE here without touching the rest of the process.
        var pipe = sigset_t()
        sigemptyset(&pipe)
        sigaddset(&pipe, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipe, nil)
        guard let s = SSL_new(context.context) else { return nil }
        guard SSL_set_fd(s, fd) == 1, SSL_accept(s) == 1 else {
            ERR_clear_error()
            SSL_free(s)
            return nil
        }
        ssl = s
        version = String(cString: SSL_get_version(s))
    }

    deinit { SSL_free(ssl) }

    /// Sends close_notify (without waiting for the client's); call it while the descriptor is still open.
    func shutdown() {
        SSL_shutdown(ssl)
        ERR_clear_error()
    }

    /// Up to `buffer.count` decrypted bytes; 0 at the end of the session, on an error or a timeout.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let n = SSL_read(ssl, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max))))
        if n <= 0 { ERR_clear_error() }
        return max(0, Int(n))
    }

    /// Writes all of `bytes`; false when the session broke first.
    func write(_ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
            guard n > 0 else {
                ERR_clear_error()
                return false
            }
            off += Int(n)
        }
        return true
    }
}
