import COpenSSL

/// A server-side OpenSSL context for the loopback test receivers: a certificate chain and its private key, TLS
/// 1.2 or later as OpenSSL's defaults allow. Test-only: it serves the fixtures of Tests/Fixtures/tls (see
/// ``TLSFixtures``).
///
/// `@unchecked Sendable`: the `SSL_CTX` is configured once in `init` and only read afterwards (`SSL_new` from
/// the connection threads), which OpenSSL allows concurrently.
public final class TLSServerContext: @unchecked Sendable {
    let context: OpaquePointer

    /// - Parameters:
    ///   - certificateChainFile: PEM, the server certificate first.
    ///   - privateKeyFile: PEM, the key of that certificate.
    public init(certificateChainFile: String, privateKeyFile: String) throws(TestReceiverError) {
        guard let ctx = SSL_CTX_new(TLS_server_method()) else {
            throw TestReceiverError("SSL_CTX_new: \(TLSServerContext.lastError())")
        }
        guard SSL_CTX_use_certificate_chain_file(ctx, certificateChainFile) == 1 else {
            SSL_CTX_free(ctx)
            throw TestReceiverError("certificate \(certificateChainFile): \(TLSServerContext.lastError())")
        }
        guard SSL_CTX_use_PrivateKey_file(ctx, privateKeyFile, SSL_FILETYPE_PEM) == 1,
              SSL_CTX_check_private_key(ctx) == 1 else {
            SSL_CTX_free(ctx)
            throw TestReceiverError("private key \(privateKeyFile): \(TLSServerContext.lastError())")
        }
        context = ctx
    }

    deinit { SSL_CTX_free(context) }

    /// OpenSSL's text for the oldest error queued on this thread (and clears the queue).
    static func lastError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "unknown OpenSSL error" }
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
