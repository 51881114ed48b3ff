/// The `frame_type` byte (header offset 3).
///
///     1 HELLO  2 HELLO_ACK  3 REQUEST  4 RESPONSE  5 CANCEL  6 PING  7 PONG  8 GOAWAY
///     0 and 9 ... 255: reserved, a connection-level protocol error
public enum FrameType: UInt8, Sendable, Equatable, Hashable, CaseIterable, CustomStringConvertible {
    case hello = 1
    case helloAck = 2
    case request = 3
    case response = 4
    case cancel = 5
    case ping = 6
    case pong = 7
    case goAway = 8

    public var description: String {
        switch self {
        case .hello: "HELLO"
        case .helloAck: "HELLO_ACK"
        case .request: "REQUEST"
        case .response: "RESPONSE"
        case .cancel: "CANCEL"
        case .ping: "PING"
        case .pong: "PONG"
        case .goAway: "GOAWAY"
        }
    }
}
