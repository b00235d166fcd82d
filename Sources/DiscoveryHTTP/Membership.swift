/// A change to the cluster's membership, as etcd's member API asks for it.
public enum MembershipRequest: Sendable, Equatable {
    /// Adds a member reachable at `peerURL`, as a learner (non-voting) or a voter.
    case add(peerURL: String, learner: Bool)
    case remove(id: UInt64)
    /// Makes a learner a voter.
    case promote(id: UInt64)
    /// Changes where the other members reach a member (etcd `member update`).
    case update(id: UInt64, peerURL: String)
}

/// Why a membership change was refused, each with etcd's code and message.
public enum MembershipError: Error, Sendable, Equatable {
    /// Only the leader changes membership; the client retries on another member.
    case notLeader
    case memberNotFound
    case peerURLExists
    case notLearner
    /// The transfer target is not a voting member (etcd `ErrBadLeaderTransferee`).
    case badTransferee
    case invalidPeerURL(String)
    /// Raft refused it now (a change in progress, the leader's term not committed yet).
    case refused(String)
    case service(ServiceError)

    public var etcdError: EtcdError {
        switch self {
        case .notLeader:
            return EtcdError(grpcCode: GRPCCode.unavailable, message: "etcdserver: not leader")
        case .memberNotFound:
            return EtcdError(grpcCode: GRPCCode.notFound, message: "etcdserver: member not found")
        case .peerURLExists:
            return EtcdError(grpcCode: 9, message: "etcdserver: Peer URLs already exists")
        case .notLearner:
            return EtcdError(grpcCode: 9, message: "etcdserver: can only promote a learner member")
        case .badTransferee:
            return EtcdError(grpcCode: 9, message: "etcdserver: bad leader transferee")
        case .invalidPeerURL(let url):
            return .badRequest("invalid peer URL \"\(url)\": expected http://HOST:PORT")
        case .refused(let reason):
            return EtcdError(grpcCode: 9, message: "etcdserver: \(reason)")
        case .service(let error):
            return EtcdError(error)
        }
    }
}
