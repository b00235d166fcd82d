/// A request method (RFC 9110 §9). Methods are case-sensitive: `get` is not `GET`.
public enum HTTPMethod: Sendable, Equatable, Hashable {
    case get, head, post, put, delete, options, patch
    case other(String)

    /// Maps method bytes; `bytes` must already be a valid token.
    init(token bytes: UnsafeRawBufferPointer) {
        switch bytes.count {
        case 3 where HTTPBytes.equals(bytes, "GET"): self = .get
        case 3 where HTTPBytes.equals(bytes, "PUT"): self = .put
        case 4 where HTTPBytes.equals(bytes, "HEAD"): self = .head
        case 4 where HTTPBytes.equals(bytes, "POST"): self = .post
        case 5 where HTTPBytes.equals(bytes, "PATCH"): self = .patch
        case 6 where HTTPBytes.equals(bytes, "DELETE"): self = .delete
        case 7 where HTTPBytes.equals(bytes, "OPTIONS"): self = .options
        default: self = .other(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// The method as sent on the wire.
    public var name: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .delete: "DELETE"
        case .options: "OPTIONS"
        case .patch: "PATCH"
        case .other(let name): name
        }
    }
}
