/// The `codec` byte (header offset 6): how the frame body is encoded on the wire.
///
///     0 none   body_raw_len must equal body_len
///     1 zstd   the body is one independent zstd frame (no shared context or dictionary)
///     2 ...    reserved (2 is earmarked for lz4-frame); answered with UNIMPLEMENTED
public enum BodyCodec: UInt8, Sendable, Equatable, Hashable, CaseIterable {
    case none = 0
    case zstd = 1
}
