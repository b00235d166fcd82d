import DiscoveryHTTP
import KVStore
import Platform
import Synchronization

/// A key space without a log: commands apply to a real `MVCCStore` at once. It lets the
/// gateway and the HTTP server be tested without disks or threads of their own.
final class InMemoryKeySpace: KeySpace, @unchecked Sendable {
    let identity = MemberIdentity(clusterID: 0xC1, memberID: 0xA1, raftTerm: 2, name: "test")
    let watches = WatchBroker()
    private let store = Mutex(MVCCStore())

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
        watches.publish(outcome.events)
        completion(.success(outcome))
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
