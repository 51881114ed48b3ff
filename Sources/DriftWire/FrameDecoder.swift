/// Incremental frame decoder: feed it bytes in any chunking with `append(_:)`, then call `next()` until it
/// returns nil.
///
///     bytes in ──► [ buffer ] ──► header (40 B)? ──validate──► limits? ──► metadata + pad + body? ──► Frame
///                                 nil if partial   magic, CRC,   from the     nil if partial
///                                                  version, …    header alone
///
/// Memory: the decoder buffers only bytes the caller appended; it never reserves space from a declared length,
/// and a header is validated (including the limits) before any later byte is treated as part of its frame.
///
/// Errors:
/// - connection errors (`isConnectionError`): the decoder is poisoned and every later `next()` rethrows the
///   same error. Answer with GOAWAY(`code`) and close.
/// - request-level errors from a well-formed header (unsupported codec, body_raw_len ≠ body_len for codec
///   none): the frame's metadata and body are skipped as they arrive and decoding continues with the next
///   frame. Answer with a RESPONSE on `error.streamID`.
public struct FrameDecoder: Sendable {
    /// The limits every header is checked against (raised by `raiseLimits(to:)` after a handshake).
    public private(set) var limits: FrameLimits
    private var buffer = WireBuffer()
    /// The validated header of the frame being assembled.
    private var pending: FrameHeader?
    /// Bytes of a rejected (request-level) frame still to discard.
    private var skipRemaining = 0
    private var poisoned: WireError?

    public init(limits: FrameLimits = .default) { self.limits = limits }

    /// Replaces the limits for headers not yet validated (the frame being assembled keeps the check it passed).
    /// A server starts a connection with the small pre-handshake limits and raises them once HELLO is accepted.
    public mutating func raiseLimits(to limits: FrameLimits) { self.limits = limits }

    /// Bytes appended but not yet returned as frames (or skipped).
    public var bufferedBytes: Int { buffer.readableBytes }

    /// True when no partial frame is buffered (a clean point to close the connection).
    public var isAtFrameBoundary: Bool { buffer.readableBytes == 0 && pending == nil && skipRemaining == 0 }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        guard poisoned == nil else { return }
        buffer.writeBytes(bytes)
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard poisoned == nil else { return }
        buffer.writeBytes(bytes)
    }

    /// The next complete frame, or nil when more bytes are needed.
    public mutating func next() throws(WireError) -> Frame? {
        if let e = poisoned { throw e }
        if skipRemaining > 0 {
            skipRemaining -= buffer.skipBytes(skipRemaining)
            if skipRemaining > 0 { compact(); return nil }
        }
        let header: FrameHeader
        if let p = pending {
            header = p
        } else {
            // A wrong magic is rejected as soon as its two bytes are in: an HTTP request or a TLS ClientHello shorter
            // than a header must not leave the connection waiting for bytes that never come.
            if buffer.readableBytes >= 2,
               buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) != FrameHeader.magic.0
                || buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self) != FrameHeader.magic.1 {
                throw poison(.fatal(.invalidArgument, .badMagic, "bad magic: not a driftd frame"))
            }
            guard buffer.readableBytes >= FrameHeader.size else { compact(); return nil }
            header = try decodeHeader()
            buffer.skipBytes(FrameHeader.size)
            pending = header
        }
        let metaLen = Int(header.metadataLength)
        let padded = header.paddedMetadataLength
        let bodyLen = Int(header.bodyLength)
        guard buffer.readableBytes >= padded + bodyLen else { return nil }

        let metadata = buffer.readBytes(metaLen)!
        let paddingOK = buffer.withUnsafeReadableBytes { raw in
            raw.prefix(padded - metaLen).allSatisfy { $0 == 0 }
        }
        guard paddingOK else {
            throw poison(.fatal(.invalidArgument, .badPadding, "non-zero metadata padding (stream \(header.streamID))"))
        }
        buffer.skipBytes(padded - metaLen)
        let body = buffer.readBytes(bodyLen)!
        pending = nil
        compact()
        return Frame(validated: header, metadata: metadata, body: body)
    }

    private mutating func decodeHeader() throws(WireError) -> FrameHeader {
        let result = buffer.withUnsafeReadableBytes { raw in
            Result { () throws(WireError) in try FrameHeader.decode(raw) }
        }
        switch result {
        case .success(let h):
            do { try limits.check(h) } catch { throw poison(error) }
            return h
        case .failure(let error):
            if error.isConnectionError { throw poison(error) }
            // A well-formed header we will not serve: check the limits, then drop the frame.
            let r = buffer.readerIndex
            let meta = buffer.getInteger(at: r + 20, as: UInt32.self)!
            let body = buffer.getInteger(at: r + 24, as: UInt32.self)!
            let raw = buffer.getInteger(at: r + 28, as: UInt32.self)!
            do { try limits.check(metadataLength: meta, bodyLength: body, bodyRawLength: raw) } catch { throw poison(error) }
            buffer.skipBytes(FrameHeader.size)
            skipRemaining = FrameHeader.padded(Int(meta)) + Int(body)
            skipRemaining -= buffer.skipBytes(skipRemaining)
            compact()
            throw error
        }
    }

    private mutating func poison(_ error: WireError) -> WireError {
        poisoned = error
        buffer = WireBuffer()
        pending = nil
        return error
    }

    /// Drops consumed bytes once they are the larger part of the buffer (amortised O(1) per byte).
    private mutating func compact() {
        if buffer.readableBytes == 0 {
            buffer.clear()
        } else if buffer.readerIndex >= 4096 && buffer.readerIndex >= buffer.readableBytes {
            buffer.discardReadBytes()
        }
    }
}
