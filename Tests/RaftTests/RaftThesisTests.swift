import Testing
@testable import Raft

/// Rules from Ongaro's thesis that the core implements: PreVote (§9.6), CheckQuorum and
/// the vote lease (§6.2, §4.2.3), ReadIndex (§6.4), membership changes and learners
/// (§4.1, §4.2), leadership transfer (§3.10) and snapshots (§5.4 of the thesis, paper §7).
@Suite("Raft thesis: PreVote, CheckQuorum, ReadIndex, membership, transfer, snapshots")
struct RaftThesisTests {
    // MARK: PreVote and CheckQuorum

    @Test("a pre-candidate asks for votes at term + 1 without changing its term (thesis §9.6)")
    func preVoteKeepsTerm() throws {
        var node = try SoloNode { $0.preVote = true }
        node.core.campaign()
        #expect(node.core.status.role == .preCandidate)
        #expect(node.core.status.term == 0)
        let requests = node.sent()
        #expect(requests.allSatisfy { $0.kind == .preVote && $0.term == 1 })
        #expect(try node.storage.initialState().0.term == 0)
    }

    @Test("a partitioned node cannot raise its term, so it rejoins without disruption (§9.6)")
    func partitionedNodeDoesNotDisrupt() {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        env.partition = [[1, 2], [3]]
        for _ in 0..<3 {
            _ = env.tickElection(3)
            env.settle()
        }
        #expect(env.status(3).term == 2)
        env.partition = nil
        _ = env.tickElection(3)
        env.settle()
        _ = env.tickHeartbeat(1)
        env.settle()
        #expect(env.status(1).role == .leader)
        #expect(env.status(1).term == 2)
        #expect(env.status(3).lead == 1)
    }

    @Test("a leader without recent contact from a quorum steps down (thesis §6.2, CheckQuorum)")
    func isolatedLeaderStepsDown() {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        env.partition = [[1], [2, 3]]
        _ = env.tickElection(1)
        #expect(env.status(1).role == .leader)
        _ = env.tickElection(1)
        #expect(env.status(1).role == .follower)
        #expect(env.status(1).lead == 0)
    }

    @Test("a leader that hears from a quorum keeps leading through CheckQuorum (thesis §6.2)")
    func connectedLeaderStays() {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        for _ in 0..<(3 * 10) {
            _ = env.tickHeartbeat(1)
            env.settle()
        }
        #expect(env.status(1).role == .leader)
        #expect(env.status(1).term == 2)
    }

    @Test("a follower that heard from a leader recently ignores votes (thesis §4.2.3)")
    func voteLease() {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        env.mutate(2) {
            $0.step(Message(kind: .vote, from: 3, to: 2, term: 5, logTerm: 2, index: 3))
        }
        #expect(env.status(2).term == 2)
        #expect(env.core(2).messages.isEmpty)
    }

    @Test("a vote request of a leadership transfer overrides the lease (thesis §3.10, §4.2.3)")
    func transferOverridesLease() {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        env.mutate(2) {
            $0.step(Message(kind: .vote, from: 3, to: 2, term: 5, logTerm: 2, index: 3,
                            isLeadershipTransfer: true))
        }
        #expect(env.status(2).term == 5)
        #expect(env.status(2).vote == 3)
    }

    // MARK: ReadIndex

    @Test("a new leader holds ReadIndex requests until its no-op commits (thesis §6.4 step 1)")
    func readHeldUntilNoOpCommits() throws {
        var node = try RaftPaperReplicationTests.soloLeader()
        try node.core.readIndex(context: [1])
        var ready = node.handleReady()
        #expect(!ready.messages.contains { $0.kind == .heartbeat })
        node.step(Message(kind: .appendResponse, from: 2, to: 1, term: 1, index: 1))
        ready = node.handleReady()
        #expect(ready.messages.filter { $0.kind == .heartbeat }.allSatisfy { $0.context == [1] })
        #expect(ready.messages.contains { $0.kind == .heartbeat })
        #expect(ready.readStates.isEmpty)
        node.step(Message(kind: .heartbeatResponse, from: 3, to: 1, term: 1, context: [1]))
        #expect(node.handleReady().readStates == [ReadState(index: 1, context: [1])])
    }

    @Test("ReadIndex answers with the commit index only after a heartbeat quorum (thesis §6.4)")
    func readNeedsQuorum() throws {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        env.mutate(1) { try? $0.readIndex(context: Array("r".utf8)) }
        _ = env.processReady(1)
        #expect(env.nodes[1]?.readStates == [])
        env.settle()
        #expect(env.nodes[1]?.readStates == [ReadState(index: 3, context: Array("r".utf8))])
    }

    @Test("a leader cut off from the quorum never answers ReadIndex (thesis §6.4)")
    func isolatedLeaderNeverReads() {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        env.partition = [[1], [2, 3]]
        env.mutate(1) { try? $0.readIndex(context: Array("r".utf8)) }
        for _ in 0..<5 {
            _ = env.tickHeartbeat(1)
            env.settle()
        }
        #expect(env.nodes[1]?.readStates == [])
    }

    @Test("a follower's ReadIndex goes to the leader and the answer comes back (thesis §6.4)")
    func followerReadForwarded() {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        env.mutate(2) { try? $0.readIndex(context: Array("f".utf8)) }
        _ = env.processReady(2)
        #expect(env.queued(.readIndex, to: 1).count == 1)
        env.settle()
        #expect(env.nodes[2]?.readStates == [ReadState(index: 3, context: Array("f".utf8))])
    }

    @Test("pending reads are dropped when leadership is lost (term-bound, etcd-io/etcd#21399)")
    func readsAreTermBound() {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        env.partition = [[1], [2, 3]]
        env.mutate(1) { try? $0.readIndex(context: Array("r".utf8)) }
        #expect(env.core(1).readOnly.count == 1)
        env.mutate(1) { $0.step(Message(kind: .heartbeat, from: 2, to: 1, term: 3)) }
        env.partition = nil
        env.settle()
        #expect(env.core(1).readOnly.count == 0)
        #expect(env.nodes[1]?.readStates == [])
    }

    // MARK: Membership

    @Test("a leader refuses a conf change until it commits in its term (thesis §4.1 erratum)")
    func confChangeWaitsForTermCommit() throws {
        var node = try RaftPaperReplicationTests.soloLeader()
        #expect(throws: RaftError.proposalDropped(.leaderTermNotCommitted)) {
            try node.core.proposeConfChange(ConfChange(kind: .addLearner, nodeID: 4))
        }
    }

    @Test("at most one configuration change is pending at a time (thesis §4.1)")
    func onePendingChange() throws {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        _ = env.addNodes(1, voters: [])
        var core = env.core(1)
        try core.proposeConfChange(ConfChange(kind: .addLearner, nodeID: 4))
        #expect(throws: RaftError.proposalDropped(.confChangePending)) {
            try core.proposeConfChange(ConfChange(kind: .removeNode, nodeID: 3))
        }
        env.nodes[1]?.core = core
        env.settle()
        env.mutate(1) { _ = try? $0.proposeConfChange(ConfChange(kind: .addVoter, nodeID: 4)) }
        env.settle()
        #expect(env.status(1).confState == ConfState(voters: [1, 2, 3, 4], learners: []))
    }

    @Test("a learner receives the log but does not count toward commitment (thesis §4.2.1)")
    func learnerDoesNotCount() throws {
        var env = InteractionEnv()
        _ = env.addNodes(4, voters: [1, 2, 3], learners: [4], index: 2)
        env.elect(1)
        env.partition = [[1, 4], [2, 3]]
        try env.propose(1, "x")
        env.settle()
        #expect(env.status(1).commit == 3)
        #expect(env.storedTerms(4).count == 2)
    }

    @Test("a learner never starts an election (thesis §4.2.1)")
    func learnerNeverCampaigns() {
        var env = InteractionEnv()
        _ = env.addNodes(4, voters: [1, 2, 3], learners: [4], index: 2)
        _ = env.tick(4, times: 100)
        env.campaign(4)
        #expect(env.status(4).role == .follower)
        #expect(env.status(4).term == 1)
    }

    @Test("a removed leader steps down once the change applies (thesis §4.2.2)")
    func removedLeaderStepsDown() {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        env.mutate(1) { _ = try? $0.proposeConfChange(ConfChange(kind: .removeNode, nodeID: 1)) }
        env.settle()
        #expect(env.status(1).role == .follower)
        #expect(env.status(2).confState.voters == [2, 3])
    }

    @Test("removing the last voter is refused (thesis §4.1)")
    func lastVoterStays() throws {
        var node = try SoloNode(voters: [1])
        node.core.campaign()
        node.handleReady()
        node.handleReady()
        #expect(throws: RaftError.proposalDropped(.confChangeInvalid)) {
            try node.core.proposeConfChange(ConfChange(kind: .removeNode, nodeID: 1))
        }
    }

    // MARK: Leadership transfer

    @Test("a transfer makes a caught-up follower leader through TimeoutNow (thesis §3.10)")
    func transferWorks() {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        env.mutate(1) { try? $0.transferLeadership(to: 2) }
        env.settle()
        #expect(env.status(2).role == .leader)
        #expect(env.status(1).lead == 2)
    }

    @Test("proposals are refused while a leadership transfer is in progress (thesis §3.10)")
    func proposalsRefusedDuringTransfer() throws {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        env.partition = [[1, 2], [3]]
        try env.propose(1, "x")
        env.settle()
        env.mutate(1) { try? $0.transferLeadership(to: 3) }
        #expect(throws: RaftError.proposalDropped(.leadershipTransferInProgress)) {
            try env.propose(1, "y")
        }
    }

    @Test("an unfinished transfer is abandoned after an election timeout (thesis §3.10)")
    func transferAborts() throws {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        env.partition = [[1, 2], [3]]
        env.mutate(1) { try? $0.transferLeadership(to: 3) }
        #expect(env.status(1).leadTransferee == 3)
        _ = env.tickElection(1)
        #expect(env.status(1).leadTransferee == 0)
        try env.propose(1, "after")
    }

    // MARK: Snapshots

    @Test("a follower behind the first index gets the snapshot in chunks, then the log (§7)")
    func snapshotInChunks() throws {
        var env = InteractionEnv.cluster(3) { $0.snapshotChunkBytes = 2 }
        env.elect(1)
        env.partition = [[1, 2], [3]]
        try env.propose(1, "a")
        try env.propose(1, "b")
        env.settle()
        _ = env.run("compact 1 5")
        try env.propose(1, "c")
        env.settle()
        env.partition = nil
        _ = env.tickHeartbeat(1)
        let output = env.stabilize()
        let chunks = output.filter { $0.hasPrefix("    1->3 MsgSnap") }
        #expect(chunks.count == 3)  // "snap@5" in 2-byte chunks
        let snapshot = try #require(try env.nodes[3]?.storage.snapshot())
        #expect(snapshot.metadata.index == 5)
        #expect(snapshot.data == Array("snap@5".utf8))
        #expect(env.appliedData(3) == ["c"])
        #expect(env.status(3).commit == env.status(1).commit)
    }

    @Test("a follower whose log holds the snapshot's last entry keeps what follows it (§7)")
    func snapshotCoveredByLog() throws {
        var node = try SoloNode(logTerms: [1, 1, 1, 1], term: 1)
        node.step(Message(
            kind: .snapshot, from: 2, to: 1, term: 1,
            snapshotMetadata: SnapshotMetadata(
                index: 2, term: 1, confState: ConfState(voters: [1, 2, 3])),
            snapshotDone: true))
        let ready = node.handleReady()
        #expect(ready.snapshot == nil)
        #expect(node.core.status.lastIndex == 4)
        #expect(node.core.status.commit == 2)
        #expect(ready.messages.first?.kind == .appendResponse)
    }

    @Test("an out-of-order snapshot chunk is refused with the bytes held so far (Figure 13)")
    func outOfOrderChunk() throws {
        var node = try SoloNode(term: 1)
        let metadata = SnapshotMetadata(index: 9, term: 1, confState: ConfState(voters: [1, 2]))
        node.step(Message(kind: .snapshot, from: 2, to: 1, term: 1, snapshotMetadata: metadata,
                          snapshotOffset: 0, snapshotChunk: [1, 2]))
        node.step(Message(kind: .snapshot, from: 2, to: 1, term: 1, snapshotMetadata: metadata,
                          snapshotOffset: 4, snapshotChunk: [5], snapshotDone: true))
        let replies = node.sent()
        #expect(replies.map(\.snapshotOffset) == [2, 2])
        #expect(replies.map(\.reject) == [false, true])
        #expect(node.core.status.lastIndex == 0)
    }
}
