import DriftTestSupport
import DriftWire
import Foundation
import Testing

/// Connection-control messages (proto/PROTOCOL.md §12): round trips, golden bytes from an independent encoder
/// (tools/gen_message_fixtures.py, also in proto/fixtures/hello_msg.bin and hello_ack_msg.bin), unknown fields,
/// hostile input and the handshake negotiation.
@Suite struct MessageTests {
    // MARK: - Golden bytes (tools/gen_message_fixtures.py)

    static let helloHex =
        "080110011a08647269667463746c2205302e312e302a0c7333637265742d746f6b656e32020001382a"
    static let helloAckHex =
        "180122100880808008108080802018808004206428904e320e080112064865616c74681801200132120803120a436865636b447269667418012002"

    static let goldenHello = Hello(minWireVersion: 1, maxWireVersion: 1, clientName: "driftctl", clientVersion: "0.1.0",
                                   authToken: "s3cret-token", acceptedCodecs: [0, 1], producerID: 42)
    static let goldenHelloAck = HelloAck(
        status: .ok, chosenVersion: 1,
        limits: ConnectionLimits(maxFrameBody: 16 << 20, maxDecoded: 64 << 20, maxMetadata: 64 << 10,
                                 maxConcurrentStreams: 100),
        keepaliveMinIntervalMs: 10_000,
        methods: [MethodDescriptor(id: 1, name: "Health", minVersion: 1, maxVersion: 1),
                  MethodDescriptor(id: 3, name: "CheckDrift", minVersion: 1, maxVersion: 2)])

    @Test func goldenHelloBytes() throws {
        #expect(hexString(Self.goldenHello.encode()) == Self.helloHex)
        #expect(try Hello.decode(bytes(hex: Self.helloHex)) == Self.goldenHello)
        #expect(Self.goldenHello.encode().count <= Hello.maxMetadataBytes)
    }

    @Test func goldenHelloAckBytes() throws {
        #expect(hexString(Self.goldenHelloAck.encode()) == Self.helloAckHex)
        #expect(try HelloAck.decode(bytes(hex: Self.helloAckHex)) == Self.goldenHelloAck)
    }

    @Test(arguments: [("hello_msg", helloHex), ("hello_ack_msg", helloAckHex)])
    func fixtureFilesMatch(name: String, hex: String) throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("proto/fixtures/\(name).bin")
        #expect([UInt8](try Data(contentsOf: url)) == bytes(hex: hex))
    }

    /// A HELLO frame carrying the golden HELLO passes the pre-handshake limits (metadata ≤ 4 KiB, no body).
    @Test func helloFrameFitsPreHandshakeLimits() throws {
        let frame = Frame(header: FrameHeader(type: .hello), metadata: Self.goldenHello.encode(), body: [])
        let header = try FrameHeader.decode(frame.encode())
        try FrameLimits.preHandshake.check(header)
        var oversized = Self.goldenHello
        oversized.clientName = String(repeating: "n", count: Hello.maxMetadataBytes)
        let big = try FrameHeader.decode(Frame(header: FrameHeader(type: .hello), metadata: oversized.encode(),
                                               body: []).encode())
        #expect(throws: WireError.self) { try FrameLimits.preHandshake.check(big) }
    }

    /// The illustrative metadata of the older golden frames (proto/fixtures/README.md) decodes under §12.
    @Test func legacyFixtureMetadataDecodes() throws {
        var m = ProtoWriter()
        m.writeVarintField(1, 1); m.writeVarintField(2, 1); m.writeStringField(3, "driftctl/0.1")
        #expect(try Hello.decode(m.bytes) == Hello(minWireVersion: 1, maxWireVersion: 1, clientName: "driftctl/0.1"))
        m = ProtoWriter(); m.writeVarintField(1, 7); m.writeStringField(2, "shutting down"); m.writeVarintField(3, 14)
        #expect(try GoAway.decode(m.bytes) == GoAway(status: .unavailable, message: "shutting down", lastStreamID: 7))
        m = ProtoWriter(); m.writeVarintField(1, 5); m.writeStringField(2, "unknown source 'orders'")
        #expect(try ErrorDetail.decode(m.bytes) == ErrorDetail(status: .notFound, message: "unknown source 'orders'"))
    }

    // MARK: - Round trips

    @Test func helloRoundTrips() throws {
        let cases: [Hello] = [
            Hello(minWireVersion: 0, maxWireVersion: 0),
            Hello(),
            Hello(minWireVersion: 1, maxWireVersion: .max, clientName: "ü名🙂", clientVersion: String(repeating: "v", count: 300),
                  authToken: "\u{0}tok", acceptedCodecs: [0, 1, 2, .max], producerID: 0),
            Hello(minWireVersion: .max, maxWireVersion: .max, producerID: .max),
            Hello(acceptedCodecs: Array(0..<200)),
        ]
        for h in cases { #expect(try Hello.decode(h.encode()) == h) }
        #expect(Hello(minWireVersion: 0, maxWireVersion: 0).encode().isEmpty)
    }

    @Test func helloAckRoundTrips() throws {
        let cases: [HelloAck] = [
            HelloAck(),
            HelloAck(status: .unauthenticated, message: "nope"),
            HelloAck(status: .unimplemented, message: "no common version", chosenVersion: 0),
            HelloAck(chosenVersion: .max, limits: ConnectionLimits(maxFrameBody: 0, maxDecoded: 0, maxMetadata: 0,
                                                                    maxConcurrentStreams: 0),
                     keepaliveMinIntervalMs: .max, methods: []),
            HelloAck(chosenVersion: 1, limits: ConnectionLimits(maxFrameBody: .max, maxDecoded: .max, maxMetadata: .max,
                                                                 maxConcurrentStreams: .max),
                     methods: [MethodDescriptor(id: 0, name: "", minVersion: 0, maxVersion: 0),
                               MethodDescriptor(id: .max, name: "x", minVersion: .max, maxVersion: .max)]),
        ]
        for a in cases { #expect(try HelloAck.decode(a.encode()) == a) }
        for s in WireStatus.allCases {
            let a = HelloAck(status: s, message: s.name)
            #expect(try HelloAck.decode(a.encode()) == a)
        }
    }

    @Test func controlRoundTrips() throws {
        for p: UInt64 in [0, 1, 0x8000_0000_0000_0000, .max] {
            #expect(try Ping.decode(Ping(payload: p).encode()) == Ping(payload: p))
            #expect(try Pong.decode(Ping(payload: p).pong.encode()) == Pong(payload: p))
            #expect(Ping(payload: p).encode().count == 9)
        }
        for c in [Cancel(), Cancel(reason: "client gave up"), Cancel(reason: String(repeating: "é", count: 1000))] {
            #expect(try Cancel.decode(c.encode()) == c)
        }
        for g in [GoAway(), GoAway(status: .unavailable, message: "draining", lastStreamID: .max, retryAfterMs: .max),
                  GoAway(status: .dataLoss, lastStreamID: 1, retryAfterMs: 1)] {
            #expect(try GoAway.decode(g.encode()) == g)
        }
        for e in [ErrorDetail(status: .ok), ErrorDetail(status: .invalidArgument, message: "bad column", fieldPath: "x.y"),
                  ErrorDetail(status: .resourceExhausted, retryAfterMs: .max, fieldPath: ""),
                  ErrorDetail(status: .unauthenticated)] {
            #expect(try ErrorDetail.decode(e.encode()) == e)
        }
        let g = GoAway(status: .unavailable, lastStreamID: 7)
        #expect(g.willProcess(streamID: 7) && !g.willProcess(streamID: 8) && !g.willProcess(streamID: 0))
    }

    // MARK: - Forward compatibility

    @Test func unknownFieldsAreSkipped() throws {
        func withUnknowns(_ message: [UInt8]) -> [UInt8] {
            var w = ProtoWriter()
            w.writeVarintField(100, .max)
            w.writeFixed32Field(101, 7)
            w.writeFixed64Field(102, 8)
            w.writeStringField(103, "future")
            w.writeKey(field: ProtoWriter.maxFieldNumber, wireType: .lengthDelimited); w.writeLengthDelimited([1, 2, 3])
            return w.bytes + message + w.bytes
        }
        let h = Self.goldenHello
        #expect(try Hello.decode(withUnknowns(h.encode())) == h)
        #expect(try HelloAck.decode(withUnknowns(Self.goldenHelloAck.encode())) == Self.goldenHelloAck)
        #expect(try Cancel.decode(withUnknowns(Cancel(reason: "r").encode())) == Cancel(reason: "r"))
        #expect(try Ping.decode(withUnknowns(Ping(payload: 9).encode())) == Ping(payload: 9))
        #expect(try Pong.decode(withUnknowns(Pong(payload: 9).encode())) == Pong(payload: 9))
        let g = GoAway(status: .unavailable, message: "m", lastStreamID: 3, retryAfterMs: 100)
        #expect(try GoAway.decode(withUnknowns(g.encode())) == g)
        let e = ErrorDetail(status: .notFound, message: "m", retryAfterMs: 5, fieldPath: "col")
        #expect(try ErrorDetail.decode(withUnknowns(e.encode())) == e)

        // Unknown fields inside nested messages, and a known field with an unexpected wire type (skipped).
        var limits = ProtoWriter(); limits.writeVarintField(1, 1024); limits.writeStringField(9, "x")
        limits.writeFixed32Field(2, 5)        // wrong wire type for max_decoded: skipped
        var method = ProtoWriter(); method.writeVarintField(1, 3); method.writeDoubleField(50, 1.5)
        var ack = ProtoWriter()
        ack.writeBytesField(4, limits.bytes); ack.writeBytesField(6, method.bytes)
        ack.writeStringField(3, "not a varint") // wrong wire type for chosen_version: skipped
        let decoded = try HelloAck.decode(ack.bytes)
        #expect(decoded.limits == ConnectionLimits(maxFrameBody: 1024, maxDecoded: 0, maxMetadata: 0, maxConcurrentStreams: 0))
        #expect(decoded.methods == [MethodDescriptor(id: 3, name: "", minVersion: 0, maxVersion: 0)])
        #expect(decoded.chosenVersion == 0)
    }

    @Test func protobufDecodingRules() throws {
        // Unpacked repeated codecs are accepted too; packed and unpacked runs concatenate.
        var w = ProtoWriter()
        w.writeVarintField(6, 1); w.writeBytesField(6, [0x00, 0x02]); w.writeVarintField(6, 7)
        #expect(try Hello.decode(w.bytes).acceptedCodecs == [1, 0, 2, 7])
        // Last scalar wins; uint32 keeps the low 32 bits (protobuf semantics).
        w = ProtoWriter(); w.writeVarintField(1, 2); w.writeVarintField(1, (1 << 32) | 3)
        #expect(try Hello.decode(w.bytes).minWireVersion == 3)
        // A present-but-zero producer id is distinct from an absent one.
        #expect(try Hello.decode([0x38, 0x00]).producerID == 0)
        #expect(try Hello.decode([]).producerID == nil)
    }

    // MARK: - Malformed and hostile input

    @Test func malformedInputThrowsInvalidArgument() {
        let bad: [(String, [UInt8])] = [
            ("truncated varint", [0x08, 0x80]),
            ("length past end", [0x1A, 0x05, 0x61]),
            ("huge length", [0x1A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
            ("varint too long", [0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01]),
            ("group wire type", [0x0B]),
            ("field 0", [0x00, 0x01]),
            ("invalid utf8", [0x1A, 0x02, 0xC3, 0x28]),
            ("truncated packed", [0x32, 0x02, 0x80, 0x80]),
        ]
        for (name, b) in bad {
            #expect(throws: WireError.self, "\(name)") { try Hello.decode(b) }
            do { _ = try Hello.decode(b) } catch { #expect(error.code == .invalidArgument, "\(name)") }
        }
        // Status outside 0 ... 16.
        for b: [UInt8] in [[0x08, 17], [0x08, 0xFF, 0x01]] {
            #expect(throws: WireError.self) { try HelloAck.decode(b) }
            #expect(throws: WireError.self) { try ErrorDetail.decode(b) }
        }
        #expect(throws: WireError.self) { try GoAway.decode([0x18, 17]) }
        #expect(throws: WireError.self) { try Ping.decode([0x09, 1, 2, 3]) }   // truncated fixed64
        // A malformed nested message fails the outer one.
        #expect(throws: WireError.self) { try HelloAck.decode([0x22, 0x02, 0x08, 0x80]) }
        #expect(throws: WireError.self) { try HelloAck.decode([0x32, 0x03, 0x12, 0x01, 0xFF]) }
    }

    /// ≥ 10k seeded random mutations (bit flips, byte overwrites, truncation, insertion, splices) of valid
    /// messages: every one either decodes or throws INVALID_ARGUMENT — no trap, no other code.
    @Test func mutatedInputsDecodeOrThrow() {
        var rng = SplitMix64(seed: 0x5EED_12)
        let seeds: [[UInt8]] = [
            Self.goldenHello.encode(), Self.goldenHelloAck.encode(),
            GoAway(status: .unavailable, message: "drain", lastStreamID: 9, retryAfterMs: 1000).encode(),
            ErrorDetail(status: .notFound, message: "nf", retryAfterMs: 3, fieldPath: "c").encode(),
            Cancel(reason: "bye").encode(), Ping(payload: 0xDEAD_BEEF).encode(),
        ]
        var decoded = 0, thrown = 0
        for i in 0..<12_000 {
            var b = seeds[i % seeds.count]
            let edits = 1 + Int(rng.next() % 4)
            for _ in 0..<edits {
                let pos = b.isEmpty ? 0 : Int(rng.next() % UInt64(b.count))
                switch rng.next() % 6 {
                case 0 where !b.isEmpty: b[pos] ^= UInt8(1) << (rng.next() % 8)
                case 1 where !b.isEmpty: b[pos] = UInt8(truncatingIfNeeded: rng.next())
                case 2: b = Array(b.prefix(pos))
                case 3: b.insert(UInt8(truncatingIfNeeded: rng.next()), at: pos)
                case 4: b.insert(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], at: pos)
                default:
                    let other = seeds[Int(rng.next() % UInt64(seeds.count))]
                    b = Array(b.prefix(pos)) + other.suffix(Int(rng.next() % UInt64(other.count + 1)))
                }
            }
            // Every decoder sees every mutant.
            let outcomes: [WireError?] = [
                attempt(Hello.decode, b), attempt(HelloAck.decode, b), attempt(GoAway.decode, b),
                attempt(ErrorDetail.decode, b), attempt(Cancel.decode, b), attempt(Ping.decode, b),
                attempt(Pong.decode, b), attempt(ConnectionLimits.decode, b), attempt(MethodDescriptor.decode, b),
            ]
            for outcome in outcomes {
                guard let error = outcome else { decoded += 1; continue }
                thrown += 1
                if error.code != .invalidArgument || error.isConnectionError {
                    Issue.record("unexpected error \(error) for \(hexString(b))")
                }
            }
        }
        #expect(decoded > 0 && thrown > 0)
    }

    private func attempt<T>(_ decode: ([UInt8]) throws(WireError) -> T, _ b: [UInt8]) -> WireError? {
        do { _ = try decode(b); return nil } catch { return error }
    }

    // MARK: - Negotiation

    static let methods = [MethodDescriptor(id: 1, name: "Health"), MethodDescriptor(id: 3, name: "CheckDrift", maxVersion: 2)]

    @Test func overlappingRangesPickHighestCommonVersion() {
        let server = HandshakeNegotiator(supportedVersions: 2...5, keepaliveMinIntervalMs: 5000, methods: Self.methods)
        let cases: [(ClosedRange<UInt32>, UInt32)] = [(1...2, 2), (1...9, 5), (3...4, 4), (5...5, 5), (2...3, 3),
                                                      (4...UInt32.max, 5)]
        for (client, expected) in cases {
            let (ack, accepted) = server.respond(to: Hello(minWireVersion: client.lowerBound,
                                                           maxWireVersion: client.upperBound))
            #expect(accepted && ack.status == .ok && ack.isAccepted, "\(client)")
            #expect(ack.chosenVersion == expected, "\(client)")
            #expect(ack.limits == ConnectionLimits() && ack.keepaliveMinIntervalMs == 5000 && ack.methods == Self.methods)
        }
    }

    @Test func disjointRangesAreRejected() throws {
        let server = HandshakeNegotiator(supportedVersions: 2...3, methods: Self.methods)
        for client: ClosedRange<UInt32> in [1...1, 4...7, UInt32.max...UInt32.max] {
            let (ack, accepted) = server.respond(to: Hello(minWireVersion: client.lowerBound,
                                                           maxWireVersion: client.upperBound))
            #expect(!accepted)
            #expect(ack.status == .unimplemented && ack.status == HandshakeNegotiator.versionMismatchStatus)
            #expect(ack.chosenVersion == 0 && ack.limits == nil && ack.methods.isEmpty && !ack.message.isEmpty)
            #expect(try HelloAck.decode(ack.encode()) == ack)
        }
        // An inverted or zero range is a malformed HELLO.
        for (lo, hi): (UInt32, UInt32) in [(3, 2), (0, 0), (0, 3)] {
            let (ack, accepted) = server.respond(to: Hello(minWireVersion: lo, maxWireVersion: hi))
            #expect(!accepted && ack.status == .invalidArgument)
        }
    }

    @Test func authToken() {
        let server = HandshakeNegotiator(supportedVersions: 1...1, methods: Self.methods, requiredAuthToken: "s3cret-token")
        #expect(server.respond(to: Self.goldenHello).accepted)
        for token in ["", "s3cret-tokem", "s3cret-token ", "s3cret-toke", "S3CRET-TOKEN", "s3cret-token\u{0}"] {
            var hello = Self.goldenHello
            hello.authToken = token
            let (ack, accepted) = server.respond(to: hello)
            #expect(!accepted && ack.status == .unauthenticated, "\(token)")
            #expect(ack.limits == nil && ack.methods.isEmpty)
        }
        // Authentication is checked before versions: a bad token with disjoint versions is UNAUTHENTICATED.
        let (ack, _) = server.respond(to: Hello(minWireVersion: 7, maxWireVersion: 9, authToken: "wrong"))
        #expect(ack.status == .unauthenticated)
        // No token required: any token (or none) is accepted.
        let open = HandshakeNegotiator()
        #expect(open.respond(to: Hello()).accepted)
        #expect(open.respond(to: Hello(authToken: "anything")).accepted)
    }

    @Test func constantTimeEqualsMatchesEquality() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let a = (0..<Int(rng.next() % 6)).map { _ in UInt8(rng.next() % 3) }
            let b = (0..<Int(rng.next() % 6)).map { _ in UInt8(rng.next() % 3) }
            #expect(HandshakeNegotiator.constantTimeEquals(a, b) == (a == b))
        }
        #expect(HandshakeNegotiator.constantTimeEquals([UInt8](), [UInt8]()))
        #expect(!HandshakeNegotiator.constantTimeEquals([0], [UInt8]()))
    }

    @Test func limitsConvertToFrameLimits() {
        let l = ConnectionLimits(maxFrameBody: 1000, maxDecoded: 2000, maxMetadata: 300, maxConcurrentStreams: 4)
        #expect(l.frameLimits == FrameLimits(maxMetadata: 300, maxFrameBody: 1000, maxDecoded: 2000))
        #expect(ConnectionLimits(l.frameLimits, maxConcurrentStreams: 4) == l)
        #expect(ConnectionLimits(FrameLimits.default, maxConcurrentStreams: 100) == ConnectionLimits())
        #expect(FrameLimits.preHandshake.maxMetadata == 4096 && FrameLimits.preHandshake.maxFrameBody == 0)
    }
}
