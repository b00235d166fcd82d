import KVStore

/// What the HTTP surfaces need from the server underneath them. DiscoveryHTTP never
/// knows whether the key space is one node or a Raft cluster: RoostServer implements
/// this protocol and wires writes through its log.
///
/// Threading: every method may be called from any event-loop thread. Completions may be
/// called on any thread; the HTTP layer hops back to the connection's loop itself.
public protocol KeySpace: AnyObject, Sendable {
    /// Identity stamped on every etcd response header.
    var identity: MemberIdentity { get }

    /// Runs `body` against the applied state under a read lock. Keep `body` short: the
    /// apply path waits for it.
    func withStore<Result>(
        _ body: (borrowing MVCCStore) throws(KVError) -> Result
    )
        throws(KVError) -> Result

    /// Calls `completion` once every write acknowledged before this call is visible to
    /// `withStore` (linearizable reads; on one node that is immediate, in a cluster it is
    /// a ReadIndex round).
    func readBarrier(_ completion: @escaping @Sendable (Result<Void, ServiceError>) -> Void)

    /// Replicates and applies `command`, then calls `completion` with the outcome.
    /// `encoded` is `command.validatedEncoding()`: validated once, encoded once, by the
    /// caller on its own thread.
    func propose(
        _ command: KVCommand, encoded: [UInt8],
        _ completion: @escaping @Sendable (Result<ApplyOutcome, ServiceError>) -> Void)

    /// Asks the leader about a lease: the completion gets its status, or nil when the
    /// lease is unknown or expired.
    func queryLease(
        _ query: LeaseQuery,
        _ completion: @escaping @Sendable (Result<LeaseStatus?, ServiceError>) -> Void)

    /// A fresh lease ID for a grant that asked the server to pick one: positive and
    /// unique across members (etcd's `reqIDGen`).
    func newLeaseID() -> Int64

    /// A TTL check of this member's agent got an update: its timer starts over even when
    /// the status did not change (so nothing was written).
    func checkTTLRefreshed(node: String, checkID: String)

    /// Watch registrations and event fan-out.
    var watches: WatchBroker { get }

    /// Values for `/v3/maintenance/status` and `/health`.
    func status() -> ServerStatus

    /// Adds, removes or promotes a member through the replicated log; the completion
    /// gets the member as it is after the change, once the change is applied here.
    func changeMembership(
        _ request: MembershipRequest,
        _ completion: @escaping @Sendable (Result<MemberInfo, MembershipError>) -> Void)

    /// Hands leadership to a caught-up voter (thesis §3.10); answers once it leads.
    func transferLeadership(
        to target: UInt64, _ completion: @escaping @Sendable (Result<Void, MembershipError>) -> Void
    )
}

/// Who answered: etcd puts these in every response header.
public struct MemberIdentity: Sendable, Equatable {
    public var clusterID: UInt64
    public var memberID: UInt64
    public var raftTerm: UInt64
    public var name: String

    public init(clusterID: UInt64, memberID: UInt64, raftTerm: UInt64, name: String) {
        self.clusterID = clusterID
        self.memberID = memberID
        self.raftTerm = raftTerm
        self.name = name
    }
}

/// One cluster member as `member/list` reports it.
public struct MemberInfo: Sendable, Equatable {
    public var id: UInt64
    public var name: String
    public var peerURLs: [String]
    public var clientURLs: [String]
    public var isLearner: Bool

    public init(
        id: UInt64, name: String, peerURLs: [String], clientURLs: [String], isLearner: Bool = false
    ) {
        self.id = id
        self.name = name
        self.peerURLs = peerURLs
        self.clientURLs = clientURLs
        self.isLearner = isLearner
    }
}

/// A snapshot of server health and progress for status endpoints.
public struct ServerStatus: Sendable, Equatable {
    public var version: String
    public var leaderID: UInt64
    public var raftIndex: UInt64
    public var raftAppliedIndex: UInt64
    public var raftTerm: UInt64
    public var databaseBytes: Int64
    public var healthy: Bool
    public var peerURLs: [String]
    public var clientURLs: [String]
    /// Every member; empty means "only this one" (its own URLs above).
    public var members: [MemberInfo]
    /// Milliseconds since this member last heard from its leader; 0 on the leader
    /// (Consul's `X-Consul-LastContact`).
    public var lastContactMilliseconds: UInt64 = 0

    public init(
        version: String, leaderID: UInt64, raftIndex: UInt64, raftAppliedIndex: UInt64,
        raftTerm: UInt64, databaseBytes: Int64, healthy: Bool,
        peerURLs: [String] = [], clientURLs: [String] = [], members: [MemberInfo] = []
    ) {
        self.version = version
        self.leaderID = leaderID
        self.raftIndex = raftIndex
        self.raftAppliedIndex = raftAppliedIndex
        self.raftTerm = raftTerm
        self.databaseBytes = databaseBytes
        self.healthy = healthy
        self.peerURLs = peerURLs
        self.clientURLs = clientURLs
        self.members = members
    }
}

/// Why a write or a linearizable read could not be served. Each maps to etcd's gRPC
/// code and message (`EtcdError`).
public enum ServiceError: Error, Sendable, Equatable {
    /// The proposal queue is full: the server is at its in-flight limit.
    case busy
    /// The server is shutting down or lost its storage.
    case stopped
    /// No leader is known (clusters only).
    case noLeader
    /// The request waited longer than the server allows.
    case timedOut
    /// Leadership changed before the request was answered. For a write this is
    /// definite: its entry can no longer be committed, so a retry cannot apply it twice.
    case leaderChanged
}

extension KeySpace {
    /// Key spaces without an agent (tests) keep no TTL timers.
    public func checkTTLRefreshed(node: String, checkID: String) {}
}
