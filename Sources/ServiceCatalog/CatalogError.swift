/// A request the catalog rejects, as Consul reports it: an HTTP status and the plain-text body
/// (Consul answers errors with the Go error string, not JSON; reference/consul.md §0).
///
/// 400 is Consul's HTTP-layer validation (`agent/agent_endpoint.go`); 500 is what Consul
/// returns for the same kind of error raised inside its RPC layer (catalog and session
/// validation in `agent/consul/*_endpoint.go`), which clients see as a server error.
public struct CatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status Consul answers with.
    public var status: Int
    /// The plain-text response body.
    public var message: String

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status) \(message)" }

    /// 400 with `message`.
    public static func badRequest(_ message: String) -> CatalogError {
        CatalogError(status: 400, message: message)
    }

    /// 500 with `message`: errors Consul raises in its RPC layer.
    public static func serverError(_ message: String) -> CatalogError {
        CatalogError(status: 500, message: message)
    }

    /// A body that is not the JSON Consul expects (`agent/http.go` `decodeBody`).
    public static func decodeFailed(_ detail: String) -> CatalogError {
        badRequest("Request decode failed: \(detail)")
    }
}
