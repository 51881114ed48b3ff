import DriftTestSupport
import DriftWire
import Foundation
import Testing

/// The RPC method messages (proto/PROTOCOL.md §13): the method table, round trips with full and empty content,
/// optional-field presence, NaN/±inf/−0 bit-exactness, golden bytes from an independent encoder
/// (tools/gen_method_fixtures.py, also in proto/fixtures/check_drift_response.bin), unknown fields and seeded
/// mutations (every decoder decodes or throws, never traps).
@Suite struct MethodMessageTests {
    // MARK: - Sample values

    static let fullPolicy = PolicyOverrides(significance: 0.05, psiWarning: 0.2, psiCritical: 0.4,
                                            wassersteinWarning: 0.15, wassersteinCritical: 0.6,
                                            jensenShannonWarning: 0.05, jensenShannonCritical: 0.3,
                                            nullRateWarning: 0.01, nullRateCritical: 0.1, bins: 20)
    static let source = SourceSpec(name: "orders", features: [
        FeatureSpec(name: "amount", type: 1, policy: fullPolicy),
        FeatureSpec(name: "country", type: 5, policy: PolicyOverrides(bins: 0)),
        FeatureSpec(name: "qty", type: 3),
    ])
    static let fullVerdict = FeatureVerdict(
        feature: "amount", kind: .numeric, baselineN: 1_000_000, currentN: 10_000, baselineNullRate: 0.01,
        currentNullRate: 0.02, ksD: 0.07, pValue: 1e-30, pValueMethod: "asymptotic", psi: 0.3, jensenShannon: 0.04,
        wasserstein: 0.5, wassersteinNormed: 0.25, chiSquare: 12.5, chiSquareDOF: 9, unseenCategories: 3,
        nullRateP: 0.2, decision: .drift, severity: .critical, reasons: ["ks", "psi"], notes: ["n1", "n2"],
        approximate: true, ksErrorBound: 0.003)

    /// One full and one default value of every message.
    static var fullAndEmpty: [(String, any WireMessage, any WireMessage)] {
        [
            ("PolicyOverrides", fullPolicy, PolicyOverrides()),
            ("FeatureSpec", source.features[0], FeatureSpec()),
            ("SourceSpec", source, SourceSpec()),
            ("CreateSourceRequest", CreateSourceRequest(source: source), CreateSourceRequest()),
            ("CreateSourceResponse", CreateSourceResponse(created: true), CreateSourceResponse()),
            ("GetSourceRequest", GetSourceRequest(name: "orders"), GetSourceRequest()),
            ("GetSourceResponse", GetSourceResponse(source: source, baselineID: 3), GetSourceResponse()),
            ("ListSourcesRequest", ListSourcesRequest(pageToken: "orders", pageSize: 50), ListSourcesRequest()),
            ("ListSourcesResponse", ListSourcesResponse(sources: [source, SourceSpec(name: "b")], nextPageToken: "b"),
             ListSourcesResponse()),
            ("PutBaselineRequest", PutBaselineRequest(source: "orders", blockCount: 4, lastBlock: true),
             PutBaselineRequest()),
            ("PutBaselineResponse", PutBaselineResponse(baselineID: 2, rows: 5_000_000, sampled: true,
                                                        sampleSize: 1_000_000), PutBaselineResponse()),
            ("CheckDriftRequest", CheckDriftRequest(source: "orders", allowApproximate: true, requestID: "r-1"),
             CheckDriftRequest()),
            ("FeatureVerdict", fullVerdict, FeatureVerdict()),
            ("ServerTimings", ServerTimings(queueWaitUs: 1, decodeUs: 2, computeUs: UInt64.max), ServerTimings()),
            ("CheckDriftResponse", CheckDriftResponse(baselineID: 9, verdicts: [fullVerdict, FeatureVerdict()],
                                                      timings: ServerTimings(queueWaitUs: 5), approximate: true),
             CheckDriftResponse()),
            ("ServerStatsRequest", ServerStatsRequest(), ServerStatsRequest()),
            ("MethodCount", MethodCount(methodID: 5, count: 77), MethodCount()),
            ("ServerStatsResponse", ServerStatsResponse(
                uptimeMs: 1, requestsTotal: 2, requestsByMethod: [MethodCount(methodID: 5, count: 2), MethodCount()],
                errorsTotal: 3, budgetMissesTotal: 4, valuesProcessedTotal: 5, bytesReceivedTotal: 6, inFlight: 7,
                connections: 8), ServerStatsResponse()),
        ]
    }

    // MARK: - Method table

    @Test func methodTable() {
        #expect(MethodID.allCases.map(\.rawValue) == Array(1...18))
        #expect(MethodID.allCases.map(\.name)
                == ["CreateSource", "GetSource", "ListSources", "PutBaseline", "CheckDrift", "ServerStats",
                    "Ingest", "ReportModelMetric", "QueryHistory", "GetSourceStatus", "ListBaselines",
                    "PromoteBaseline", "RollbackBaseline", "AcknowledgeWindow", "PerformanceCorrelation",
                    "CreateSilence", "ExpireSilence", "ListAlerts"])
        #expect(MethodID.descriptors.map(\.id) == Array(1...18))
        #expect(MethodID.descriptors.allSatisfy { $0.minVersion == 1 && $0.maxVersion == 1 })
        #expect(MethodID(name: "CheckDrift") == .checkDrift)
        #expect(MethodID(name: "checkdrift") == nil)
        #expect(MethodID(rawValue: 0) == nil && MethodID(rawValue: 19) == nil)
        #expect(MethodID.checkDrift.supports(version: 1) && !MethodID.checkDrift.supports(version: 2))
        #expect(MethodID.allCases.filter(\.carriesBlock) == [.putBaseline, .checkDrift, .ingest])
    }

    @Test func methodTableInHelloAck() throws {
        let negotiator = HandshakeNegotiator(methods: MethodID.descriptors)
        let (ack, accepted) = negotiator.respond(to: Hello())
        #expect(accepted)
        let decoded = try HelloAck.decode(ack.encode())
        #expect(decoded.methods == MethodID.descriptors)
        #expect(decoded.methods.compactMap { MethodID(rawValue: UInt16($0.id)) } == MethodID.allCases)
    }

    // MARK: - Round trips

    @Test func roundTripsFullAndEmpty() throws {
        for (name, full, empty) in Self.fullAndEmpty {
            #expect(try full.roundTrips(), "\(name) full")
            #expect(try empty.roundTrips(), "\(name) empty")
            #expect(!full.encode().isEmpty || name == "ServerStatsRequest", "\(name) full encodes something")
        }
    }

    /// proto3: default values encode to nothing, except the always-written `source` sub-messages.
    @Test func emptyMessagesAreMinimal() {
        for (name, _, empty) in Self.fullAndEmpty {
            let expected: [UInt8] = ["CreateSourceRequest", "GetSourceResponse"].contains(name) ? [0x0A, 0x00] : []
            #expect(empty.encode() == expected, "\(name)")
        }
        #expect(PolicyOverrides().isEmpty && !Self.fullPolicy.isEmpty)
        // Empty policy and timings sub-messages are not written.
        #expect(FeatureSpec(name: "a").encode() == [0x0A, 0x01, 0x61])
        #expect(CheckDriftResponse(baselineID: 1).encode() == [0x08, 0x01])
    }

    @Test func fieldNumbersAreStable() {
        #expect(GetSourceRequest(name: "ab").encode() == [0x0A, 0x02, 0x61, 0x62])
        #expect(PutBaselineRequest(source: "s", blockCount: 2, lastBlock: true).encode()
                == [0x0A, 0x01, 0x73, 0x10, 0x02, 0x18, 0x01])
        #expect(ServerTimings(queueWaitUs: 1, decodeUs: 2, computeUs: 3).encode()
                == [0x08, 0x01, 0x10, 0x02, 0x18, 0x03])
        #expect(ServerStatsResponse(connections: 1).encode() == [0x48, 0x01])
        #expect(FeatureVerdict(ksErrorBound: 0).encode() == [0xB9, 0x01] + [UInt8](repeating: 0, count: 8))
    }

    // MARK: - Optional presence

    @Test func optionalDoublesDistinguishAbsentFromZero() throws {
        let zeros = PolicyOverrides(significance: 0, psiWarning: 0, psiCritical: 0, wassersteinWarning: 0,
                                    wassersteinCritical: 0, jensenShannonWarning: 0, jensenShannonCritical: 0,
                                    nullRateWarning: 0, nullRateCritical: 0, bins: 0)
        #expect(zeros.encode().count == 9 * 9 + 2)
        #expect(try PolicyOverrides.decode(zeros.encode()) == zeros)
        #expect(try PolicyOverrides.decode(PolicyOverrides().encode()) == PolicyOverrides())
        // Each field alone: present-and-zero stays present, the others stay absent.
        let paths: [WritableKeyPath<PolicyOverrides, Double?>] = [
            \.significance, \.psiWarning, \.psiCritical, \.wassersteinWarning, \.wassersteinCritical,
            \.jensenShannonWarning, \.jensenShannonCritical, \.nullRateWarning, \.nullRateCritical]
        for p in paths {
            var one = PolicyOverrides()
            one[keyPath: p] = 0
            let back = try PolicyOverrides.decode(one.encode())
            #expect(back == one)
            #expect(back[keyPath: p] == 0)
        }

        let verdictZeros = FeatureVerdict(ksD: 0, pValue: 0, psi: 0, jensenShannon: 0, wasserstein: 0,
                                          wassersteinNormed: 0, chiSquare: 0, chiSquareDOF: 0, unseenCategories: 0,
                                          nullRateP: 0, ksErrorBound: 0)
        let back = try FeatureVerdict.decode(verdictZeros.encode())
        #expect(back == verdictZeros)
        #expect(back != FeatureVerdict())
        #expect(try FeatureVerdict.decode(FeatureVerdict().encode()).ksD == nil)
        #expect(try GetSourceResponse.decode(GetSourceResponse(baselineID: 0).encode()).baselineID == 0)
        #expect(try GetSourceResponse.decode(GetSourceResponse().encode()).baselineID == nil)
    }

    // MARK: - NaN, ±inf, −0

    static let specialBits: [UInt64] = [
        0x7FF8_0000_0000_0000,  // quiet NaN
        0x7FF0_0000_0000_0001,  // signalling NaN payload
        0xFFF8_DEAD_BEEF_0001,  // negative NaN with payload
        Double.infinity.bitPattern, (-Double.infinity).bitPattern,
        (-0.0 as Double).bitPattern, Double.leastNonzeroMagnitude.bitPattern, Double.greatestFiniteMagnitude.bitPattern,
    ]

    @Test(arguments: specialBits)
    func specialDoublesRoundTripBitExactly(bits: UInt64) throws {
        let x = Double(bitPattern: bits)
        let v = FeatureVerdict(baselineNullRate: x, currentNullRate: x, ksD: x, pValue: x, psi: x, jensenShannon: x,
                               wasserstein: x, wassersteinNormed: x, chiSquare: x, nullRateP: x, ksErrorBound: x)
        let back = try FeatureVerdict.decode(v.encode())
        let fields: [Double?] = [back.baselineNullRate, back.currentNullRate, back.ksD, back.pValue, back.psi,
                                 back.jensenShannon, back.wasserstein, back.wassersteinNormed, back.chiSquare,
                                 back.nullRateP, back.ksErrorBound]
        for f in fields { #expect(f?.bitPattern == bits) }
        #expect(back.encode() == v.encode())

        let p = PolicyOverrides(significance: x, psiWarning: x, psiCritical: x, wassersteinWarning: x,
                                wassersteinCritical: x, jensenShannonWarning: x, jensenShannonCritical: x,
                                nullRateWarning: x, nullRateCritical: x)
        let pb = try PolicyOverrides.decode(p.encode())
        let pf: [Double?] = [pb.significance, pb.psiWarning, pb.psiCritical, pb.wassersteinWarning,
                             pb.wassersteinCritical, pb.jensenShannonWarning, pb.jensenShannonCritical,
                             pb.nullRateWarning, pb.nullRateCritical]
        for f in pf { #expect(f?.bitPattern == bits) }
    }

    // MARK: - Golden bytes (tools/gen_method_fixtures.py)

    static let checkDriftResponseHex =
        "08071283010a06616d6f756e74100118c0843d20904e317b14ae47e17a643f39f46c567daeb6b23f4100000000000000004a0662"
        + "696e6e656451d7a3703d0ad7d33f61000000000000f07f69e17a14ae47e1ca3f900102980102a2010b6b732070203c20302e3031"
        + "a2011070736920302e3331203e3d20302e3235b00101b901fca9f1d24d62703f12730a07636f756e747279100218d8fc3c2090"
        + "4e29fca9f1d24d62503f310000000000000080417b14ae47e17ad43f4a0a6368692d73717561726559fa7e6abc7493883f7100"
        + "00000000000c4078008001028901000000000000f87f900101aa01133220756e7365656e2063617465676f726965731a08080c"
        + "10d40218d30e2001"

    static let goldenCheckDriftResponse = CheckDriftResponse(
        baselineID: 7,
        verdicts: [
            FeatureVerdict(feature: "amount", kind: .numeric, baselineN: 1_000_000, currentN: 10_000,
                           baselineNullRate: 0, currentNullRate: 0.0025, ksD: 0.0731, pValue: 0,
                           pValueMethod: "binned", psi: 0.31, wasserstein: .infinity, wassersteinNormed: 0.21,
                           decision: .drift, severity: .critical, reasons: ["ks p < 0.01", "psi 0.31 >= 0.25"],
                           approximate: true, ksErrorBound: 0.004),
            FeatureVerdict(feature: "country", kind: .categorical, baselineN: 999_000, currentN: 10_000,
                           baselineNullRate: 0.001, currentNullRate: -0.0, pValue: 0.32, pValueMethod: "chi-square",
                           jensenShannon: 0.012, chiSquare: 3.5, chiSquareDOF: 0, unseenCategories: 2,
                           nullRateP: Double(bitPattern: 0x7FF8_0000_0000_0000), decision: .stable, severity: .none,
                           notes: ["2 unseen categories"]),
        ],
        timings: ServerTimings(queueWaitUs: 12, decodeUs: 340, computeUs: 1875),
        approximate: true)

    @Test func goldenCheckDriftResponseBytes() throws {
        let golden = bytes(hex: Self.checkDriftResponseHex)
        #expect(golden.count == 265)
        #expect(hexString(Self.goldenCheckDriftResponse.encode()) == Self.checkDriftResponseHex)
        let decoded = try CheckDriftResponse.decode(golden)
        #expect(decoded.encode() == golden)
        // NaN != NaN, so compare the NaN field by bits and everything else with ==.
        #expect(decoded.verdicts[1].nullRateP?.bitPattern == 0x7FF8_0000_0000_0000)
        #expect(decoded.verdicts[1].currentNullRate.bitPattern == (-0.0 as Double).bitPattern)
        var a = decoded, b = Self.goldenCheckDriftResponse
        a.verdicts[1].nullRateP = 1
        b.verdicts[1].nullRateP = 1
        #expect(a == b)
        #expect(decoded.verdicts[0].pValue == 0 && decoded.verdicts[0].jensenShannon == nil)
        #expect(decoded.verdicts[1].chiSquareDOF == 0 && decoded.verdicts[1].ksD == nil)
    }

    @Test func fixtureFileMatches() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("proto/fixtures/check_drift_response.bin")
        #expect([UInt8](try Data(contentsOf: url)) == bytes(hex: Self.checkDriftResponseHex))
    }

    @Test func truncatedGoldenThrows() {
        let golden = bytes(hex: Self.checkDriftResponseHex)
        // Cutting inside the top-level verdict or timings field leaves a length running past the end.
        for cut in [3, 100, 200, 257, golden.count - 1] {
            #expect(throws: WireError.self) { try CheckDriftResponse.decode(Array(golden[..<cut])) }
        }
    }

    // MARK: - Open enums, unknown fields

    @Test func unknownEnumValuesArePreserved() throws {
        let v = FeatureVerdict(kind: .init(rawValue: 7), decision: .init(rawValue: 42), severity: .init(rawValue: 9))
        #expect(try FeatureVerdict.decode(v.encode()) == v)
        #expect(FeatureVerdict.Decision.insufficientData.rawValue == 3)
    }

    /// Unknown fields of every wire type, and known field numbers with an unexpected wire type, are skipped.
    @Test func unknownFieldsAreSkipped() throws {
        var junk = ProtoWriter()
        junk.writeVarintField(99, 12345)
        junk.writeFixed64Field(100, 0xDEAD_BEEF)
        junk.writeBytesField(101, [1, 2, 3, 0xFF])
        junk.writeFixed32Field(102, 7)
        junk.writeFixed32Field(1, 7)           // field 1 with a wire type no message uses for it
        junk.writeVarintField(536_870_911, 1)  // the largest field number
        for (name, full, _) in Self.fullAndEmpty {
            #expect(try full.decodesEqual(junk.bytes + full.encode() + junk.bytes), "\(name)")
        }
        // Inside nested messages too.
        var spec = ProtoWriter()
        spec.writeBytesField(2, junk.bytes + Self.source.features[0].encode())
        spec.writeStringField(1, "orders")
        #expect(try SourceSpec.decode(spec.bytes) == SourceSpec(name: "orders", features: [Self.source.features[0]]))
    }

    @Test func lastScalarWinsAndRepeatedAppend() throws {
        var w = ProtoWriter()
        w.writeVarintField(1, 3)
        w.writeBytesField(2, FeatureVerdict(feature: "a").encode())
        w.writeVarintField(1, 4)
        w.writeBytesField(2, FeatureVerdict(feature: "b").encode())
        let m = try CheckDriftResponse.decode(w.bytes)
        #expect(m.baselineID == 4 && m.verdicts.map(\.feature) == ["a", "b"])
    }

    @Test func malformedInputThrowsInvalidArgument() {
        let cases: [[UInt8]] = [
            [0x0A, 0x05, 0x61],             // length past the end
            [0x0B],                         // wire type 3
            [0x00, 0x01],                   // field 0
            [0x0A, 0x02, 0xC3, 0x28],       // invalid UTF-8
            [0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01],  // varint too long
            [0x39, 0x00, 0x00],             // fixed64 truncated
        ]
        for c in cases {
            #expect { try GetSourceRequest.decode(c) } throws: { ($0 as? WireError)?.code == .invalidArgument }
            #expect(throws: WireError.self) { try CheckDriftRequest.decode(c) }
        }
        // A sub-message that is itself malformed fails the outer decode.
        #expect(throws: WireError.self) { try CheckDriftResponse.decode([0x12, 0x02, 0x0A, 0x05]) }
        #expect(throws: WireError.self) { try FeatureVerdict.decode([0x39, 0x00]) }
    }

    // MARK: - Seeded mutations

    static let mutationsPerDecoder = 5_000

    @Test func seededMutationsDecodeOrThrow() throws {
        var rng = SplitMix64(seed: 0x5EED_3E7D)
        var total = 0
        var decodedCount = 0
        let seeds: [(String, any WireMessage)] = Self.fullAndEmpty.map { ($0.0, $0.1) }
            + [("CheckDriftResponse", Self.goldenCheckDriftResponse)]
        for (name, message) in seeds {
            let base = message.encode()
            for _ in 0..<Self.mutationsPerDecoder {
                let input = Self.mutate(base, &rng)
                switch message.decodeOrThrow(input) {
                case .decoded(let reencoded):
                    decodedCount += 1
                    // Whatever decodes re-encodes to something that decodes to the same encoding.
                    guard case .decoded(let again) = message.decodeOrThrow(reencoded) else {
                        Issue.record("\(name): re-encoded mutation failed to decode"); continue
                    }
                    #expect(again == reencoded, "\(name)")
                case .threw(let error):
                    #expect(error.code == .invalidArgument, "\(name)")
                    #expect(!error.isConnectionError, "\(name)")
                }
                total += 1
            }
        }
        #expect(total >= Self.mutationsPerDecoder * 18)
        #expect(decodedCount > 0 && decodedCount < total)
    }

    static func mutate(_ base: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var b = base
        for _ in 0...rng.below(3) {
            switch rng.below(6) {
            case 0 where !b.isEmpty: b[rng.below(b.count)] ^= UInt8(1 << rng.below(8))
            case 1 where !b.isEmpty: b[rng.below(b.count)] = UInt8(truncatingIfNeeded: rng.next())
            case 2 where !b.isEmpty: b.removeSubrange(rng.below(b.count)...)
            case 3: b.insert(UInt8(truncatingIfNeeded: rng.next()), at: rng.below(b.count + 1))
            case 4 where !b.isEmpty: b.remove(at: rng.below(b.count))
            default:
                let junk = (0..<rng.below(12)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                b.insert(contentsOf: junk, at: rng.below(b.count + 1))
            }
        }
        return b
    }
}

// MARK: - Generic helpers

enum DecodeOutcome {
    case decoded([UInt8])
    case threw(WireError)
}

protocol WireMessage: Sendable, Equatable {
    func encode() -> [UInt8]
    static func decode(_ bytes: [UInt8]) throws(WireError) -> Self
}

extension WireMessage {
    /// decode(encode(m)) == m and re-encoding is byte-identical.
    func roundTrips() throws -> Bool {
        let bytes = encode()
        let back = try Self.decode(bytes)
        return back == self && back.encode() == bytes
    }

    func decodesEqual(_ bytes: [UInt8]) throws -> Bool { try Self.decode(bytes) == self }

    /// Decodes `bytes` as this message's type, re-encoding the result.
    func decodeOrThrow(_ bytes: [UInt8]) -> DecodeOutcome {
        do throws(WireError) { return .decoded(try Self.decode(bytes).encode()) } catch { return .threw(error) }
    }
}

extension PolicyOverrides: WireMessage {}
extension FeatureSpec: WireMessage {}
extension SourceSpec: WireMessage {}
extension CreateSourceRequest: WireMessage {}
extension CreateSourceResponse: WireMessage {}
extension GetSourceRequest: WireMessage {}
extension GetSourceResponse: WireMessage {}
extension ListSourcesRequest: WireMessage {}
extension ListSourcesResponse: WireMessage {}
extension PutBaselineRequest: WireMessage {}
extension PutBaselineResponse: WireMessage {}
extension CheckDriftRequest: WireMessage {}
extension FeatureVerdict: WireMessage {}
extension ServerTimings: WireMessage {}
extension CheckDriftResponse: WireMessage {}
extension ServerStatsRequest: WireMessage {}
extension MethodCount: WireMessage {}
extension ServerStatsResponse: WireMessage {}
