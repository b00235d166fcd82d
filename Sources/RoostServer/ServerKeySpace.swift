import DiscoveryHTTP
import KVStore
import Platform
import Raft
import Synchronization

/// The server's key space: the MVCC store behind a reader-writer lock, written only by
/// the Raft driver's thread, read by every event loop.
final class ServerKeySpace: KeySpace, @unchecked Sendable {
    let watches: WatchBroker
    private let baseIdentity: MemberIdentity
    private let lock = ReadWriteLock()
    /// Guarded by `lock`; mutated only by the driver thread while holding it for writing.
    private var store: MVCCStore
    private let progress = Mutex(Progress())
    private let driver: Mutex<RaftDriver?> = Mutex(nil)
    private let leaseIDs: LeaseIDGenerator
    private let agentHook = Mutex<AgentHook?>(nil)

    /// The agent's TTL hook, kept in a struct. A bare closure in a `Mutex`, read with
    /// `withLock { $0 }`, is written back re-abstracted through the `inout`, two thunks
    /// deeper on every read: each TTL update then cost more than the one before (0.1 ms
    /// after 10,000 updates, 1.2 ms after 50,000) until the stack ran out. A struct's
    /// closure field keeps its own representation.
    struct AgentHook: Sendable {
        let ttlRefreshed: @Sendable (String) -> Void
    }

    struct Progress {
        var lastIndex: UInt64 = 0
        var appliedIndex: UInt64 = 0
        var leaderID: UInt64 = 0
        var raftTerm: UInt64 = 0
        var snapshotBytes: Int64 = 0
        /// Bytes the WAL's segments take on disk (preallocated, so whole segments).
        var logBytes: Int64 = 0
        var healthy = false
        /// This member is the only voter, leads, and has applied an entry of its term:
        /// its applied state already holds every acknowledged write, so a linearizable
        /// read needs no ReadIndex round (the single-voter case of thesis §6.4).
        var localReadsLinearizable = false
        /// The URLs clients reach this member at: the bound address, known once the
        /// client port is listening (a configured port 0 becomes the real port).
        var clientURLs: [String] = []
        var peerURLs: [String] = []
        var members: [MemberInfo] = []
        /// When this member last heard from a leader (monotonic clock), for LastContact.
        var leaderContactNanoseconds: UInt64 = 0
    }

    init(identity: MemberIdentity, store: MVCCStore, wallClockMilliseconds: UInt64) {
        self.baseIdentity = identity
        self.leaseIDs = LeaseIDGenerator(
            memberID: identity.memberID, wallClockMilliseconds: wallClockMilliseconds)
        self.store = store
        self.watches = WatchBroker()
        watches.resetPublishedRevision(store.revision)
    }

    func attach(_ driver: RaftDriver) {
        self.driver.withLock { $0 = driver }
    }

    /// Cluster, member and the current Raft term, for every response header.
    var identity: MemberIdentity {
        var identity = baseIdentity
        identity.raftTerm = progress.withLock { $0.raftTerm }
        return identity
    }

    func withStore<Result>(
        _ body: (borrowing MVCCStore) throws(KVError) -> Result
    ) throws(KVError) -> Result {
        let result: Swift.Result<Result, KVError> = lock.withReadLock {
            do throws(KVError) {
                return .success(try body(store))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Driver thread only: applies commands under the write lock.
    func applyBatch(_ commands: [KVCommand]) -> [ApplyOutcome] {
        lock.withWriteLock {
            commands.map { store.apply($0) }
        }
    }

    /// Driver thread only: an O(1) copy-on-write image of the store for a snapshot.
    func storeImage() -> MVCCStore {
        lock.withReadLock { store }
    }

    /// Driver thread only: a leader's snapshot replaces the whole state machine.
    /// A leader's snapshot replaces the store: watchers get what it skipped (or are told
    /// their history is lost) before anything later is published.
    func replaceStore(_ replacement: MVCCStore) {
        lock.withWriteLock { store = replacement }
        watches.storeReplaced(keySpace: self)
    }

    func readBarrier(_ completion: @escaping @Sendable (Result<Void, ServiceError>) -> Void) {
        if progress.withLock({ $0.localReadsLinearizable }) { return completion(.success(())) }
        guard let driver = driver.withLock({ $0 }) else { return completion(.failure(.stopped)) }
        driver.readBarrier(completion)
    }

    func propose(
        _ command: KVCommand, encoded: [UInt8],
        _ completion: @escaping @Sendable (Result<ApplyOutcome, ServiceError>) -> Void
    ) {
        guard let driver = driver.withLock({ $0 }) else { return completion(.failure(.stopped)) }
        driver.submit(
            RaftDriver.Proposal(command: command, encoded: encoded, completion: completion))
    }

    func queryLease(
        _ query: LeaseQuery,
        _ completion: @escaping @Sendable (Result<LeaseStatus?, ServiceError>) -> Void
    ) {
        guard let driver = driver.withLock({ $0 }) else { return completion(.failure(.stopped)) }
        driver.submitLeaseQuery(query, completion)
    }

    func checkTTLRefreshed(node: String, checkID: String) {
        guard node == baseIdentity.name else { return }
        agentHook.withLock { $0 }?.ttlRefreshed(checkID)
    }

    /// The agent's TTL timers, told about every TTL update the HTTP layer takes.
    func attachAgent(_ hook: @escaping @Sendable (String) -> Void) {
        agentHook.withLock { $0 = AgentHook(ttlRefreshed: hook) }
    }

    func newLeaseID() -> Int64 {
        leaseIDs.next()
    }

    func changeMembership(
        _ request: MembershipRequest,
        _ completion: @escaping @Sendable (Result<MemberInfo, MembershipError>) -> Void
    ) {
        guard let driver = driver.withLock({ $0 }) else {
            return completion(.failure(.service(.stopped)))
        }
        driver.submit(request, completion)
    }

    func transferLeadership(
        to target: UInt64, _ completion: @escaping @Sendable (Result<Void, MembershipError>) -> Void
    ) {
        guard let driver = driver.withLock({ $0 }) else {
            return completion(.failure(.service(.stopped)))
        }
        driver.submitTransfer(to: target, completion)
    }

    /// Where this member serves clients, once its listener is bound.
    var clientURLs: [String] { progress.withLock { $0.clientURLs } }

    func update(_ change: (inout Progress) -> Void) {
        progress.withLock { change(&$0) }
    }

    func status() -> ServerStatus {
        let progress = self.progress.withLock { $0 }
        var status = ServerStatus(
            version: RoostVersion.current, leaderID: progress.leaderID,
            raftIndex: progress.lastIndex,
            raftAppliedIndex: progress.appliedIndex, raftTerm: progress.raftTerm,
            databaseBytes: progress.snapshotBytes + progress.logBytes, healthy: progress.healthy,
            peerURLs: progress.peerURLs, clientURLs: progress.clientURLs, members: progress.members)
        if progress.leaderID != baseIdentity.memberID {
            let now = MonotonicClock().nowNanoseconds()
            let since =
                now > progress.leaderContactNanoseconds
                ? now - progress.leaderContactNanoseconds : 0
            status.lastContactMilliseconds = since / 1_000_000
        }
        return status
    }
}
