import DriftTestSupport
import DriftWire
import Foundation
import Testing

/// The monitoring method messages (proto/PROTOCOL.md §13, methods 7–15, and `SourceSpec.monitoring`): round trips
/// with every optional field absent and present, absent ≠ 0, golden bytes from tools/gen_method_fixtures.py,
/// unknown fields skipped, truncated input → typed `WireError`, seeded mutations decode or throw.
@Suite struct MonitoringMessageTests {
    static let window = WindowRange(startMs: 1_733_270_400_000, endMs: 1_733_274_000_000)
    static let fullMonitoring = MonitoringSpec(
        windowLengthMs: 3_600_000, windowRows: 10_000, eventTimeColumn: "event_time", graceMs: 300_000,
        valueCap: 100_000, maxEventAgeMs: 86_400_000, maxArrivalIntervalMs: 3_600_000, baselineMode: .rolling,
        rollingWindows: 24, persistenceK: 2, recoveryJ: 3, benjaminiHochberg: true,
        correlationGroups: [CorrelationGroup(features: ["amount", "qty"]), CorrelationGroup(features: ["a", "b", "c"])])
    static let verdict = FeatureVerdict(feature: "amount", kind: .numeric, baselineN: 1000, currentN: 900, ksD: 0.2,
                                        pValue: 1e-9, pValueMethod: "exact", decision: .drift, severity: .warning)
    static let fullRow = HistoryRow(
        source: "orders", feature: "amount", window: window, baselineID: 3, kind: .drift, test: "ks", statistic: 0.2,
        pValue: 1e-9, pAdjusted: 4e-9, effectName: "psi", effectValue: 0.27, thresholdWarning: 0.1,
        thresholdCritical: 0.25, baselineN: 1000, currentN: 900, decision: .drift, severity: .critical,
        status: .drifting, stale: true, reasons: ["ks p < 0.01", "psi 0.27 >= 0.25"])

    /// One full and one default value of every message.
    static var fullAndEmpty: [(String, any WireMessage, any WireMessage)] {
        [
            ("WindowRange", window, WindowRange()),
            ("CorrelationGroup", CorrelationGroup(features: ["x", "y"]), CorrelationGroup()),
            ("MonitoringSpec", fullMonitoring, MonitoringSpec()),
            ("IngestRequest", IngestRequest(source: "orders", idempotencyKey: "batch-17", blockTimestampMs: -5,
                                            allowLate: true), IngestRequest()),
            ("ClosedWindow", ClosedWindow(window: window, baselineID: 2, verdicts: [verdict, FeatureVerdict()]),
             ClosedWindow()),
            ("IngestResponse", IngestResponse(rowsAccepted: 9_000, rowsLate: 12, duplicate: true,
                                              windowsTouched: [window, WindowRange(startMs: 1)],
                                              windowsClosed: [ClosedWindow(window: window, verdicts: [verdict])]),
             IngestResponse()),
            ("ReportModelMetricRequest", ReportModelMetricRequest(
                source: "orders", model: "fraud-v3", metric: "auc", windowStartMs: 0, eventTimeMs: 1_733_270_400_123,
                value: 0.91, higherIsBetter: true), ReportModelMetricRequest()),
            ("ReportModelMetricResponse", ReportModelMetricResponse(window: window, replaced: true),
             ReportModelMetricResponse()),
            ("QueryHistoryRequest", QueryHistoryRequest(
                source: "orders", feature: "amount", kinds: [.drift, .modelMetric, HistoryKind(rawValue: 77)],
                sinceMs: -1, untilMs: 0, minSeverity: .warning, limit: 500, pageToken: [0, 1, 0xFF]),
             QueryHistoryRequest()),
            ("HistoryRow", fullRow, HistoryRow()),
            ("QueryHistoryResponse", QueryHistoryResponse(rows: [fullRow, HistoryRow(feature: "b")],
                                                          nextPageToken: [9, 8, 7]), QueryHistoryResponse()),
            ("GetSourceStatusRequest", GetSourceStatusRequest(source: "orders"), GetSourceStatusRequest()),
            ("FeatureStatusEntry", FeatureStatusEntry(feature: "amount", status: .recovering, severity: .warning,
                                                      sinceWindowStartMs: 0), FeatureStatusEntry()),
            ("GetSourceStatusResponse", GetSourceStatusResponse(
                freshness: .stale, eventAgeMs: 90_000_000, arrivalAgeMs: 0, staleRule: "max_event_age_ms 86400000",
                lastClosedWindow: window, features: [FeatureStatusEntry(feature: "amount", status: .ok)],
                baselineID: 0, lateRows: 4), GetSourceStatusResponse()),
            ("BaselineVersion", BaselineVersion(id: 4, rows: 1_000_000, createdMs: 1_733_270_400_000, kind: .rolling,
                                                current: true), BaselineVersion()),
            ("ListBaselinesRequest", ListBaselinesRequest(source: "orders"), ListBaselinesRequest()),
            ("ListBaselinesResponse", ListBaselinesResponse(baselines: [BaselineVersion(id: 1, kind: .fixed),
                                                                        BaselineVersion(id: 2, current: true)]),
             ListBaselinesResponse()),
            ("PromoteBaselineRequest", PromoteBaselineRequest(source: "orders", baselineID: 2),
             PromoteBaselineRequest()),
            ("RollbackBaselineRequest", RollbackBaselineRequest(source: "orders"), RollbackBaselineRequest()),
            ("BaselineChangeResponse", BaselineChangeResponse(current: BaselineVersion(id: 1, current: true),
                                                              previousID: 2), BaselineChangeResponse()),
            ("AcknowledgeWindowRequest", AcknowledgeWindowRequest(source: "orders", windowStartMs: -3_600_000),
             AcknowledgeWindowRequest()),
            ("AcknowledgeWindowResponse", AcknowledgeWindowResponse(acknowledged: true, window: window),
             AcknowledgeWindowResponse()),
            ("PerformanceCorrelationRequest", PerformanceCorrelationRequest(
                source: "orders", model: "fraud-v3", metric: "auc", windows: 168, maxLag: 3),
             PerformanceCorrelationRequest()),
            ("FeatureCorrelation", FeatureCorrelation(feature: "amount", rho: -0.62, lag: 1, n: 165, pValue: 1e-18,
                                                      rank: 1), FeatureCorrelation()),
            ("PerformanceCorrelationResponse", PerformanceCorrelationResponse(
                features: [FeatureCorrelation(feature: "amount", rho: 0, rank: 1), FeatureCorrelation()],
                windowsUsed: 168), PerformanceCorrelationResponse()),
        ]
    }

    /// Messages whose sub-message field is always written (so their default encodes to `key, 0`).
    static let alwaysWritten: [String: [UInt8]] = [
        "ClosedWindow": [0x0A, 0x00], "ReportModelMetricResponse": [0x0A, 0x00], "HistoryRow": [0x1A, 0x00],
        "BaselineChangeResponse": [0x0A, 0x00], "AcknowledgeWindowResponse": [0x12, 0x00],
    ]

    @Test func roundTripsFullAndEmpty() throws {
        for (name, full, empty) in Self.fullAndEmpty {
            #expect(try full.roundTrips(), "\(name) full")
            #expect(try empty.roundTrips(), "\(name) empty")
            #expect(empty.encode() == Self.alwaysWritten[name, default: []], "\(name) empty is minimal")
            #expect(full.encode().count > empty.encode().count, "\(name) full encodes more")
        }
    }

    @Test func sourceSpecMonitoringPresence() throws {
        let plain = SourceSpec(name: "s", features: [FeatureSpec(name: "a", type: 2)])
        var withDefaults = plain
        withDefaults.monitoring = MonitoringSpec()
        var full = plain
        full.monitoring = Self.fullMonitoring
        // Absent, present-but-empty and full stay distinct, and the old encoding is unchanged when absent.
        #expect(plain.encode() == [0x0A, 0x01, 0x73, 0x12, 0x05, 0x0A, 0x01, 0x61, 0x10, 0x02])
        #expect(withDefaults.encode() == plain.encode() + [0x1A, 0x00])
        for spec in [plain, withDefaults, full] { #expect(try spec.roundTrips()) }
        #expect(try SourceSpec.decode(plain.encode()).monitoring == nil)
        #expect(try SourceSpec.decode(withDefaults.encode()).monitoring == MonitoringSpec())
        // Equal specs encode byte-equally (CreateSource idempotency), different ones do not.
        #expect(full.encode() == SourceSpec(name: "s", features: plain.features, monitoring: Self.fullMonitoring).encode())
        var other = full
        other.monitoring?.persistenceK = 3
        #expect(other.encode() != full.encode())
    }

    @Test func optionalFieldsDistinguishAbsentFromZero() throws {
        let zeros = MonitoringSpec(windowLengthMs: 0, windowRows: 0, graceMs: 0, valueCap: 0, maxEventAgeMs: 0,
                                   maxArrivalIntervalMs: 0, rollingWindows: 0, persistenceK: 0, recoveryJ: 0,
                                   benjaminiHochberg: false)
        #expect(zeros.encode().count == 10 * 2)
        #expect(try MonitoringSpec.decode(zeros.encode()) == zeros)
        #expect(try MonitoringSpec.decode(zeros.encode()) != MonitoringSpec())
        let ingest = IngestRequest(blockTimestampMs: 0)
        #expect(ingest.encode() == [0x18, 0x00])
        #expect(try IngestRequest.decode(ingest.encode()).blockTimestampMs == 0)
        #expect(try IngestRequest.decode([]).blockTimestampMs == nil)
        let row = HistoryRow(statistic: 0, pValue: 0, pAdjusted: 0, effectValue: 0, thresholdWarning: 0,
                             thresholdCritical: 0)
        #expect(try HistoryRow.decode(row.encode()) == row)
        #expect(try HistoryRow.decode(HistoryRow().encode()).pAdjusted == nil)
        let status = GetSourceStatusResponse(eventAgeMs: 0, lastClosedWindow: WindowRange(), baselineID: 0)
        #expect(try GetSourceStatusResponse.decode(status.encode()) == status)
        #expect(try GetSourceStatusResponse.decode([]).lastClosedWindow == nil)
    }

    @Test func signedTimesUseZigZag() throws {
        #expect(WindowRange(startMs: -1, endMs: 1).encode() == [0x08, 0x01, 0x10, 0x02])
        #expect(try WindowRange.decode([0x08, 0x03]) == WindowRange(startMs: -2))
        let extremes = WindowRange(startMs: .min, endMs: .max)
        #expect(try extremes.roundTrips())
    }

    @Test func packedAndUnpackedKindsBothDecode() throws {
        let packed = QueryHistoryRequest(kinds: [.drift, .freshness]).encode()
        #expect(packed == [0x1A, 0x02, 0x01, 0x02])
        // A protoc-generated encoder may also write them one by one (unpacked); both are accepted.
        #expect(try QueryHistoryRequest.decode([0x18, 0x01, 0x18, 0x02]).kinds == [.drift, .freshness])
        #expect(try QueryHistoryRequest.decode(packed + [0x18, 0x03]).kinds == [.drift, .freshness, .modelMetric])
    }

    @Test func specialDoublesRoundTripBitExactly() throws {
        for bits in MethodMessageTests.specialBits {
            let x = Double(bitPattern: bits)
            let row = HistoryRow(statistic: x, pValue: x, pAdjusted: x, effectValue: x, thresholdWarning: x,
                                 thresholdCritical: x)
            let back = try HistoryRow.decode(row.encode())
            for f in [back.statistic, back.pValue, back.pAdjusted, back.effectValue, back.thresholdWarning,
                      back.thresholdCritical] {
                #expect(f?.bitPattern == bits)
            }
            let metric = try ReportModelMetricRequest.decode(ReportModelMetricRequest(value: x).encode())
            #expect(metric.value.bitPattern == bits)
            let corr = try FeatureCorrelation.decode(FeatureCorrelation(rho: x, pValue: x).encode())
            #expect(corr.rho?.bitPattern == bits && corr.pValue?.bitPattern == bits)
        }
    }

    @Test func unknownFieldsAreSkipped() throws {
        var junk = ProtoWriter()
        junk.writeVarintField(99, 12345)
        junk.writeFixed64Field(100, 0xDEAD_BEEF)
        junk.writeBytesField(101, [1, 2, 3, 0xFF])
        junk.writeFixed32Field(102, 7)
        junk.writeFixed32Field(1, 7)           // a known field number with a wire type no message uses for it
        for (name, full, _) in Self.fullAndEmpty {
            #expect(try full.decodesEqual(junk.bytes + full.encode() + junk.bytes), "\(name)")
        }
        // Inside the nested MonitoringSpec of a SourceSpec too.
        var spec = ProtoWriter()
        spec.writeStringField(1, "s")
        spec.writeBytesField(3, junk.bytes + Self.fullMonitoring.encode())
        #expect(try SourceSpec.decode(spec.bytes) == SourceSpec(name: "s", monitoring: Self.fullMonitoring))
    }

    @Test func truncatedInputThrowsTypedError() {
        for (name, full, _) in Self.fullAndEmpty {
            let bytes = full.encode()
            // Cutting one byte off the end always leaves a value or a length short.
            #expect(throws: WireError.self, "\(name)") { _ = try full.decodeOrThrowing(Array(bytes.dropLast())) }
            #expect { _ = try full.decodeOrThrowing(Array(bytes.dropLast())) } throws: {
                ($0 as? WireError)?.code == .invalidArgument && ($0 as? WireError)?.isConnectionError == false
            }
        }
        // Invalid UTF-8 in a string is refused like in the other codecs.
        #expect { try IngestRequest.decode([0x12, 0x02, 0xC3, 0x28]) } throws: {
            ($0 as? WireError)?.reason == .invalidUTF8
        }
        #expect { try MonitoringSpec.decode([0x6A, 0x02, 0x0A, 0x05]) } throws: { ($0 as? WireError)?.reason == .truncated }
    }

    // MARK: - Golden bytes (tools/gen_method_fixtures.py; also parsed and re-serialized identically by protoc's Python)

    static let sourceSpecMonitoringHex =
        "0a066f7264657273120a0a06616d6f756e74100212060a02747310061a290880dddb011a02747320003080b89929400248185002"
        + "580360006a0d0a06616d6f756e740a03717479"
    static let ingestResponseHex =
        "08864e100a220e0880b0bbeff1641080eaf2f2f164220508ffb9b7032a430a0e0880f683ecf1641080b0bbeff16410031a2f0a06"
        + "616d6f756e74100118e80720864e39000000000000d03f4111ea2d819997713d4a056578616374900102980101"
    static let h0: Int64 = 1_733_270_400_000
    static let hour: Int64 = 3_600_000

    static let goldenSourceSpec = SourceSpec(
        name: "orders", features: [FeatureSpec(name: "amount", type: 2), FeatureSpec(name: "ts", type: 6)],
        monitoring: MonitoringSpec(windowLengthMs: 3_600_000, eventTimeColumn: "ts", graceMs: 0,
                                   maxEventAgeMs: 86_400_000, baselineMode: .rolling, rollingWindows: 24,
                                   persistenceK: 2, recoveryJ: 3, benjaminiHochberg: false,
                                   correlationGroups: [CorrelationGroup(features: ["amount", "qty"])]))
    static let goldenIngestResponse = IngestResponse(
        rowsAccepted: 9_990, rowsLate: 10, duplicate: false,
        windowsTouched: [WindowRange(startMs: h0, endMs: h0 + hour), WindowRange(startMs: -hour, endMs: 0)],
        windowsClosed: [ClosedWindow(window: WindowRange(startMs: h0 - hour, endMs: h0), baselineID: 3, verdicts: [
            FeatureVerdict(feature: "amount", kind: .numeric, baselineN: 1000, currentN: 9_990, ksD: 0.25,
                           pValue: 1e-12, pValueMethod: "exact", decision: .drift, severity: .warning)])])

    @Test func goldenBytes() throws {
        let cases: [(String, String, any WireMessage)] = [
            ("source_spec_monitoring", Self.sourceSpecMonitoringHex, Self.goldenSourceSpec),
            ("ingest_response", Self.ingestResponseHex, Self.goldenIngestResponse),
        ]
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("proto/fixtures")
        for (name, hex, message) in cases {
            let golden = bytes(hex: hex)
            #expect(hexString(message.encode()) == hex, "\(name)")
            #expect(try message.decodesEqual(golden), "\(name)")
            let file = [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name + ".bin")))
            #expect(file == golden, "\(name).bin")
        }
        #expect(bytes(hex: Self.sourceSpecMonitoringHex).count == 71 && bytes(hex: Self.ingestResponseHex).count == 97)
        let spec = try SourceSpec.decode(bytes(hex: Self.sourceSpecMonitoringHex))
        #expect(spec.monitoring?.graceMs == 0 && spec.monitoring?.valueCap == nil)
        #expect(spec.monitoring?.benjaminiHochberg == false && spec.monitoring?.windowRows == nil)
        let ingest = try IngestResponse.decode(bytes(hex: Self.ingestResponseHex))
        #expect(ingest.windowsTouched[1].startMs == -3_600_000 && ingest.windowsClosed[0].verdicts[0].pValue == 1e-12)
    }

    @Test func seededMutationsDecodeOrThrow() throws {
        var rng = SplitMix64(seed: 0x00C0_FFEE)
        var total = 0
        var decodedCount = 0
        for (name, message, _) in Self.fullAndEmpty {
            let base = message.encode()
            for _ in 0..<2_000 {
                switch message.decodeOrThrow(MethodMessageTests.mutate(base, &rng)) {
                case .decoded(let reencoded):
                    decodedCount += 1
                    guard case .decoded(let again) = message.decodeOrThrow(reencoded) else {
                        Issue.record("\(name): re-encoded mutation failed to decode"); continue
                    }
                    #expect(again == reencoded, "\(name)")
                case .threw(let error):
                    #expect(error.code == .invalidArgument && !error.isConnectionError, "\(name)")
                }
                total += 1
            }
        }
        #expect(total == 2_000 * Self.fullAndEmpty.count)
        #expect(decodedCount > 0 && decodedCount < total)
    }
}

extension WireMessage {
    /// `Self.decode`, rethrowing as an untyped error (for `#expect(throws:)`).
    func decodeOrThrowing(_ bytes: [UInt8]) throws -> Self { try Self.decode(bytes) }
}

extension WindowRange: WireMessage {}
extension CorrelationGroup: WireMessage {}
extension MonitoringSpec: WireMessage {}
extension IngestRequest: WireMessage {}
extension ClosedWindow: WireMessage {}
extension IngestResponse: WireMessage {}
extension ReportModelMetricRequest: WireMessage {}
extension ReportModelMetricResponse: WireMessage {}
extension QueryHistoryRequest: WireMessage {}
extension HistoryRow: WireMessage {}
extension QueryHistoryResponse: WireMessage {}
extension GetSourceStatusRequest: WireMessage {}
extension FeatureStatusEntry: WireMessage {}
extension GetSourceStatusResponse: WireMessage {}
extension BaselineVersion: WireMessage {}
extension ListBaselinesRequest: WireMessage {}
extension ListBaselinesResponse: WireMessage {}
extension PromoteBaselineRequest: WireMessage {}
extension RollbackBaselineRequest: WireMessage {}
extension BaselineChangeResponse: WireMessage {}
extension AcknowledgeWindowRequest: WireMessage {}
extension AcknowledgeWindowResponse: WireMessage {}
extension PerformanceCorrelationRequest: WireMessage {}
extension FeatureCorrelation: WireMessage {}
extension PerformanceCorrelationResponse: WireMessage {}
