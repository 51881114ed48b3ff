import Foundation

/// The committed TEST-ONLY TLS material of Tests/Fixtures/tls (written by tools/gen_tls_fixtures.sh): a test CA,
/// a server certificate for IP 127.0.0.1 and DNS localhost, one for `other-host.invalid` only, and an expired one.
public enum TLSFixtures {
    /// Tests/Fixtures/tls, found from this source file.
    public static let directory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tls").path

    /// The test CA (PEM): what a client needs in `tls_config.ca_file` to trust the test servers.
    public static var caFile: String { directory + "/ca.pem" }

    /// A context serving the certificate for 127.0.0.1 and localhost, signed by ``caFile``.
    public static func serverContext() throws(TestReceiverError) -> TLSServerContext {
        try TLSServerContext(certificateChainFile: directory + "/server.pem", privateKeyFile: directory + "/server.key")
    }

    /// A context serving a certificate signed by ``caFile`` for `other-host.invalid` only (a name mismatch for a
    /// client that connects to 127.0.0.1).
    public static func otherHostContext() throws(TestReceiverError) -> TLSServerContext {
        try TLSServerContext(certificateChainFile: directory + "/other-host.pem",
                             privateKeyFile: directory + "/other-host.key")
    }

    /// A context serving a certificate signed by ``caFile`` for 127.0.0.1 and localhost that expired in 2000.
    public static func expiredContext() throws(TestReceiverError) -> TLSServerContext {
        try TLSServerContext(certificateChainFile: directory + "/expired.pem", privateKeyFile: directory + "/expired.key")
    }
}
