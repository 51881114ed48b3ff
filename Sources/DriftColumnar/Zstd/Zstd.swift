internal import CZstd

/// An error from libzstd, or a decompressed size past the caller's cap.
public struct ZstdError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// libzstd reported an error (corrupt or truncated input, …).
        case library
        /// The decompressed data would exceed the cap the caller set.
        case outputLimitExceeded
    }
    public var code: Code
    public var message: String
    public var description: String { message }
}

/// zstd compression of whole buffers, with a hard cap on decompressed output so a compression bomb costs at most
/// the cap (frames that declare a larger size are refused before anything is allocated).
public enum Zstd {
    /// - Complexity: O(n).
    public static func compress(_ input: UnsafeRawBufferPointer, level: Int32 = 1) throws(ZstdError) -> [UInt8] {
        let bound = ZSTD_compressBound(input.count)
        var out = [UInt8](repeating: 0, count: bound)
        let written = out.withUnsafeMutableBytes { dst in
            ZSTD_compress(dst.baseAddress, dst.count, input.baseAddress, input.count, level)
        }
        try check(written)
        out.removeSubrange(written...)
        return out
    }

    public static func compress(_ input: [UInt8], level: Int32 = 1) throws(ZstdError) -> [UInt8] {
        try input.withUnsafeBytes { raw in Result { () throws(ZstdError) in try compress(raw, level: level) } }.get()
    }

    /// Decompresses one or more concatenated frames, refusing to produce more than `maxOutput` bytes.
    /// - Throws: `outputLimitExceeded` past the cap; `library` for corrupt or truncated input.
    public static func decompress(_ input: UnsafeRawBufferPointer, maxOutput: Int) throws(ZstdError) -> [UInt8] {
        let declared = ZSTD_getFrameContentSize(input.baseAddress, input.count)
        if declared == ZSTD_CONTENTSIZE_ERROR {
            throw ZstdError(code: .library, message: "zstd: not a zstd frame")
        }
        if declared != ZSTD_CONTENTSIZE_UNKNOWN && declared > UInt64(maxOutput) {
            throw ZstdError(code: .outputLimitExceeded, message: "zstd: frame declares \(declared) bytes, limit is \(maxOutput)")
        }
        guard let dctx = ZSTD_createDCtx() else { throw ZstdError(code: .library, message: "zstd: out of memory") }
        defer { ZSTD_freeDCtx(dctx) }
        var out = [UInt8]()
        out.reserveCapacity(declared == ZSTD_CONTENTSIZE_UNKNOWN ? Swift.min(maxOutput, 1 << 16) : Int(declared))
        let chunk = Swift.max(ZSTD_DStreamOutSize(), 1)
        var inBuf = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var scratch = [UInt8](repeating: 0, count: chunk)
        var lastResult = 0
        repeat {
            let produced: Int
            (lastResult, produced) = scratch.withUnsafeMutableBytes { dst in
                var outBuf = ZSTD_outBuffer(dst: dst.baseAddress, size: dst.count, pos: 0)
                let r = ZSTD_decompressStream(dctx, &outBuf, &inBuf)
                return (r, outBuf.pos)
            }
            try check(lastResult)
            if out.count + produced > maxOutput {
                throw ZstdError(code: .outputLimitExceeded, message: "zstd: output exceeds the limit of \(maxOutput) bytes")
            }
            out.append(contentsOf: scratch[0..<produced])
            if produced == 0 && inBuf.pos == inBuf.size { break }
        } while inBuf.pos < inBuf.size || lastResult != 0
        if lastResult != 0 { throw ZstdError(code: .library, message: "zstd: truncated input") }
        return out
    }

    public static func decompress(_ input: [UInt8], maxOutput: Int) throws(ZstdError) -> [UInt8] {
        try input.withUnsafeBytes { raw in Result { () throws(ZstdError) in try decompress(raw, maxOutput: maxOutput) } }.get()
    }

    private static func check(_ code: Int) throws(ZstdError) {
        if ZSTD_isError(code) != 0 {
            throw ZstdError(code: .library, message: "zstd: " + String(cString: ZSTD_getErrorName(code)))
        }
    }
}
