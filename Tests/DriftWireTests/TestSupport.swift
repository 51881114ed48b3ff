import DriftWire

/// Bytes from a hex string; whitespace is ignored.
func bytes(hex: String) -> [UInt8] {
    let digits = Array(hex.filter { !$0.isWhitespace })
    precondition(digits.count % 2 == 0)
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
}

func hexString(_ b: [UInt8]) -> String {
    b.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

/// The golden frames: the value built through the Swift API and the bytes written by an independent encoder
/// (Python, as `encode()` in proto/PROTOCOL.md §9; the same bytes are in proto/fixtures/*.bin).
enum Golden {
    struct Case: Sendable {
        var name: String
        var frame: Frame
        var hex: String
    }

    static let zstdBody = bytes(hex: "28b52ffd00686d0000386472696674200a0100b94b11")

    static var hello: Case {
        var m = ProtoWriter()
        m.writeVarintField(1, 1)
        m.writeVarintField(2, 1)
        m.writeStringField(3, "driftctl/0.1")
        return Case(
            name: "hello",
            frame: Frame(header: FrameHeader(type: .hello, deadlineMs: 5000), metadata: m.bytes),
            hex: """
                df7a0101 0000 00 00 00000000 0000 0000 88130000 12000000 00000000 00000000 00000000 fdca5a71
                080110011a0c647269667463746c2f302e31 000000000000
                """)
    }

    static var requestZstd: Case {
        var m = ProtoWriter()
        m.writeStringField(1, "k-42")
        let h = FrameHeader(type: .request, flags: .idempotencyKeyPresent, codec: .zstd, streamID: 1, methodID: 3,
                            methodVersion: 1, deadlineMs: 30000, bodyRawLength: 36)
        return Case(
            name: "request_zstd",
            frame: Frame(header: h, metadata: m.bytes, body: zstdBody),
            hex: """
                df7a0103 0200 01 00 01000000 0300 0100 30750000 06000000 16000000 24000000 00000000 b3f8870b
                0a046b2d3432 0000
                28b52ffd00686d0000386472696674200a0100b94b11
                """)
    }

    static var responseNotFound: Case {
        var m = ProtoWriter()
        m.writeVarintField(1, 5)
        m.writeStringField(2, "unknown source 'orders'")
        let h = FrameHeader(type: .response, flags: .endStream, status: .notFound, streamID: 1, methodID: 3,
                            methodVersion: 1)
        return Case(
            name: "response_not_found",
            frame: Frame(header: h, metadata: m.bytes),
            hex: """
                df7a0104 0100 00 05 01000000 0300 0100 00000000 1b000000 00000000 00000000 00000000 edf6420e
                08051217756e6b6e6f776e20736f7572636520276f726465727327 0000000000
                """)
    }

    static var goAway: Case {
        var m = ProtoWriter()
        m.writeVarintField(1, 7)
        m.writeStringField(2, "shutting down")
        m.writeVarintField(3, 14)  // status, equal to the header's (PROTOCOL §12)
        return Case(
            name: "goaway",
            frame: Frame(header: FrameHeader(type: .goAway, status: .unavailable), metadata: m.bytes),
            hex: """
                df7a0108 0000 00 0e 00000000 0000 0000 00000000 13000000 00000000 00000000 00000000 5401ff82
                0807120d7368757474696e6720646f776e180e 0000000000
                """)
    }

    static var all: [Case] { [hello, requestZstd, responseNotFound, goAway] }
}

/// Feeds `stream` to a fresh decoder in the given chunk sizes (cycled), collecting every frame.
func decodeAll(_ stream: [UInt8], chunks: [Int], limits: FrameLimits = .default) throws(WireError) -> [Frame] {
    var d = FrameDecoder(limits: limits)
    var out: [Frame] = []
    var i = 0
    var c = 0
    while i < stream.count {
        let n = min(max(1, chunks[c % chunks.count]), stream.count - i)
        c += 1
        d.append(stream[i..<(i + n)])
        i += n
        while let f = try d.next() { out.append(f) }
    }
    return out
}

/// A valid header's 40 bytes with `edit` applied and the CRC recomputed.
func headerBytes(_ header: FrameHeader, edit: (inout [UInt8]) -> Void, fixCRC: Bool = true) -> [UInt8] {
    var b = header.encode()
    edit(&b)
    if fixCRC {
        let crc = CRC32C.checksum(b[0..<36])
        for k in 0..<4 { b[36 + k] = UInt8(truncatingIfNeeded: crc >> (8 * k)) }
    }
    return b
}

func put32(_ b: inout [UInt8], _ offset: Int, _ v: UInt32) {
    for k in 0..<4 { b[offset + k] = UInt8(truncatingIfNeeded: v >> (8 * k)) }
}
