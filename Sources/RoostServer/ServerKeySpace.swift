import DiscoveryHTTP
import KVStore
import Platform
import Synchronization

/// The server's key space: the MVCC store behind a reader-writer lock, written only by
/// the commit driver's thread, read by every event loop.
final class ServerKeySpace: KeySpace, @unchecked Sendable {
    let identity: MemberIdentity
    let watches: WatchBroker
    private let lock = ReadWriteLock()
    /// Guarded by `lock`; mutated only by the driver thread while holding it for writing.
    private var store: MVCCStore
    private let progress = Mutex(Progress())
    private let driver: Mutex<CommitDriver?> = Mutex(nil)

    struct Progress {
        var lastIndex: UInt64 = 0
        var appliedIndex: UInt64 = 0
        var snapshotBytes: Int64 = 0
        /// Bytes the WAL's segments take on disk (preallocated, so whole segments).
        var logBytes: Int64 = 0
        var healthy = true
        /// The URLs clients reach this member at: the bound address, known once the
        /// client port is listening (a configured port 0 becomes the real port).
        var clientURLs: [String] = []
        var peerURLs: [String] = []
    }

    init(identity: MemberIdentity, store: MVCCStore) {
        self.identity = identity
        self.store = store
        self.watches = WatchBroker()
        watches.resetPublishedRevision(store.revision)
    }

    func attach(_ driver: CommitDriver) {
        self.driver.withLock { $0 = driver }
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

    func readBarrier(_ completion: @escaping @Sendable (Result<Void, ServiceError>) -> Void) {
        // One member: every acknowledged write is applied before it is acknowledged, so
        // the applied state is already linearizable.
        completion(healthy ? .success(()) : .failure(.stopped))
    }

    func propose(
        _ command: KVCommand, encoded: [UInt8],
        _ completion: @escaping @Sendable (Result<ApplyOutcome, ServiceError>) -> Void
    ) {
        guard let driver = driver.withLock({ $0 }) else { return completion(.failure(.stopped)) }
        driver.submit(command, encoded: encoded, completion)
    }

    var healthy: Bool { progress.withLock { $0.healthy } }

    func update(_ change: (inout Progress) -> Void) {
        progress.withLock { change(&$0) }
    }

    func status() -> ServerStatus {
        let progress = self.progress.withLock { $0 }
        return ServerStatus(
            version: RoostVersion.current, leaderID: identity.memberID,
            raftIndex: progress.lastIndex,
            raftAppliedIndex: progress.appliedIndex, raftTerm: identity.raftTerm,
            databaseBytes: progress.snapshotBytes + progress.logBytes, healthy: progress.healthy,
            peerURLs: progress.peerURLs, clientURLs: progress.clientURLs)
    }
}
