import DiscoveryHTTP
import KVStore
import Platform
import ServiceCatalog
import Synchronization

/// The agent embedded in each server (reference/consul.md §3): keeps this member's node
/// registered and alive, turns TTL checks that were not updated in time critical, and runs
/// this node's other checks. It acts for its own node only: what the leader does for the
/// whole cluster (the session sweep) is `LeaderHousekeeping`'s, which runs whether or not
/// the member runs an agent (`--no-agent`).
///
/// Liveness: `_roost/alive/<node>` is attached to a lease this agent keeps alive. When the
/// server stops, the leader expires the lease and every surface sees the node's services
/// critical (the synthetic `serfHealth` check fails).
///
/// Runs on its own thread: it waits for replication, which must never happen on an event
/// loop. It writes only through `KeySpace.propose`, like any client.
final class NodeAgent: @unchecked Sendable {
    /// The node lease's TTL: a stopped server's services turn critical within this.
    static let nodeLeaseTTLSeconds: Int64 = 10
    /// Keep-alives per TTL (etcd's client renews at a third of the TTL).
    static let renewalsPerTTL: UInt64 = 3
    /// How often TTL checks are examined and the catalog view is refreshed for DNS.
    static let pollNanoseconds: UInt64 = 200_000_000
    /// The longest the agent works from one read of the catalog. Changes arrive as watch
    /// events (`catalogDirty`), a leader's snapshot included (`WatchBroker.storeReplaced`);
    /// this re-read is only a backstop, cheap at one decode per 10 s.
    static let catalogRefreshNanoseconds: UInt64 = 10_000_000_000

    let keySpace: ServerKeySpace
    /// Set by `stop`: ends the loop and any write it is waiting for.
    private let stopping = CancellationFlag()
    let proposer: BlockingProposer
    private let clock = MonotonicClock()
    private let onCatalogChange: @Sendable (CatalogSnapshot) -> Void
    private let catalogDirty = Atomic<Bool>(true)
    /// When each TTL check of this node was last updated (monotonic ns).
    private let ttlRefreshed = Mutex<[String: UInt64]>([:])
    private var thread: PlatformThread?
    private var sink: CatalogChangeSink?
    /// Runs this node's HTTP, TCP and script checks (NodeAgent+Checks.swift).
    let checkRunner: CheckRunner
    // Agent-thread state.
    var leaseID: Int64 = 0
    var nextRenewal: UInt64 = 0
    private var catalog: CatalogSnapshot?
    private var catalogReadNanoseconds: UInt64 = 0

    init(
        keySpace: ServerKeySpace, scriptChecksEnabled: Bool = false,
        onCatalogChange: @escaping @Sendable (CatalogSnapshot) -> Void
    ) {
        self.keySpace = keySpace
        proposer = BlockingProposer(keySpace: keySpace, stopping: stopping)
        self.onCatalogChange = onCatalogChange
        checkRunner = CheckRunner(
            node: keySpace.identity.name, scriptChecksEnabled: scriptChecksEnabled,
            seed: SeededGenerator.entropySeed())
    }

    func start() {
        let sink = CatalogChangeSink { [self] in catalogDirty.store(true, ordering: .relaxed) }
        for range in CatalogSnapshot.ranges {
            if case .registered(let id, _) = keySpace.watches.register(
                WatchHub.Watcher(id: 0, range: range), startRevision: 0, sink: sink,
                keySpace: keySpace)
            {
                sink.ids.withLock { $0.append(id) }
            }
        }
        self.sink = sink
        thread = PlatformThread.spawn(name: "roost-agent") { [self] in run() }
    }

    /// Stops the loop and the checks together: a check run in progress is cancelled
    /// rather than waited for (`CheckRunner.stop`).
    func stop() {
        stopping.cancel()
        checkRunner.stop()
        thread?.join()
        thread = nil
        for id in sink?.ids.withLock({ $0 }) ?? [] { keySpace.watches.remove(id) }
    }

    func ttlRefreshed(checkID: String) {
        let now = clock.nowNanoseconds()
        ttlRefreshed.withLock { $0[checkID] = now }
    }

    /// Edits the TTL timers under their lock and returns them.
    func ttlRefreshedTimes(
        _ edit: (inout [String: UInt64]) -> [String: UInt64]
    )
        -> [String: UInt64]
    {
        ttlRefreshed.withLock { edit(&$0) }
    }

    private func run() {
        while !stopping.isCancelled {
            let now = clock.nowNanoseconds()
            let leaderKnown = keySpace.status().leaderID != 0
            if leaderKnown && now >= nextRenewal { keepNodeAlive(now: now) }
            let dirty =
                catalogDirty.exchange(false, ordering: .relaxed) || catalog == nil
                || now - catalogReadNanoseconds >= NodeAgent.catalogRefreshNanoseconds
            if leaderKnown || dirty {
                // One read of the catalog serves the TTL timers, the checks and the DNS
                // view, and is kept until the catalog changes: decoding every record five
                // times a second cost half a core at 10,000 services whose heartbeats
                // change nothing.
                let snapshot = dirty ? readCatalog(now: now) : catalog ?? readCatalog(now: now)
                if leaderKnown { expireTTLChecks(now: now, snapshot) }
                if leaderKnown { runChecks(now: now, snapshot) }
                if dirty { onCatalogChange(snapshot) }
            }
            Sleep.nanoseconds(NodeAgent.pollNanoseconds)
        }
    }

    private func readCatalog(now: UInt64) -> CatalogSnapshot {
        let snapshot = CatalogSnapshot.read(keySpace)
        catalog = snapshot
        catalogReadNanoseconds = now
        return snapshot
    }
}

/// Marks the catalog view stale on any change under the catalog's ranges.
final class CatalogChangeSink: WatchSink, Sendable {
    let ids = Mutex<[Int64]>([])
    private let changed: @Sendable () -> Void

    init(_ changed: @escaping @Sendable () -> Void) {
        self.changed = changed
    }

    func deliver(watcherID: Int64, events: [Event]) {
        changed()
    }

    func historyLost(watcherID: Int64, compactRevision: Int64) {
        changed()
    }
}
