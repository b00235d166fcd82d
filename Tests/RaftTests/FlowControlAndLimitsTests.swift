import Testing
@testable import Raft

/// Flow control (etcd `design.md`: probe / replicate / snapshot), batching, the named
/// limits at limit and limit + 1, and the planted test-only faults.
@Suite("Raft flow control, batching, limits and planted faults")
struct FlowControlAndLimitsTests {
    static func appsTo(_ id: UInt64, in ready: Ready) -> [Message] {
        ready.messages.filter { $0.kind == .append && $0.to == id }
    }

    /// A leader whose follower 2 is in the replicate state.
    static func replicatingLeader(
        configure: (inout RaftConfig) -> Void = { _ in }
    ) throws -> SoloNode {
        var node = try RaftPaperReplicationTests.soloLeader(configure: configure)
        node.handleReady()
        node.step(Message(kind: .appendResponse, from: 2, to: 1, term: 1, index: 1))
        node.handleReady()
        return node
    }

    @Test("a probing follower has at most one MsgApp in flight (etcd flow control)")
    func probeSendsOne() throws {
        var node = try RaftPaperReplicationTests.soloLeader()
        #expect(Self.appsTo(2, in: node.handleReady()).count == 1)
        try node.core.propose([1])
        try node.core.propose([2])
        #expect(Self.appsTo(2, in: node.handleReady()).isEmpty)
        #expect(node.core.status.progress.first { $0.id == 2 }?.state == .probe)
    }

    @Test("a replicating follower gets at most maxInflightMsgs MsgApps in flight (limit, +1)")
    func inflightWindow() throws {
        var node = try Self.replicatingLeader { $0.maxInflightMsgs = 3 }
        var sent = 0
        for value in 0..<4 as Range<UInt8> {
            try node.core.propose([value])
            sent += Self.appsTo(2, in: node.handleReady()).count
        }
        #expect(sent == 3)
        node.step(Message(kind: .appendResponse, from: 2, to: 1, term: 1, index: 2))
        #expect(Self.appsTo(2, in: node.handleReady()).map { $0.entries.count } == [1])
    }

    @Test("proposals made between two Readies go out as one MsgApp per follower (batching)")
    func proposalsBatch() throws {
        var node = try Self.replicatingLeader()
        for value in 0..<5 as Range<UInt8> { try node.core.propose([value]) }
        let apps = Self.appsTo(2, in: node.handleReady())
        #expect(apps.count == 1)
        #expect(apps.first?.entries.count == 5)
    }

    @Test("a MsgApp carries at most maxSizePerMsgBytes of entries, but at least one")
    func messageSizeLimit() throws {
        // Each 1-byte entry counts 25 bytes: two fit in 50, a third would not.
        var node = try Self.replicatingLeader { $0.maxSizePerMsgBytes = 50 }
        try node.core.propose(batch: [[1], [2], [3], [4], [5]])
        let apps = Self.appsTo(2, in: node.handleReady())
        #expect(apps.map { $0.entries.count } == [2, 2, 1])
        var big = try Self.replicatingLeader { $0.maxSizePerMsgBytes = 10 }
        try big.core.propose(Array(repeating: 7, count: 100))
        #expect(Self.appsTo(2, in: big.handleReady()).map { $0.entries.count } == [1])
    }

    @Test("propose fails beyond uncommittedEntriesBytesMax (limit accepted, limit + 1 refused)")
    func uncommittedLimit() throws {
        var node = try RaftPaperReplicationTests.soloLeader { $0.uncommittedEntriesBytesMax = 10 }
        try node.core.propose(Array(repeating: 1, count: 4))
        try node.core.propose(Array(repeating: 2, count: 6))
        #expect(throws: RaftError.proposalDropped(.uncommittedBytesLimit(limit: 10))) {
            try node.core.propose([3])
        }
    }

    @Test("the uncommitted budget is returned once entries are applied")
    func uncommittedBudgetFreed() throws {
        var env = InteractionEnv.cluster(3) { $0.uncommittedEntriesBytesMax = 4 }
        env.elect(1)
        try env.propose(1, "abcd")
        #expect(throws: RaftError.self) { try env.propose(1, "e") }
        env.settle()
        try env.propose(1, "e")
    }

    @Test("at most pendingReadIndexMax reads wait (limit accepted, limit + 1 refused)")
    func pendingReadLimit() throws {
        var node = try RaftPaperReplicationTests.soloLeader()
        let limit = RaftLimits.pendingReadIndexMax
        for request in 0..<limit {
            try node.core.readIndex(context: Array(String(request).utf8))
        }
        #expect(throws: RaftError.proposalDropped(.tooManyPendingReads(limit: limit))) {
            try node.core.readIndex(context: Array("one more".utf8))
        }
    }

    @Test("a read context of contextBytesMax is accepted and one byte more refused")
    func readContextLimit() throws {
        var node = try RaftPaperReplicationTests.soloLeader()
        try node.core.readIndex(context: Array(repeating: 1, count: RaftLimits.contextBytesMax))
        #expect(throws: RaftError.proposalDropped(.badReadContext)) {
            try node.core.readIndex(
                context: Array(repeating: 2, count: RaftLimits.contextBytesMax + 1))
        }
        #expect(throws: RaftError.proposalDropped(.badReadContext)) {
            try node.core.readIndex(context: [])
        }
    }

    @Test("RaftConfig.validate refuses electionTicks <= heartbeatTicks and id 0")
    func configValidation() {
        var config = RaftConfig(id: 1)
        config.electionTicks = 1
        #expect(throws: RaftError.invalidConfig(.electionTicksNotAboveHeartbeat)) {
            try config.validate()
        }
        #expect(throws: RaftError.invalidConfig(.idZero)) {
            try RaftConfig(id: 0).validate()
        }
    }

    @Test("the planted .commitWithoutQuorum fault commits without a majority (test-only)")
    func plantedCommitWithoutQuorum() throws {
        var env = InteractionEnv.cluster(3) { $0.testingFaults = .commitWithoutQuorum }
        env.elect(1)
        env.partition = [[1], [2, 3]]
        try env.propose(1, "unsafe")
        env.settle()
        #expect(env.appliedData(1) == ["unsafe"])
        var honest = InteractionEnv.cluster(3)
        honest.elect(1)
        honest.partition = [[1], [2, 3]]
        try honest.propose(1, "safe")
        honest.settle()
        #expect(honest.appliedData(1) == [])
    }

    @Test("the planted .serveReadIndexBeforeNoOpCommit fault answers reads early (test-only)")
    func plantedEarlyRead() throws {
        var node = try RaftPaperReplicationTests.soloLeader {
            $0.testingFaults = [.serveReadIndexBeforeNoOpCommit, .serveReadIndexWithoutQuorum]
        }
        try node.core.readIndex(context: [1])
        #expect(node.handleReady().readStates == [ReadState(index: 0, context: [1])])
    }
}
