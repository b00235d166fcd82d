import DiscoveryHTTP
import KVStore
import Platform
import Raft
import Synchronization

/// The single writer of a one-member server: takes proposals in batches, appends them
/// to the WAL, makes them durable with ONE fdatasync per batch (group commit), applies
/// them to the store, publishes their events and only then answers the clients. While
/// one batch syncs, the next accumulates, so throughput grows with load.
///
/// The clustered server replaces the "append + sync = committed" step with Raft; the
/// apply and answer half stays.
final class CommitDriver: @unchecked Sendable {
    struct Proposal: Sendable {
        var command: KVCommand
        var encoded: [UInt8]
        var completion: @Sendable (Result<ApplyOutcome, ServiceError>) -> Void
    }

    /// The one term a single member ever has.
    static let singleMemberTerm: UInt64 = 1

    private let queue: WorkQueue<Proposal>
    private let keySpace: ServerKeySpace
    private let configuration: ServerConfiguration
    private let snapshots: SnapshotStore
    // Driver-thread state.
    private let wal: WriteAheadLog
    private var lastIndex: UInt64
    private var snapshotIndex: UInt64
    /// Indexes of the snapshots the store keeps, oldest first. The WAL is released only
    /// up to the OLDEST: if the newest snapshot file turns out corrupt, recovery falls
    /// back to an older one and still needs the log after it.
    private var retainedSnapshotIndexes: [UInt64]
    /// Log bytes written since the last snapshot, and the size of that snapshot's image.
    /// A snapshot rewrites the whole image, so one is taken only once the log has grown
    /// by as much as the image: writing images then costs at most as much as the log,
    /// however large the store gets.
    private var logBytesSinceSnapshot: Int64 = 0
    private let lastImageBytes: Atomic<Int64>
    /// Set after a snapshot failed to save: no more attempts (the server is stopping).
    private let snapshotsFailed = Atomic<Bool>(false)
    private let snapshotDone = Mutex<SnapshotMetadata?>(nil)
    private let snapshotRunning = Atomic<Bool>(false)
    private var thread: PlatformThread?
    /// The snapshot writer, joined before the next one starts and on stop.
    private var snapshotThread: PlatformThread?
    private let failure = Mutex<String?>(nil)
    private let onFatal: @Sendable (String) -> Void

    init(
        wal: WriteAheadLog, snapshots: SnapshotStore, lastIndex: UInt64, snapshotIndex: UInt64,
        imageBytes: Int64,
        keySpace: ServerKeySpace, configuration: ServerConfiguration,
        onFatal: @escaping @Sendable (String) -> Void
    ) {
        self.wal = wal
        self.snapshots = snapshots
        self.lastIndex = lastIndex
        self.snapshotIndex = snapshotIndex
        self.retainedSnapshotIndexes = snapshotIndex > 0 ? [snapshotIndex] : []
        self.lastImageBytes = Atomic(imageBytes)
        self.keySpace = keySpace
        self.configuration = configuration
        self.queue = WorkQueue(capacity: configuration.proposalQueueCapacity)
        self.onFatal = onFatal
    }

    func start() {
        thread = PlatformThread.spawn(name: "roost-commit") { [self] in run() }
    }

    /// Any thread. Refuses at once when the queue is full (backpressure, 429).
    func submit(
        _ command: KVCommand, encoded: [UInt8],
        _ completion: @escaping @Sendable (Result<ApplyOutcome, ServiceError>) -> Void
    ) {
        let proposal = Proposal(command: command, encoded: encoded, completion: completion)
        guard queue.offer(proposal) else {
            let stopped = failure.withLock { $0 != nil }
            return completion(.failure(stopped ? .stopped : .busy))
        }
    }

    /// Stops taking proposals, finishes the ones queued and joins the thread.
    func stop() {
        queue.close()
        thread?.join()
        thread = nil
        snapshotThread?.join()
        snapshotThread = nil
        try? wal.sync()
        wal.close()
    }

    private func run() {
        while true {
            let batch = queue.takeAll(
                max: configuration.batchEntriesMax, timeoutNanoseconds: 100_000_000)
            finishSnapshotIfDone()
            if batch.isEmpty {
                if queue.isClosed { return }
                continue
            }
            commit(batch)
        }
    }

    private func commit(_ batch: [Proposal]) {
        if let reason = failure.withLock({ $0 }) {
            _ = reason
            for proposal in batch { proposal.completion(.failure(.stopped)) }
            return
        }
        var entries: [Entry] = []
        entries.reserveCapacity(batch.count)
        for proposal in batch {
            lastIndex += 1
            logBytesSinceSnapshot += Int64(proposal.encoded.count)
            entries.append(
                Entry(term: CommitDriver.singleMemberTerm, index: lastIndex, data: proposal.encoded)
            )
        }
        do {
            let hardState = HardState(
                term: CommitDriver.singleMemberTerm, vote: keySpace.identity.memberID,
                commit: lastIndex)
            try wal.append(entries: entries, hardState: hardState)
            try wal.sync()
        } catch {
            // After a failed write or fsync the page cache can no longer be trusted
            // (fsyncgate): stop rather than acknowledge anything else.
            fail("write-ahead log: \(error)", batch)
            return
        }
        let outcomes = keySpace.applyBatch(batch.map(\.command))
        let logBytes = Int64(wal.segmentCount * WALOptions().segmentBytes)
        keySpace.update {
            $0.lastIndex = self.lastIndex
            $0.appliedIndex = self.lastIndex
            $0.logBytes = logBytes
        }
        var events: [Event] = []
        for outcome in outcomes { events.append(contentsOf: outcome.events) }
        keySpace.watches.publish(events)
        for (proposal, outcome) in zip(batch, outcomes) {
            proposal.completion(.success(outcome))
        }
        maybeStartSnapshot()
    }

    private func fail(_ reason: String, _ batch: [Proposal]) {
        failure.withLock { $0 = reason }
        keySpace.update { $0.healthy = false }
        for proposal in batch { proposal.completion(.failure(.stopped)) }
        queue.close()
        for proposal in queue.takeAll(max: Int.max, timeoutNanoseconds: 0) {
            proposal.completion(.failure(.stopped))
        }
        onFatal(reason)
    }

    // MARK: Snapshots

    /// Every `snapshotEntries` entries, writes the store's image on a helper thread; the
    /// copy-on-write store lets this thread keep applying meanwhile.
    private func maybeStartSnapshot() {
        guard lastIndex - snapshotIndex >= configuration.snapshotEntries,
            logBytesSinceSnapshot >= lastImageBytes.load(ordering: .relaxed),
            !snapshotRunning.load(ordering: .acquiring), !snapshotsFailed.load(ordering: .acquiring)
        else { return }
        snapshotRunning.store(true, ordering: .releasing)
        logBytesSinceSnapshot = 0
        let image = keySpace.storeImage()
        let metadata = SnapshotMetadata(
            index: lastIndex, term: CommitDriver.singleMemberTerm,
            confState: ConfState(voters: [keySpace.identity.memberID]))
        snapshotThread?.join()
        snapshotThread = PlatformThread.spawn(name: "roost-snapshot") { [self] in
            writeSnapshot(image, metadata)
        }
    }

    /// Snapshot thread: encodes and saves the image, then hands the result back.
    private func writeSnapshot(_ image: MVCCStore, _ metadata: SnapshotMetadata) {
        let data = image.encodeSnapshot()
        do {
            try snapshots.save(Snapshot(metadata: metadata, data: data))
            keySpace.update { $0.snapshotBytes = Int64(data.count) }
            lastImageBytes.store(Int64(data.count), ordering: .relaxed)
            snapshotDone.withLock { $0 = metadata }
        } catch {
            snapshotsFailed.store(true, ordering: .releasing)
            snapshotRunning.store(false, ordering: .releasing)
            onFatal("snapshot: \(error)")
        }
    }

    /// Driver thread: once a snapshot is durable, marks it in the WAL and releases the
    /// segments it covers.
    private func finishSnapshotIfDone() {
        guard
            let metadata = snapshotDone.withLock({ value -> SnapshotMetadata? in
                defer { value = nil }
                return value
            })
        else { return }
        do {
            try wal.recordSnapshot(metadata)
            try wal.sync()
            retainedSnapshotIndexes.append(metadata.index)
            if retainedSnapshotIndexes.count > snapshots.retainCount {
                retainedSnapshotIndexes.removeFirst(
                    retainedSnapshotIndexes.count - snapshots.retainCount)
            }
            if let oldest = retainedSnapshotIndexes.first {
                try wal.releaseSegments(upTo: oldest)
            }
            snapshotIndex = metadata.index
        } catch {
            fail("write-ahead log after snapshot: \(error)", [])
        }
        snapshotRunning.store(false, ordering: .releasing)
    }
}
