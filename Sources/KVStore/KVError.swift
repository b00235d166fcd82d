/// An etcd error: the gRPC status code and the exact message text etcd sends
/// (`api/v3rpc/rpctypes/error.go`, etcd v3.5; table in reference/etcd.md §1.9).
public struct KVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// gRPC status code (3 InvalidArgument, 5 NotFound, 8 ResourceExhausted,
    /// 9 FailedPrecondition, 11 OutOfRange).
    public let grpcCode: Int
    /// etcd's message, identical in the gateway's `error` and `message` fields.
    public let message: String

    init(grpcCode: Int, message: String) {
        self.grpcCode = grpcCode
        self.message = message
    }

    public var description: String { message }

    /// HTTP status the grpc-gateway maps `grpcCode` to (`HTTPStatusFromCode`).
    public var httpStatus: Int {
        switch grpcCode {
        case 3, 9, 11: return 400
        case 5: return 404
        case 8: return 429
        default: return 500
        }
    }

    public static let keyNotProvided = KVError(
        grpcCode: 3, message: "etcdserver: key is not provided")
    public static let keyNotFound = KVError(grpcCode: 3, message: "etcdserver: key not found")
    public static let valueProvided = KVError(
        grpcCode: 3, message: "etcdserver: value is provided")
    public static let leaseProvided = KVError(
        grpcCode: 3, message: "etcdserver: lease is provided")
    public static let tooManyOperations = KVError(
        grpcCode: 3, message: "etcdserver: too many operations in txn request")
    public static let duplicateKey = KVError(
        grpcCode: 3, message: "etcdserver: duplicate key given in txn request")
    public static let requestTooLarge = KVError(
        grpcCode: 3, message: "etcdserver: request is too large")
    public static let invalidSortOption = KVError(
        grpcCode: 3, message: "etcdserver: invalid sort option")
    public static let compacted = KVError(
        grpcCode: 11, message: "etcdserver: mvcc: required revision has been compacted")
    public static let futureRevision = KVError(
        grpcCode: 11, message: "etcdserver: mvcc: required revision is a future revision")
    public static let databaseSpaceExceeded = KVError(
        grpcCode: 8, message: "etcdserver: mvcc: database space exceeded")
    public static let leaseNotFound = KVError(
        grpcCode: 5, message: "etcdserver: requested lease not found")
    public static let leaseExists = KVError(
        grpcCode: 9, message: "etcdserver: lease already exists")
    public static let leaseTTLTooLarge = KVError(
        grpcCode: 11, message: "etcdserver: too large lease TTL")
}
