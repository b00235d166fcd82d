import DiscoveryHTTP
import KVStore
import Platform
import Synchronization

/// A key space without a log: commands apply to a real `MVCCStore` at once. It lets the
/// gateway and the HTTP server be tested without disks or threads of their own.
final class InMemoryKeySpace: KeySpace, @unchecked Sendable {
    let identity = MemberIdentity(clusterID: 0xC1, memberID: 0xA1, raftTerm: 2, name: "test")
    let watches = WatchBroker()
    fileprivate let store = Mutex(MVCCStore())
    /// This key space always leads: it owns the lease deadlines, on a clock tests move.
    let clock = ManualClock()
    private let leaseTimers: Mutex<LeaseTimers>
    private let nextLeaseID = Mutex<Int64>(0x7E57_0000)

    init() {
        var timers = LeaseTimers()
        timers.promote(leases: [], now: 0)
        leaseTimers = Mutex(timers)
    }

    func withStore<Result>(_ body: (borrowing MVCCStore) throws(KVError) -> Result) throws(KVError) -> Result {
        let result: Swift.Result<Result, KVError> = store.withLock { store in
            do throws(KVError) {
                return .success(try body(store))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    func readBarrier(_ completion: @escaping @Sendable (Result<Void, ServiceError>) -> Void) {
        completion(.success(()))
    }

    func propose(
        _ command: KVCommand, encoded: [UInt8], _ completion: @escaping @Sendable (Result<ApplyOutcome, ServiceError>) -> Void
    ) {
        let outcome = store.withLock { $0.apply(command) }
        let now = clock.nowNanoseconds()
        leaseTimers.withLock { timers in
            switch (command, outcome.result) {
            case (.leaseGrant, .leaseGranted(let id, let ttlSeconds)):
                timers.granted(id, ttlSeconds: ttlSeconds, now: now)
            case (.leaseRevoke(let id), .leaseRevoked): timers.revoked(id)
            default: break
            }
        }
        watches.publish(outcome.events)
        completion(.success(outcome))
    }

    func queryLease(
        _ query: LeaseQuery, _ completion: @escaping @Sendable (Result<LeaseStatus?, ServiceError>) -> Void
    ) {
        let now = clock.nowNanoseconds()
        let status: LeaseStatus? = leaseTimers.withLock { timers in
            switch query {
            case .renew(let id):
                return timers.renew(id, now: now).map { LeaseStatus(remainingSeconds: $0, grantedSeconds: $0) }
            case .timeToLive(let id):
                return timers.remaining(id, now: now).map {
                    LeaseStatus(remainingSeconds: $0.seconds, grantedSeconds: $0.grantedSeconds)
                }
            }
        }
        completion(.success(status))
    }

    func newLeaseID() -> Int64 {
        nextLeaseID.withLock {
            $0 += 1
            return $0
        }
    }

    /// What the leader's tick does: revokes every lease past its deadline.
    func revokeExpiredLeases() {
        let expired = leaseTimers.withLock { $0.takeExpired(now: clock.nowNanoseconds(), limit: .max) }
        for id in expired {
            let command = KVCommand.leaseRevoke(id: id)
            propose(command, encoded: []) { _ in }
        }
    }

    func changeMembership(
        _ request: MembershipRequest,
        _ completion: @escaping @Sendable (Result<MemberInfo, MembershipError>) -> Void
    ) {
        completion(.failure(.refused("this test key space has one fixed member")))
    }

    func transferLeadership(
        to target: UInt64, _ completion: @escaping @Sendable (Result<Void, MembershipError>) -> Void
    ) {
        completion(.failure(.badTransferee))
    }

    func status() -> ServerStatus {
        ServerStatus(
            version: "test", leaderID: identity.memberID, raftIndex: 1, raftAppliedIndex: 1, raftTerm: 2,
            databaseBytes: 0, healthy: true)
    }
}

extension InMemoryKeySpace {
    /// The store as it is now (a value copy).
    func storeCopy() -> MVCCStore {
        store.withLock { $0 }
    }

    /// Swaps in `replacement`, as a follower does when it installs a leader's snapshot.
    func replaceStore(_ replacement: MVCCStore) {
        store.withLock { $0 = replacement }
        watches.storeReplaced(keySpace: self)
    }
}
