import DriftTestSupport
import DriftWire
import Testing

@Suite struct FrameDecoderTests {
    /// Golden frames plus seeded random valid frames, concatenated.
    static func corpus(seed: UInt64, randomFrames: Int) -> (frames: [Frame], stream: [UInt8]) {
        var rng = SplitMix64(seed: seed)
        var frames = Golden.all.map(\.frame)
        for i in 0..<randomFrames {
            let type = FrameType.allCases.randomElement(using: &rng)!
            let codec: BodyCodec = Bool.random(using: &rng) ? .none : .zstd
            let meta = (0..<Int.random(in: 0...20, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let body = (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let h = FrameHeader(type: type, flags: FrameFlags(rawValue: UInt16.random(in: 0...3, using: &rng)),
                                codec: codec, status: WireStatus.allCases.randomElement(using: &rng)!,
                                streamID: UInt32(i), methodID: UInt16.random(in: 0...UInt16.max, using: &rng),
                                methodVersion: 2, deadlineMs: UInt32.random(in: 0...UInt32.max, using: &rng),
                                bodyRawLength: UInt32(body.count * 3))
            frames.append(Frame(header: h, metadata: meta, body: body))
        }
        return (frames, frames.flatMap { $0.encode() })
    }

    // MARK: - Drip feed

    @Test func oneByteAtATime() throws {
        let (frames, stream) = Self.corpus(seed: 1, randomFrames: 40)
        #expect(try decodeAll(stream, chunks: [1]) == frames)
        #expect(try decodeAll(stream, chunks: [stream.count]) == frames)
    }

    @Test func randomChunkings() throws {
        let (frames, stream) = Self.corpus(seed: 2, randomFrames: 40)
        var rng = SplitMix64(seed: 3)
        for run in 0..<200 {
            let maxChunk = [2, 8, 41, 100, 4096][run % 5]
            let chunks = (0..<64).map { _ in Int.random(in: 1...maxChunk, using: &rng) }
            #expect(try decodeAll(stream, chunks: chunks) == frames)
        }
    }

    @Test func everyPrefixIsPartialNotAnError() throws {
        for c in Golden.all {
            let b = bytes(hex: c.hex)
            for n in 0..<b.count {
                var d = FrameDecoder()
                d.append(b[..<n])
                #expect(try d.next() == nil)
                #expect(!d.isAtFrameBoundary || n == 0)
                d.append(b[n...])
                #expect(try d.next() == c.frame)
                #expect(try d.next() == nil)
                #expect(d.isAtFrameBoundary)
            }
        }
    }

    // MARK: - Header violations (connection errors)

    static func expectFatal(_ bytes: [UInt8], _ reason: WireError.Reason, _ code: WireStatus = .invalidArgument,
                            limits: FrameLimits = .default, sourceLocation: SourceLocation = #_sourceLocation) {
        var d = FrameDecoder(limits: limits)
        d.append(bytes)
        let e = #expect(throws: WireError.self, sourceLocation: sourceLocation) { try d.next() }
        #expect(e?.reason == reason, sourceLocation: sourceLocation)
        #expect(e?.code == code, sourceLocation: sourceLocation)
        #expect(e?.isConnectionError == true, sourceLocation: sourceLocation)
        // Poisoned: the same error again, even after more bytes.
        d.append(Golden.hello.frame.encode())
        if let e { #expect(throws: e, sourceLocation: sourceLocation) { try d.next() } }
    }

    static let base = FrameHeader(type: .request, streamID: 9, methodID: 1, methodVersion: 1)

    @Test func badMagicVersionTypeFlagsStatusReserved() {
        Self.expectFatal(Array("GET /metrics HTTP/1.1\r\nHost: driftd.local\r\nAccept: */*\r\n\r\n".utf8), .badMagic)
        Self.expectFatal([0x16, 0x03, 0x01] + [UInt8](repeating: 0, count: 60), .badMagic)  // TLS ClientHello
        Self.expectFatal(headerBytes(Self.base) { $0[2] = 2 }, .badVersion)
        Self.expectFatal(headerBytes(Self.base) { $0[2] = 0 }, .badVersion)
        Self.expectFatal(headerBytes(Self.base) { $0[3] = 0 }, .badFrameType)
        Self.expectFatal(headerBytes(Self.base) { $0[3] = 9 }, .badFrameType)
        Self.expectFatal(headerBytes(Self.base) { $0[3] = 255 }, .badFrameType)
        Self.expectFatal(headerBytes(Self.base) { $0[4] = 0b100 }, .badFlags)
        Self.expectFatal(headerBytes(Self.base) { $0[5] = 0x80 }, .badFlags)
        Self.expectFatal(headerBytes(Self.base) { $0[7] = 17 }, .badStatus)
        Self.expectFatal(headerBytes(Self.base) { $0[32] = 1 }, .badReserved)
        Self.expectFatal(headerBytes(Self.base) { $0[35] = 0x80 }, .badReserved)
    }

    @Test func everySingleBitFlipInTheHeaderIsCaught() {
        let good = Golden.requestZstd.frame.encode()
        for bit in 0..<(40 * 8) {
            var b = good
            b[bit / 8] ^= 1 << UInt8(bit % 8)
            Self.expectFatal(b, bit < 16 ? .badMagic : .headerChecksum)
        }
    }

    @Test func oversizeLengthsAreRejectedFromTheHeaderAlone() throws {
        let limits = FrameLimits(maxMetadata: 100, maxFrameBody: 1000, maxDecoded: 5000)
        let z = FrameHeader(type: .request, codec: .zstd, streamID: 1)
        // Only the 40 header bytes are fed: the error comes before any body byte exists.
        Self.expectFatal(headerBytes(z) { put32(&$0, 24, 1001) }, .bodyTooLarge, .resourceExhausted, limits: limits)
        Self.expectFatal(headerBytes(z) { put32(&$0, 24, .max) }, .bodyTooLarge, .resourceExhausted, limits: limits)
        Self.expectFatal(headerBytes(z) { put32(&$0, 20, 101) }, .metadataTooLarge, .resourceExhausted, limits: limits)
        Self.expectFatal(headerBytes(z) { put32(&$0, 20, .max) }, .metadataTooLarge, .resourceExhausted, limits: limits)
        Self.expectFatal(headerBytes(z) { put32(&$0, 28, 5001) }, .decodedTooLarge, .resourceExhausted, limits: limits)
        // Default limits: 16 MiB + 1 and 64 MiB + 1.
        Self.expectFatal(headerBytes(z) { put32(&$0, 24, 16 << 20 + 1); put32(&$0, 28, 16 << 20 + 1) },
                         .bodyTooLarge, .resourceExhausted)
        Self.expectFatal(headerBytes(z) { put32(&$0, 28, 64 << 20 + 1) }, .decodedTooLarge, .resourceExhausted)
        // Exactly at the limit is fine (header accepted, waiting for the body).
        var d = FrameDecoder(limits: limits)
        d.append(headerBytes(z) { put32(&$0, 20, 100); put32(&$0, 24, 1000); put32(&$0, 28, 5000) })
        #expect(try d.next() == nil)
        #expect(d.bufferedBytes == 0)
    }

    @Test func nonZeroPaddingIsFatal() {
        var b = Golden.requestZstd.frame.encode()
        b[40 + 6] = 1  // metadata is 6 bytes, padding 2
        Self.expectFatal(b, .badPadding)
    }

    // MARK: - Request-level errors: frame skipped, connection survives

    @Test func unknownCodecSkipsTheFrameAndContinues() throws {
        let bad = headerBytes(FrameHeader(type: .request, codec: .zstd, streamID: 5, metadataLength: 3,
                                          bodyLength: 10, bodyRawLength: 10)) { $0[6] = 2 }
            + [1, 2, 3, 0, 0, 0, 0, 0] + [UInt8](repeating: 0xEE, count: 10)
        let next = Golden.goAway.frame
        for chunk in [1, 3, 40, 1000] {
            var d = FrameDecoder()
            var got: [Frame] = []
            var errors: [WireError] = []
            let stream = bad + next.encode()
            var i = 0
            while i < stream.count {
                d.append(stream[i..<min(i + chunk, stream.count)])
                i += chunk
                while true {
                    do {
                        guard let f = try d.next() else { break }
                        got.append(f)
                    } catch { errors.append(error) }
                }
            }
            #expect(got == [next])
            #expect(errors.count == 1)
            #expect(errors.first?.code == .unimplemented && errors.first?.reason == .unsupportedCodec)
            #expect(errors.first?.streamID == 5 && errors.first?.isConnectionError == false)
        }
    }

    @Test func rawLengthMismatchWithoutCodecIsRequestLevel() throws {
        var d = FrameDecoder()
        d.append(headerBytes(FrameHeader(type: .request, streamID: 4, bodyLength: 2, bodyRawLength: 2)) {
            put32(&$0, 28, 3)
        } + [9, 9])
        let e = #expect(throws: WireError.self) { try d.next() }
        #expect(e?.reason == .lengthMismatch && e?.code == .invalidArgument && e?.isConnectionError == false)
        #expect(try d.next() == nil)
        #expect(d.isAtFrameBoundary)
    }

    @Test func encoderRefusesFramesOverThePeerLimits() {
        let enc = FrameEncoder(limits: FrameLimits(maxMetadata: 4, maxFrameBody: 8, maxDecoded: 8))
        let f = Frame(header: FrameHeader(type: .request, streamID: 3), body: [UInt8](repeating: 1, count: 9))
        let e = #expect(throws: WireError.self) { try enc.encode(f) }
        #expect(e?.code == .resourceExhausted && e?.reason == .frameTooLarge && e?.streamID == 3)
    }

    // MARK: - Hostile input, randomized

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<2000 {
            let b = (0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var d = FrameDecoder()
            d.append(b)
            do {
                while try d.next() != nil {}
            } catch {
                #expect(error.isConnectionError)  // random bytes essentially never carry a valid CRC
            }
        }
    }

    /// 100 000 mutated copies of valid frame streams: bit flips, byte overwrites, truncation, insertions and
    /// length edits with the CRC recomputed (so the deeper checks run too). Every outcome is a frame, "need
    /// more bytes" or a WireError with an expected code; decoded frames re-encode and decode to themselves.
    @Test func mutationFuzz100k() {
        let seeds = Golden.all.map { bytes(hex: $0.hex) } + Self.corpus(seed: 5, randomFrames: 12).frames.dropFirst(4).map { $0.encode() }
        var rng = SplitMix64(seed: 12345)
        let small = FrameLimits(maxMetadata: 16, maxFrameBody: 64, maxDecoded: 256)
        var frames = 0, errors = 0, fatal = 0
        for _ in 0..<100_000 {
            var b = seeds.randomElement(using: &rng)!
            if Bool.random(using: &rng) { b += seeds.randomElement(using: &rng)! }
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: let i = Int.random(in: 0..<b.count, using: &rng); b[i] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
                case 1: b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                case 2: b.removeLast(Int.random(in: 0..<b.count, using: &rng))
                case 3: b.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...b.count, using: &rng))
                case 4 where b.count >= 40:
                    // A header field edit with a valid CRC.
                    let off = [2, 3, 4, 5, 6, 7, 20, 24, 28, 32].randomElement(using: &rng)!
                    b[off] = [0, 1, 2, 9, 0x80, 0xFF].randomElement(using: &rng)!
                    let crc = CRC32C.checksum(b[0..<36])
                    put32(&b, 36, crc)
                default: if b.count > 1 { b.swapAt(Int.random(in: 0..<b.count, using: &rng), Int.random(in: 0..<b.count, using: &rng)) }
                }
                if b.isEmpty { b = [0] }
            }
            var d = FrameDecoder(limits: Bool.random(using: &rng) ? .default : small)
            var i = 0
            let chunk = Int.random(in: 1...80, using: &rng)
            feeding: while i < b.count {
                d.append(b[i..<min(i + chunk, b.count)])
                i += chunk
                while true {
                    do {
                        guard let f = try d.next() else { break }
                        frames += 1
                        let again = f.encode()
                        if (try? decodeAll(again, chunks: [again.count])) != [f] {
                            Issue.record("decoded frame does not round-trip"); break feeding
                        }
                    } catch {
                        errors += 1
                        if ![.invalidArgument, .resourceExhausted, .unimplemented].contains(error.code) {
                            Issue.record("unexpected code \(error)")
                        }
                        if error.isConnectionError { fatal += 1; break feeding }
                    }
                }
            }
        }
        #expect(frames > 10_000 && errors > 10_000 && fatal > 0)
    }
}
