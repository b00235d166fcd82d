import KVStore
import Platform
import Raft
import Synchronization

/// When to snapshot the key space, and the hand-off between the driver thread and the
/// thread that writes the image. A snapshot waits for at least `--snapshot-count` applied
/// entries AND as many log bytes as the last image's size: writing images then costs at
/// most as much as the log itself, however large the store grows, and replay on restart
/// is about one image's worth of log.
struct SnapshotScheduler {
    var snapshotIndex: UInt64 = 0
    var imageBytes: Int64 = 0
    var logBytesSinceSnapshot: Int64 = 0
    private var running = false
    /// Set after a snapshot failed to save: no more attempts (the server is stopping).
    private var failedOnce = false
    private var thread: PlatformThread?
    private let done = SnapshotMailbox()

    init(snapshotIndex: UInt64 = 0, imageBytes: Int64 = 0) {
        self.snapshotIndex = snapshotIndex
        self.imageBytes = imageBytes
    }

    /// Driver thread: starts writing an image on a helper thread when one is due. The
    /// store copy is O(1) (copy-on-write), so applying goes on meanwhile.
    mutating func maybeStart(_ driver: RaftDriver) {
        guard !running, !failedOnce,
            driver.applied >= snapshotIndex + driver.configuration.snapshotEntries,
            logBytesSinceSnapshot >= imageBytes
        else { return }
        let index = driver.applied
        let term: UInt64
        do {
            term = try driver.storage.term(index)
        } catch {
            return  // compacted under us: a leader's snapshot just arrived
        }
        running = true
        logBytesSinceSnapshot = 0
        let image = driver.keySpace.storeImage()
        let members = driver.members
        let metadata = SnapshotMetadata(
            index: index, term: term, confState: driver.core.status.confState)
        let store = driver.storage.snapshotStore
        let mailbox = done
        thread?.join()
        thread = PlatformThread.spawn(name: "roost-snapshot") {
            let snapshot = Snapshot(
                metadata: metadata, data: ServerSnapshotImage.encode(members: members, store: image)
            )
            do throws(StorageError) {
                try store.save(snapshot)
                mailbox.post(.success(snapshot))
            } catch {
                mailbox.post(.failure(error))
            }
            driver.scheduleDrain()  // adopted now, not at the next tick
        }
    }

    /// Driver thread: once the image is durable, compacts the in-memory log and the WAL.
    mutating func finishIfDone(_ driver: RaftDriver) {
        guard let result = done.take() else { return }
        running = false
        switch result {
        case .failure(let error):
            failedOnce = true
            driver.fail("snapshot: \(error)")
        case .success(let snapshot):
            do {
                let keep = driver.configuration.snapshotCatchUpEntries
                let compactTo = snapshot.metadata.index > keep ? snapshot.metadata.index - keep : 0
                // False when a leader's snapshot was installed while this image was being
                // written: the image is older than the state machine, so it is dropped.
                guard try driver.storage.adoptSavedSnapshot(snapshot, compactTo: compactTo)
                else { return }
            } catch {
                failedOnce = true
                return driver.fail("snapshot: \(error)")
            }
            snapshotIndex = snapshot.metadata.index
            imageBytes = Int64(snapshot.data.count)
            driver.keySpace.update { $0.snapshotBytes = Int64(snapshot.data.count) }
        }
    }

    /// A leader's snapshot replaced the state machine.
    mutating func installed(index: UInt64, imageBytes: Int64) {
        snapshotIndex = index
        self.imageBytes = imageBytes
        logBytesSinceSnapshot = 0
    }

    mutating func join() {
        thread?.join()
        thread = nil
    }
}

/// The snapshot thread's result, handed to the driver thread.
final class SnapshotMailbox: Sendable {
    private let slot = Mutex<Result<Snapshot, StorageError>?>(nil)

    func post(_ result: Result<Snapshot, StorageError>) {
        slot.withLock { $0 = result }
    }

    func take() -> Result<Snapshot, StorageError>? {
        slot.withLock { value in
            defer { value = nil }
            return value
        }
    }
}
