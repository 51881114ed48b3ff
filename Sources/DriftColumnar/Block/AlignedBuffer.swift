/// Immutable, 64-byte-aligned storage owned by a decoded column (BYTE_STREAM_SPLIT output, or the copy of a PLAIN
/// column whose bytes were misaligned in the block). Written once while decoding, read-only afterwards.
final class AlignedBuffer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let byteCount: Int

    init(byteCount: Int) {
        self.byteCount = byteCount
        pointer = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(byteCount, 1), alignment: 64)
    }

    deinit { pointer.deallocate() }
}
