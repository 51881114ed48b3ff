/// The bytes of one transfer direction, handed to libcurl's callbacks as user data: the response body being
/// received (capped at ``limit``), or the request body being sent from ``readOffset``.
final class CurlBuffer {
    /// Receivers answer with short bodies; more than this is dropped (the status decides the outcome).
    static let limit = 64 * 1024

    private(set) var bytes: [UInt8]
    private var readOffset = 0

    init(bytes: [UInt8] = []) { self.bytes = bytes }

    func append(_ chunk: UnsafeRawBufferPointer) {
        let room = max(0, Self.limit - bytes.count)
        if room > 0 { bytes.append(contentsOf: chunk.prefix(room)) }
    }

    /// Copies up to `destination.count` unread bytes; 0 once everything was read.
    func read(into destination: UnsafeMutableRawBufferPointer) -> Int {
        let n = min(destination.count, bytes.count - readOffset)
        if n <= 0 { return 0 }
        bytes.withUnsafeBytes { source in
            destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[readOffset..<readOffset + n]))
        }
        readOffset += n
        return n
    }
}
