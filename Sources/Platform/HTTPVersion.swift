/// The protocol versions this codec speaks (RFC 9112 §2.3).
public enum HTTPVersion: Sendable, Equatable, Hashable {
    case http10, http11

    var text: StaticString {
        switch self {
        case .http10: "HTTP/1.0"
        case .http11: "HTTP/1.1"
        }
    }
}
