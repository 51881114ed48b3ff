/// A growable byte buffer with separate read and write cursors (a small subset of swift-nio's `ByteBuffer`).
///
///     +-------------------+------------------+------------------+
///     | discardable bytes |  readable bytes  |  writable space  |
///     +-------------------+------------------+------------------+
///     0              readerIndex        writerIndex        capacity
///
/// Integers are little-endian. Reads past `writerIndex` return nil and consume nothing; nothing in this type
/// traps on short input.
public struct WireBuffer: Sendable, Equatable {
    @usableFromInline var storage: [UInt8]
    /// Where the next read starts.
    @inlinable public var readerIndex: Int { _readerIndex }
    @usableFromInline var _readerIndex: Int = 0

    /// Where the next write goes (always the end of the stored bytes).
    @inlinable public var writerIndex: Int { storage.count }
    /// Bytes written but not read yet.
    @inlinable public var readableBytes: Int { storage.count - readerIndex }

    public init(capacity: Int = 0) {
        storage = []
        storage.reserveCapacity(capacity)
    }

    public init(bytes: some Sequence<UInt8>) {
        storage = Array(bytes)
    }

    /// The readable bytes, copied.
    public var readableBytesArray: [UInt8] { Array(storage[readerIndex...]) }

    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        storage.reserveCapacity(minimumCapacity)
    }

    // MARK: - Writing

    @inlinable
    public mutating func writeInteger<T: FixedWidthInteger>(_ value: T, as: T.Type = T.self) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { storage.append(contentsOf: $0) }
    }

    public mutating func writeBytes(_ bytes: some Sequence<UInt8>) {
        storage.append(contentsOf: bytes)
    }

    public mutating func writeBytes(_ bytes: UnsafeRawBufferPointer) {
        storage.append(contentsOf: bytes)
    }

    /// Appends `count` zero bytes.
    public mutating func writeZeros(_ count: Int) {
        storage.append(contentsOf: repeatElement(0, count: count))
    }

    /// Overwrites `value` at absolute offset `index`, which must lie inside the written bytes.
    @inlinable
    public mutating func setInteger<T: FixedWidthInteger>(_ value: T, at index: Int) {
        precondition(index >= 0 && index + MemoryLayout<T>.size <= storage.count, "setInteger out of bounds")
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { src in
            for k in 0..<src.count { storage[index + k] = src[k] }
        }
    }

    // MARK: - Reading

    /// The integer at absolute offset `index`, without moving `readerIndex`; nil when it is not fully readable.
    @inlinable
    public func getInteger<T: FixedWidthInteger>(at index: Int, as: T.Type = T.self) -> T? {
        guard index >= readerIndex, index <= storage.count - MemoryLayout<T>.size else { return nil }
        return storage.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: index, as: T.self)) }
    }

    /// Reads and consumes an integer; nil (consuming nothing) when fewer bytes are readable.
    @inlinable
    public mutating func readInteger<T: FixedWidthInteger>(as: T.Type = T.self) -> T? {
        guard let v: T = getInteger(at: readerIndex) else { return nil }
        _readerIndex += MemoryLayout<T>.size
        return v
    }

    /// `count` bytes at absolute offset `index`, without consuming; nil when not all are readable.
    public func getBytes(at index: Int, count: Int) -> [UInt8]? {
        guard count >= 0, index >= readerIndex, index <= storage.count - count else { return nil }
        return Array(storage[index..<(index + count)])
    }

    /// Reads and consumes `count` bytes; nil (consuming nothing) when fewer are readable.
    public mutating func readBytes(_ count: Int) -> [UInt8]? {
        guard let b = getBytes(at: readerIndex, count: count) else { return nil }
        _readerIndex += count
        return b
    }

    /// Consumes up to `count` bytes without copying them; returns how many were skipped.
    @discardableResult
    public mutating func skipBytes(_ count: Int) -> Int {
        let n = Swift.max(0, Swift.min(count, readableBytes))
        _readerIndex += n
        return n
    }

    /// Calls `body` with the readable bytes (valid only inside the call).
    public func withUnsafeReadableBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let start = readerIndex
        return try storage.withUnsafeBytes { raw in
            Result { () throws(E) -> R in try body(UnsafeRawBufferPointer(rebasing: raw[start...])) }
        }.get()
    }

    /// Drops the bytes already read, moving the readable bytes to the front (readerIndex becomes 0).
    public mutating func discardReadBytes() {
        guard readerIndex > 0 else { return }
        storage.removeSubrange(0..<readerIndex)
        _readerIndex = 0
    }

    /// Buffers are equal when their readable bytes are (as in swift-nio).
    public static func == (a: WireBuffer, b: WireBuffer) -> Bool {
        a.storage[a.readerIndex...] == b.storage[b.readerIndex...]
    }

    /// Empties the buffer, keeping its capacity.
    public mutating func clear() {
        storage.removeAll(keepingCapacity: true)
        _readerIndex = 0
    }
}
