import Linearizability
import Raft

/// One simulated server: a Raft core over simulated storage, its disk, its key-value
/// replica and the client requests it is working on. `core` is nil while the node is down.
struct SimNode {
    struct PendingRead {
        var context: [UInt8]
        var clientID: Int
        var seq: UInt64
        var key: KVBytes
        /// Set once the ReadState arrived: serve when applied >= readIndex.
        var readIndex: UInt64?
    }

    /// The node's role and leader as last reported (`SoftState` has no public init).
    struct SoftView: Equatable {
        var lead: UInt64 = 0
        var role: RaftRole = .follower
    }

    let id: UInt64
    var core: RaftCore?
    /// What the core reads: everything written, synced or not.
    var storage: MemoryStorage
    var disk = SimDisk()
    var stateMachine = KVStateMachine()
    /// Last soft state seen in a Ready (the node's own view of role and leader).
    var soft = SoftView()
    /// Removed from the membership: stopped for good (ids are never reused).
    var isRetired = false
    /// When a down node comes back.
    var restartAtTick: UInt64?
    /// The next Ready that writes is interrupted by a crash (a mid-write power loss).
    var crashesInNextWrite = false
    /// Writes this node proposed (as leader, or forwarded to its leader) and will answer
    /// when it applies them.
    var pendingWrites: [(clientID: Int, seq: UInt64)] = []
    var pendingReads: [PendingRead] = []
    /// Per incarnation: commit, applied and term only move forward.
    var lastCommit: UInt64 = 0
    var lastApplied: UInt64 = 0
    var lastTerm: UInt64 = 0
    /// The node's clock ticks once every this many simulated ticks (1: a normal clock).
    var clockDivisor = 1
    /// Makes every ReadIndex context unique on this node (etcd-io/etcd#21399).
    var readContextCounter: UInt64 = 0

    init(id: UInt64, core: RaftCore, storage: MemoryStorage) {
        self.id = id
        self.core = core
        self.storage = storage
    }

    var isUp: Bool { core != nil }

    /// Forgets everything volatile (the process died).
    mutating func stop() {
        core = nil
        stateMachine = KVStateMachine()
        soft = SoftView()
        crashesInNextWrite = false
        pendingWrites.removeAll()
        pendingReads.removeAll()
        lastCommit = 0
        lastApplied = 0
        lastTerm = 0
    }
}
