@testable import Raft

/// Drives several `RaftCore`s over a scripted, fully deterministic network: the test
/// harness behind the transcripts (etcd `rafttest.InteractionEnv`) and the paper tests.
/// Every action returns the lines it would print, so transcripts show each step.
struct InteractionEnv {
    struct Node {
        var core: RaftCore?
        let storage: MemoryStorage
        var config: RaftConfig
        /// Entries the node's "state machine" applied, in order (survives no crash).
        var applied: [Entry] = []
        var snapshotsApplied = 0
        /// ReadIndex answers received, in order.
        var readStates: [ReadState] = []
    }

    var nodes: [UInt64: Node] = [:]
    /// Messages sent and not yet delivered, in send order.
    var network: [Message] = []
    /// Groups that can talk among themselves; nil when the network is whole.
    var partition: [[UInt64]]?

    var ids: [UInt64] { nodes.keys.sorted() }

    func core(_ id: UInt64) -> RaftCore {
        guard let core = nodes[id]?.core else { preconditionFailure("node \(id) is down") }
        return core
    }

    // MARK: - Setup

    /// Adds `count` nodes with the next free ids. With `index > 0`, each starts from a
    /// snapshot at `index` (term 1) holding membership `voters`/`learners`.
    mutating func addNodes(
        _ count: Int, voters: [UInt64], learners: [UInt64] = [], index: UInt64 = 0,
        configure: (inout RaftConfig) -> Void = { _ in }
    ) -> [String] {
        var lines: [String] = []
        let firstID = (ids.last ?? 0) + 1
        for id in firstID..<firstID + UInt64(count) {
            let storage = MemoryStorage()
            if index > 0 {
                let conf = ConfState(voters: voters, learners: learners)
                let metadata = SnapshotMetadata(index: index, term: 1, confState: conf)
                try? storage.applySnapshot(Snapshot(metadata: metadata, data: []))
                storage.setHardState(HardState(term: 1, vote: 0, commit: index))
            }
            var config = RaftConfig(id: id)
            config.appliedIndex = index
            configure(&config)
            nodes[id] = Node(core: nil, storage: storage, config: config)
            lines += start(id)
        }
        return lines
    }

    private mutating func start(_ id: UInt64) -> [String] {
        guard var node = nodes[id] else { return ["no node \(id)"] }
        do throws(RaftError) {
            node.core = try RaftCore(config: node.config, storage: node.storage)
        } catch {
            return ["error: \(error)"]
        }
        nodes[id] = node
        return [describe(core(id))]
    }

    /// The process dies: volatile state and undelivered messages to it are lost; its
    /// storage (everything persisted through `processReady`) survives.
    mutating func crash(_ id: UInt64) -> [String] {
        nodes[id]?.core = nil
        network.removeAll { $0.to == id }
        return ["\(id) crashed"]
    }

    /// Restarts from storage. The state machine restarts from the storage's snapshot.
    mutating func restart(_ id: UInt64) -> [String] {
        guard var node = nodes[id], node.core == nil else { return ["\(id) is running"] }
        let snapshot = (try? node.storage.snapshot()) ?? Snapshot()
        node.config.appliedIndex = snapshot.metadata.index
        node.applied = []
        if node.config.testingFaults.contains(.forgetVoteOnRestart),
           var hardState = try? node.storage.initialState().0 {
            hardState.vote = 0
            node.storage.setHardState(hardState)
        }
        nodes[id] = node
        return start(id)
    }

    // MARK: - Driving one node

    /// Runs `body` on node `id` and reports role or term changes it caused.
    mutating func withCore(
        _ id: UInt64, _ body: (inout RaftCore) -> [String]
    ) -> [String] {
        guard var core = nodes[id]?.core else { return ["\(id) is down"] }
        let before = (core.role, core.term)
        var lines = body(&core)
        if (core.role, core.term) != before {
            lines.append("\(id) became \(name(of: core.role)) at term \(core.term)")
        }
        nodes[id]?.core = core
        return lines
    }

    mutating func tick(_ id: UInt64, times: Int) -> [String] {
        withCore(id) { core in
            for _ in 0..<times { core.tick() }
            return []
        }
    }

    /// Ticks until the node's randomized election timeout (or, on a leader, the CheckQuorum
    /// period) has passed once.
    mutating func tickElection(_ id: UInt64) -> [String] {
        guard let core = nodes[id]?.core else { return ["\(id) is down"] }
        let ticks = core.role == .leader
            ? core.config.electionTicks
            : core.randomizedElectionTimeout - core.electionElapsed
        return tick(id, times: max(ticks, 1))
    }

    mutating func tickHeartbeat(_ id: UInt64) -> [String] {
        guard let core = nodes[id]?.core else { return ["\(id) is down"] }
        return tick(id, times: core.config.heartbeatTicks)
    }

    /// Handles one Ready the way a real node must: persist, send, apply, advance.
    mutating func processReady(_ id: UInt64) -> [String] {
        guard var node = nodes[id], var core = node.core else { return ["\(id) is down"] }
        let ready = core.ready()
        if let snapshot = ready.snapshot {
            try? node.storage.applySnapshot(snapshot)
            node.snapshotsApplied += 1
        }
        node.storage.append(ready.entries)
        if let hardState = ready.hardState { node.storage.setHardState(hardState) }
        network.append(contentsOf: ready.messages)
        node.applied.append(contentsOf: ready.committedEntries)
        node.readStates.append(contentsOf: ready.readStates)
        core.advance()
        node.core = core
        nodes[id] = node
        return describe(ready)
    }

    // MARK: - Network

    func canTalk(_ from: UInt64, _ to: UInt64) -> Bool {
        guard let groups = partition else { return true }
        return groups.contains { $0.contains(from) && $0.contains(to) }
    }

    /// Delivers (in send order) every queued message addressed to `id`.
    mutating func deliver(to id: UInt64) -> [String] {
        let inbound = network.filter { $0.to == id }
        network.removeAll { $0.to == id }
        var lines: [String] = []
        let cutOff = inbound.filter { !canTalk($0.from, $0.to) }
        if cutOff.count > 3 {
            lines.append("  dropped \(cutOff.count) messages (partition)")
        }
        for message in inbound {
            guard nodes[id]?.core != nil else { continue }
            guard canTalk(message.from, message.to) else {
                if cutOff.count <= 3 { lines.append("  dropped: \(describe(message))") }
                continue
            }
            lines.append("  " + describe(message))
            lines += withCore(id) { core in
                core.step(message)
                return []
            }.map { "  " + $0 }
        }
        return lines
    }

    mutating func drop(to id: UInt64) -> [String] {
        let dropped = network.filter { $0.to == id }
        network.removeAll { $0.to == id }
        guard dropped.count > 3 else { return dropped.map { "  dropped: " + describe($0) } }
        return ["  dropped \(dropped.count) messages to \(id)"]
    }

    /// Handles Readies and delivers messages until nothing moves.
    mutating func stabilize(_ only: [UInt64]? = nil, quiet: Bool = false) -> [String] {
        let members = only ?? ids
        var lines: [String] = []
        for _ in 0..<10_000 {
            var moved = false
            for id in members where nodes[id]?.core?.hasReady == true {
                moved = true
                let output = processReady(id)
                if !quiet { lines += ["> \(id) handling Ready"] + output }
            }
            for id in members where network.contains(where: { $0.to == id }) {
                moved = true
                let output = deliver(to: id)
                if !quiet && !output.isEmpty { lines += ["> \(id) receiving messages"] + output }
            }
            if !moved { return lines }
        }
        preconditionFailure("stabilize did not converge")
    }
}
