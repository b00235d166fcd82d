import DiscoveryHTTP
import Platform
import Synchronization

/// What the leader does for the whole cluster, on every member whatever else it runs: the
/// session sweep (`LeaderHousekeeping+Sessions.swift`: invalidating sessions whose node or
/// checks failed, releasing the locks of sessions whose TTL lease expired, dropping lock
/// delays that ran out) and `DeregisterCriticalServiceAfter` for the services of nodes whose
/// server stopped heartbeating (`LeaderHousekeeping+DeadNodes.swift`). Only the member that
/// is leader acts; the others look once a poll and wait. It is not part of the embedded agent
/// (`NodeAgent`), which acts for its own node only: a leader started with `--no-agent` must
/// still release a dead session's locks.
///
/// Leases, TTL sessions' included, are expired by the Raft driver itself (`RaftDriver`).
///
/// Runs on its own thread: it waits for replication, which must never happen on an event
/// loop. It writes only through `KeySpace.propose`, like any client.
final class LeaderHousekeeping: Sendable {
    /// How often the leader sweeps: how late, at most, a lapsed session's locks are
    /// released after its lease expired. A quiet pass costs three small range reads.
    static let pollNanoseconds: UInt64 = 200_000_000

    let keySpace: ServerKeySpace
    /// Set by `stop`: ends the loop and any write it is waiting for.
    private let stopping = CancellationFlag()
    let proposer: BlockingProposer
    private let thread = Mutex<PlatformThread?>(nil)
    /// The reapers of dead nodes' services (`LeaderHousekeeping+DeadNodes.swift`); only
    /// the housekeeping thread touches it.
    let deadNodes = Mutex(DeadNodeReaping())

    init(keySpace: ServerKeySpace) {
        self.keySpace = keySpace
        proposer = BlockingProposer(keySpace: keySpace, stopping: stopping)
    }

    func start() {
        let spawned = PlatformThread.spawn(name: "roost-leader") { [self] in run() }
        thread.withLock { running in
            precondition(running == nil, "leader housekeeping started twice")
            running = spawned
        }
    }

    /// Returns within about a poll, or a `CancellationFlag.pollNanoseconds` slice when a
    /// write is in flight. Idempotent.
    func stop() {
        stopping.cancel()
        thread.withLock { running in
            defer { running = nil }
            return running
        }?.join()
    }

    /// Whether this member acts this pass: only the leader sweeps, as only Consul's
    /// leader runs `invalidateSession`. A member that still believes itself leader after
    /// losing an election at worst proposes writes the new leader's log drops, and every
    /// sweep write is guarded by compares on what was read.
    static func acts(leaderID: UInt64, memberID: UInt64) -> Bool {
        precondition(memberID != 0, "a member has a nonzero ID")
        return leaderID == memberID
    }

    private func run() {
        while !stopping.isCancelled {
            if LeaderHousekeeping.acts(
                leaderID: keySpace.status().leaderID, memberID: keySpace.identity.memberID)
            {
                sweepSessions()
                reapDeadNodes(nowNanoseconds: MonotonicClock().nowNanoseconds())
            } else {
                // A later leader starts the dead nodes' clocks over (never cuts them short).
                deadNodes.withLock { $0 = DeadNodeReaping() }
            }
            Sleep.nanoseconds(LeaderHousekeeping.pollNanoseconds)
        }
    }
}
