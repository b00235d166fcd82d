import Platform

/// What went wrong talking to Roost, sorted by what the user should do about it. The
/// CLI maps each kind to its own exit code.
public enum ClientError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Bad flags or arguments (exit 2).
    case usage(String)
    /// No endpoint answered (exit 3).
    case unreachable(String)
    /// The server answered with an error (exit 1): etcd's gRPC code and message.
    case server(status: Int, code: Int, message: String)
    /// The server's answer made no sense (exit 1).
    case protocolError(String)

    public var description: String {
        switch self {
        case .usage(let message): return message
        case .unreachable(let message): return message
        case .server(_, _, let message): return message
        case .protocolError(let message): return "unexpected response: \(message)"
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .usage: return 2
        case .unreachable: return 3
        case .server, .protocolError: return 1
        }
    }
}
