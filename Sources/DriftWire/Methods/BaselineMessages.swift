/// PutBaseline (method 4) request metadata; the frame body carries one `ColumnBlock` (§11, normally zstd).
/// proto/driftd.proto `PutBaselineRequest`.
///
///     1 source  string   2 block_count  uint32   3 last_block  bool
///
/// A baseline is uploaded as a sequence of PutBaseline requests, one block each, in order on one connection.
/// `block_count` is this block's 1-based position in the upload (the number of blocks sent so far, this one
/// included); 1 starts a new upload, discarding an unfinished one of the same source. `last_block` finalizes
/// the upload: the server builds and persists the baseline and answers with its id.
public struct PutBaselineRequest: Sendable, Equatable {
    public var source: String
    public var blockCount: UInt32
    public var lastBlock: Bool

    public init(source: String = "", blockCount: UInt32 = 0, lastBlock: Bool = false) {
        self.source = source
        self.blockCount = blockCount
        self.lastBlock = lastBlock
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, source)
        w.writeNonZero(2, UInt64(blockCount))
        w.writeTrue(3, lastBlock)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> PutBaselineRequest {
        var r = ProtoReader(bytes)
        var m = PutBaselineRequest()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.source = try r.readString()
            case (2, .varint): m.blockCount = try r.readUInt32()
            case (3, .varint): m.lastBlock = try r.readBool()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// PutBaseline (method 4) response metadata. proto/driftd.proto `PutBaselineResponse`.
///
///     1 baseline_id  uint64 (0 until the last block; then the new baseline's id, increasing per source)
///     2 rows  uint64 (rows received so far in this upload)   3 sampled  bool (more rows than the exact-KS cap:
///     numeric features keep a seeded uniform sample)   4 sample_size  uint64 (rows kept per numeric feature)
public struct PutBaselineResponse: Sendable, Equatable {
    public var baselineID: UInt64
    public var rows: UInt64
    public var sampled: Bool
    public var sampleSize: UInt64

    public init(baselineID: UInt64 = 0, rows: UInt64 = 0, sampled: Bool = false, sampleSize: UInt64 = 0) {
        self.baselineID = baselineID
        self.rows = rows
        self.sampled = sampled
        self.sampleSize = sampleSize
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZero(1, baselineID)
        w.writeNonZero(2, rows)
        w.writeTrue(3, sampled)
        w.writeNonZero(4, sampleSize)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> PutBaselineResponse {
        var r = ProtoReader(bytes)
        var m = PutBaselineResponse()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.baselineID = try r.readVarint()
            case (2, .varint): m.rows = try r.readVarint()
            case (3, .varint): m.sampled = try r.readBool()
            case (4, .varint): m.sampleSize = try r.readVarint()
            default: try r.skipField(type)
            }
        }
        return m
    }
}
