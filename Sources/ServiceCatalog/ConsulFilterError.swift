import Platform

/// A `?filter` expression Consul rejects. `message` is the whole plain-text body Consul
/// answers with (a 500: Consul raises it in its RPC layer), so the gateway can send it
/// verbatim.
///
/// Every message starts with the prefix go-bexpr's `CreateFilter` wraps parse and
/// validation errors in (`filter.go`: `"Failed to create boolean expression evaluator: %v"`),
/// which is what Consul's endpoints return unchanged (`agent/consul/catalog_endpoint.go`).
public struct ConsulFilterError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }

    /// The prefix of every filter error, from go-bexpr's `CreateFilter`.
    public static let prefix = "Failed to create boolean expression evaluator: "

    /// An error whose detail follows the go-bexpr prefix.
    static func evaluator(_ detail: String) -> ConsulFilterError {
        ConsulFilterError(message: prefix + detail)
    }
}
