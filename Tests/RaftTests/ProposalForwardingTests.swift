import Testing
@testable import Raft

/// Followers forward client proposals to their leader (thesis §6.2, etcd `stepFollower`
/// MsgProp), `disableProposalForwarding`, and the limits of a forwarded batch.
@Suite("Raft proposal forwarding")
struct ProposalForwardingTests {
    /// A follower (id 1, voters 1-3) that knows leader 2 at term 1.
    static func followerOfTwo(
        configure: (inout RaftConfig) -> Void = { _ in }
    ) throws -> SoloNode {
        var node = try SoloNode(configure: configure)
        node.step(Message(kind: .heartbeat, from: 2, to: 1, term: 1))
        precondition(node.core.status.lead == 2)
        node.handleReady()
        return node
    }

    @Test("a follower forwards a client proposal to the leader, which commits it (thesis §6.2)")
    func followerForwards() throws {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        var index: UInt64? = 99
        env.mutate(2) { core in index = try? core.propose(Array("via-2".utf8)) }
        #expect(index == nil, "a follower cannot know the index: propose returns nil")
        _ = env.processReady(2)
        let forwarded = env.queued(.propose, to: 1)
        #expect(forwarded.count == 1)
        #expect(forwarded.first?.from == 2)
        #expect(forwarded.first?.entries.map(\.data) == [Array("via-2".utf8)])
        env.settle()
        for id in env.ids {
            #expect(env.appliedData(id) == ["via-2"], "node \(id)")
        }
    }

    @Test("a forwarded batch is appended in order, as one proposal on the leader would be")
    func forwardedBatchKeepsOrder() throws {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        env.mutate(3) { core in _ = try? core.propose(batch: [[1], [2], [3]]) }
        env.settle()
        #expect(env.nodes[1]?.applied.suffix(3).map(\.data) == [[1], [2], [3]])
        #expect(env.status(1).commit == env.status(3).commit)
    }

    @Test("a proposal forwarded during a leadership transfer is dropped (thesis §3.10)")
    func droppedDuringTransfer() throws {
        var node = try RaftPaperReplicationTests.soloLeader()
        try node.core.transferLeadership(to: 3)
        #expect(node.core.status.leadTransferee == 3)
        let lastIndex = node.core.status.lastIndex
        node.step(Message(kind: .propose, from: 2, to: 1, term: node.core.term,
                          entries: [Entry(term: 0, index: 0, data: [7])]))
        #expect(node.core.status.lastIndex == lastIndex)
        // Abandoned after an election timeout (thesis §3.10): forwards are accepted again.
        for _ in 0..<node.core.config.electionTicks { node.core.tick() }
        #expect(node.core.status.leadTransferee == 0)
        node.step(Message(kind: .propose, from: 2, to: 1, term: node.core.term,
                          entries: [Entry(term: 0, index: 0, data: [7])]))
        #expect(node.core.status.lastIndex == lastIndex + 1)
    }

    @Test("a follower with no leader refuses proposals, and so do candidates (thesis §6.2)")
    func noLeaderRefuses() throws {
        var follower = try SoloNode()
        #expect(throws: RaftError.proposalDropped(.noLeader)) { try follower.core.propose([1]) }
        #expect(follower.sent().isEmpty)
        var candidate = try SoloNode()
        candidate.core.campaign()
        #expect(candidate.core.status.role == .candidate)
        #expect(throws: RaftError.proposalDropped(.noLeader)) { try candidate.core.propose([1]) }
        var preCandidate = try SoloNode { $0.preVote = true }
        preCandidate.step(Message(kind: .heartbeat, from: 2, to: 1, term: 1))
        preCandidate.core.campaign()
        #expect(preCandidate.core.status.role == .preCandidate)
        #expect(throws: RaftError.proposalDropped(.noLeader)) {
            try preCandidate.core.propose([1])
        }
    }

    @Test("with disableProposalForwarding a follower refuses with .notLeader and sends nothing")
    func forwardingDisabled() throws {
        var node = try Self.followerOfTwo { $0.disableProposalForwarding = true }
        #expect(throws: RaftError.proposalDropped(.notLeader)) { try node.core.propose([1]) }
        #expect(node.sent().isEmpty)
        var forwarding = try Self.followerOfTwo()
        #expect(try forwarding.core.propose([1]) == nil)
        #expect(forwarding.sent().map(\.kind) == [.propose])
    }

    @Test("a forward carries the follower's term; a leader of a newer term drops it (§5.1)")
    func staleForwardDropped() throws {
        var follower = try Self.followerOfTwo()
        try follower.core.propose([5])
        guard let forward = follower.sent().first else {
            Issue.record("no forward sent")
            return
        }
        #expect(forward.term == 1 && forward.to == 2)
        var leader = try RaftPaperReplicationTests.soloLeader()
        var stale = forward
        stale.to = 1
        stale.from = 2
        stale.term = leader.core.term - 1
        let lastIndex = leader.core.status.lastIndex
        leader.step(stale)
        #expect(leader.core.status.lastIndex == lastIndex)
        #expect(leader.core.status.role == .leader)
    }

    @Test("a leader drops forwarded conf-change entries and forwards from non-members")
    func leaderDropsBadForwards() throws {
        var node = try RaftPaperReplicationTests.soloLeader()
        let lastIndex = node.core.status.lastIndex
        let change = ConfChange(kind: .removeNode, nodeID: 3).encode()
        node.step(Message(
            kind: .propose, from: 2, to: 1, term: node.core.term,
            entries: [Entry(term: 0, index: 0, data: [1]),
                      Entry(term: 0, index: 0, kind: .configurationChange, data: change)]))
        node.step(Message(kind: .propose, from: 9, to: 1, term: node.core.term,
                          entries: [Entry(term: 0, index: 0, data: [1])]))
        node.step(Message(kind: .propose, from: 2, to: 1, term: node.core.term))
        #expect(node.core.status.lastIndex == lastIndex)
    }

    @Test("a leader caps forwarded bytes at uncommittedEntriesBytesMax (limit in, limit + 1 out)")
    func forwardedUncommittedCap() throws {
        var node = try RaftPaperReplicationTests.soloLeader { $0.uncommittedEntriesBytesMax = 10 }
        func forward(_ count: Int) {
            node.step(Message(
                kind: .propose, from: 2, to: 1, term: node.core.term,
                entries: [Entry(term: 0, index: 0, data: Array(repeating: 1, count: count))]))
        }
        let lastIndex = node.core.status.lastIndex
        forward(4)
        forward(6)
        #expect(node.core.status.lastIndex == lastIndex + 2)
        forward(1)
        #expect(node.core.status.lastIndex == lastIndex + 2)
        #expect(throws: RaftError.proposalDropped(.uncommittedBytesLimit(limit: 10))) {
            try node.core.propose([1])
        }
    }

    @Test("""
        a follower forwards forwardedProposalBytesMax payload bytes in a message that \
        decodes; one byte more is refused
        """)
    func forwardedBytesLimit() throws {
        let limit = RaftLimits.forwardedProposalBytesMax
        let count = RaftLimits.entriesPerMessageMax
        let entryBytes = limit / count
        #expect(entryBytes * count == limit)
        var batch = Array(repeating: [UInt8](repeating: 0xAB, count: entryBytes), count: count)
        var node = try Self.followerOfTwo()
        #expect(try node.core.propose(batch: batch) == nil)
        guard let forward = node.sent().first else {
            Issue.record("no forward sent")
            return
        }
        let encoded = forward.encode()
        #expect(encoded.count <= RaftLimits.messageBytesMax)
        let decoded = try Message.decode(encoded)
        #expect(decoded.entries.count == count)
        #expect(decoded.kind == .propose)
        batch[0].append(0)
        #expect(throws: RaftError.proposalDropped(.forwardedProposalBytesLimit(limit: limit))) {
            try node.core.propose(batch: batch)
        }
        // The leader applies the same bound to what it receives.
        var leader = try RaftPaperReplicationTests.soloLeader()
        let lastIndex = leader.core.status.lastIndex
        var oversized = decoded
        oversized.from = 2
        oversized.to = 1
        oversized.term = leader.core.term
        oversized.entries[0].data.append(0)
        leader.step(oversized)
        #expect(leader.core.status.lastIndex == lastIndex)
        oversized.entries[0].data.removeLast()
        leader.step(oversized)
        #expect(leader.core.status.lastIndex == lastIndex + UInt64(count))
    }

    @Test("a follower forwards entriesPerMessageMax entries; one more or none is refused")
    func forwardedCountLimit() throws {
        var node = try Self.followerOfTwo()
        let limit = RaftLimits.entriesPerMessageMax
        #expect(try node.core.propose(batch: Array(repeating: [], count: limit)) == nil)
        #expect(node.sent().first?.entries.count == limit)
        #expect(throws: RaftError.proposalDropped(.badProposalSize)) {
            try node.core.propose(batch: Array(repeating: [], count: limit + 1))
        }
        #expect(throws: RaftError.proposalDropped(.badProposalSize)) {
            try node.core.propose(batch: [])
        }
    }

    // MARK: forgetLeader

    @Test("a follower that forgets its leader grants a vote inside the lease (etcd ForgetLeader)")
    func forgetLeaderLiftsLease() throws {
        var node = try Self.followerOfTwo { $0.checkQuorum = true }
        let request = Message(kind: .vote, from: 3, to: 1, term: 2, logTerm: 0, index: 0)
        node.step(request)
        #expect(node.core.status.term == 1, "inside the lease the vote request is ignored")
        node.core.forgetLeader()
        #expect(node.core.status.lead == 0)
        #expect(throws: RaftError.proposalDropped(.noLeader)) { try node.core.propose([1]) }
        node.step(request)
        #expect(node.core.status.term == 2)
        #expect(node.core.status.vote == 3)
    }

    @Test("forgetLeader does nothing on a leader")
    func forgetLeaderOnLeader() throws {
        var node = try RaftPaperReplicationTests.soloLeader()
        node.core.forgetLeader()
        #expect(node.core.status.role == .leader)
        #expect(node.core.status.lead == 1)
    }

    @Test("followers forget a leader when they apply its removal, then elect at once (§4.2.2)")
    func removedLeaderForgotten() {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        env.mutate(1) { _ = try? $0.proposeConfChange(ConfChange(kind: .removeNode, nodeID: 1)) }
        env.settle()
        #expect(env.status(2).lead == 0)
        #expect(env.status(3).lead == 0)
        // No waiting out the lease: 2 campaigns and 3 grants its (pre-)vote right away.
        env.elect(2)
        #expect(env.status(2).role == .leader)
    }
}
