import KVStore
import Platform

/// An error in etcd's shape: a gRPC code and etcd's exact message. The gateway turns it
/// into grpc-gateway's body `{"error","code","message"}` with its HTTP status.
public struct EtcdError: Error, Sendable, Equatable {
    public var grpcCode: Int
    public var message: String

    public init(grpcCode: Int, message: String) {
        self.grpcCode = grpcCode
        self.message = message
    }

    public init(_ error: KVError) {
        self.init(grpcCode: error.grpcCode, message: error.message)
    }

    public init(_ error: ServiceError) {
        switch error {
        case .busy:
            self.init(
                grpcCode: GRPCCode.resourceExhausted, message: "etcdserver: too many requests")
        case .stopped:
            self.init(grpcCode: GRPCCode.unavailable, message: "etcdserver: server stopped")
        case .noLeader:
            self.init(grpcCode: GRPCCode.unavailable, message: "etcdserver: no leader")
        case .timedOut:
            self.init(grpcCode: GRPCCode.unavailable, message: "etcdserver: request timed out")
        case .leaderChanged:
            self.init(grpcCode: GRPCCode.unavailable, message: "etcdserver: leader changed")
        }
    }

    /// A request body the gateway could not decode (grpc-gateway answers InvalidArgument).
    public static func badRequest(_ detail: String) -> EtcdError {
        EtcdError(grpcCode: GRPCCode.invalidArgument, message: detail)
    }

    /// A write under the reserved `_roost/` prefix (etcd's auth error text and code).
    public static let permissionDenied = EtcdError(
        grpcCode: 7, message: "etcdserver: permission denied")

    public static let requestTooLarge = EtcdError(
        grpcCode: GRPCCode.invalidArgument, message: "etcdserver: request is too large")

    public static func unimplemented(_ route: String) -> EtcdError {
        EtcdError(
            grpcCode: GRPCCode.unimplemented,
            message: "roost: \(route) is not served by this version of Roost")
    }

    /// grpc-gateway's `HTTPStatusFromCode` (identical in v1.11 and v1.16).
    public var httpStatus: HTTPStatus {
        switch grpcCode {
        case GRPCCode.ok: return .ok
        case 1: return .requestTimeout
        case 2, 13, 15: return .internalServerError
        case 3, 9, 11: return .badRequest
        case 4: return .gatewayTimeout
        case 5: return .notFound
        case 6, 10: return .conflict
        case 7: return .forbidden
        case GRPCCode.resourceExhausted: return .tooManyRequests
        case GRPCCode.unimplemented: return .notImplemented
        case GRPCCode.unavailable: return .serviceUnavailable
        case 16: return .unauthorized
        default: return .internalServerError
        }
    }

    /// `{"error":msg,"code":n,"message":msg}` for unary routes.
    public func unaryBody() -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: message.utf8.count * 2 + 40)
        writer.beginObject()
        writer.key("error")
        writer.string(message)
        writer.key("code")
        writer.number(Int64(grpcCode))
        writer.key("message")
        writer.string(message)
        writer.endObject()
        return writer.bytes
    }

    /// `{"error":{"grpc_code","http_code","message","http_status"}}`, the last chunk of a
    /// stream that fails after it started.
    public func streamBody() -> [UInt8] {
        let status = httpStatus
        var writer = JSONWriter(reservingCapacity: message.utf8.count * 2 + 80)
        writer.beginObject()
        writer.key("error")
        writer.beginObject()
        writer.key("grpc_code")
        writer.number(Int64(grpcCode))
        writer.key("http_code")
        writer.number(Int64(status.code))
        writer.key("message")
        writer.string(message)
        writer.key("http_status")
        writer.string(status.reason)
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }
}

/// The gRPC status codes the gateway uses by name.
public enum GRPCCode {
    public static let ok = 0
    public static let invalidArgument = 3
    public static let notFound = 5
    public static let resourceExhausted = 8
    public static let unimplemented = 12
    public static let unavailable = 14
}
