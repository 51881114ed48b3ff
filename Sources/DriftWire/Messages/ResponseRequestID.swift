/// The request id every RESPONSE carries (PROTOCOL §13 "Request ids"): field 1000 (`request_id`, string) of the
/// RESPONSE metadata, whatever the message — the method's response or `ErrorDetail`.
///
/// It is appended after the message's own fields. Protobuf messages concatenate (a decoder reads the fields of
/// both), and every decoder skips unknown fields, so a peer that does not know the field reads the message
/// unchanged; no response message uses field 1000 for anything else.
///
///     var metadata = response.encode()
///     ResponseRequestID.append("3f9a0c12d45e6b78", to: &metadata)
///     ResponseRequestID.read(metadata)     // "3f9a0c12d45e6b78"
public enum ResponseRequestID {
    /// The field number, the same in every response message.
    public static let field = 1000

    /// Appends `requestID` as field 1000 (nothing when empty).
    public static func append(_ requestID: String, to metadata: inout [UInt8]) {
        guard !requestID.isEmpty else { return }
        var w = ProtoWriter(capacity: requestID.utf8.count + 4)
        w.writeStringField(field, requestID)
        metadata.append(contentsOf: w.bytes)
    }

    /// The request id in `metadata` (the last occurrence of field 1000), or nil when absent or the metadata is
    /// not a well-formed protobuf message.
    public static func read(_ metadata: [UInt8]) -> String? {
        var r = ProtoReader(metadata)
        var found: String? = nil
        do {
            while let (f, type) = try r.readKey() {
                if f == field && type == .lengthDelimited { found = try r.readString() } else { try r.skipField(type) }
            }
        } catch {
            return nil
        }
        return found
    }
}
