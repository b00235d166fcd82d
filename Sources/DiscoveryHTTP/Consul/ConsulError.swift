import Platform

/// An error in Consul's shape: a status code and a plain-text body (the Go error string),
/// as `agent/http.go` writes them.
public struct ConsulError: Error, Sendable, Equatable {
    public var status: HTTPStatus
    public var message: String
    /// Methods the route takes, for the `Allow` header of a 405.
    public var allow: [HTTPMethod] = []

    public init(_ status: HTTPStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    static func badRequest(_ message: String) -> ConsulError { ConsulError(.badRequest, message) }

    static let missingKey = ConsulError(.badRequest, "Missing key name")
    static let permissionDenied = ConsulError(
        .forbidden, "Permission denied: keys under _roost/ are written only by Roost itself")
    static let unknownPath = ConsulError(
        .notFound, "Invalid URL path: not a recognized HTTP API endpoint")

    static func methodNotAllowed(_ method: HTTPMethod, allow: [HTTPMethod]) -> ConsulError {
        var error = ConsulError(.methodNotAllowed, "method \("\(method)".uppercased()) not allowed")
        error.allow = allow
        return error
    }

    /// A replication failure, with etcd's wording of the cause.
    init(_ error: ServiceError) {
        switch error {
        case .busy: self.init(.tooManyRequests, "rate limit exceeded: too many requests in flight")
        case .stopped: self.init(.serviceUnavailable, "server is stopping")
        case .noLeader: self.init(.internalServerError, "No cluster leader")
        case .timedOut: self.init(.internalServerError, "timed out enqueuing operation")
        case .leaderChanged:
            self.init(.internalServerError, "leadership lost while committing log")
        }
    }

    func respond(_ responder: HTTPResponder) {
        var headers = ConsulGateway.commonHeaders
        if !allow.isEmpty {
            headers.add(
                name: "Allow", value: allow.map { "\($0)".uppercased() }.joined(separator: ","))
        }
        responder.respondText(status, message, headers: headers)
    }
}
