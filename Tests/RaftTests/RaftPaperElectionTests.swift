import Testing
@testable import Raft

/// Leader election rules of the Raft paper (Figure 2, §5.1, §5.2, §5.4.1), one test per
/// rule, in the spirit of etcd's `raft_paper_test.go`.
@Suite("Raft paper: terms and leader election (§5.1, §5.2, §5.4.1)")
struct RaftPaperElectionTests {
    @Test("servers start up as followers with term 0 (§5.2)")
    func startAsFollower() throws {
        let node = try SoloNode()
        #expect(node.core.status.role == .follower)
        #expect(node.core.status.term == 0)
    }

    @Test("a follower that hears nothing for an election timeout starts an election (§5.2)")
    func followerTimesOut() throws {
        var node = try SoloNode()
        for _ in 0..<(2 * node.core.config.electionTicks) { node.core.tick() }
        #expect(node.core.status.role == .candidate)
        #expect(node.core.status.term == 1)
    }

    @Test("a candidate increments its term and votes for itself (§5.2)")
    func candidateVotesForItself() throws {
        var node = try SoloNode()
        node.core.campaign()
        let ready = node.handleReady()
        #expect(ready.hardState == HardState(term: 1, vote: 1, commit: 0))
        #expect(ready.mustSync)
    }

    @Test("a candidate sends RequestVote with its last log index and term to every voter (§5.2)")
    func candidateRequestsVotes() throws {
        var node = try SoloNode(logTerms: [1, 1, 2])
        node.core.campaign()
        let votes = node.sent().filter { $0.kind == .vote }
        #expect(votes.map(\.to) == [2, 3])
        #expect(votes.allSatisfy { $0.term == 3 && $0.index == 3 && $0.logTerm == 2 })
    }

    @Test("a candidate that receives votes from a majority becomes leader (§5.2)")
    func majorityWins() throws {
        var node = try SoloNode()
        node.core.campaign()
        #expect(node.core.status.role == .candidate)
        node.step(Message(kind: .voteResponse, from: 2, to: 1, term: 1))
        #expect(node.core.status.role == .leader)
        #expect(node.core.status.lead == 1)
    }

    @Test("a candidate that hears AppendEntries from a leader of its term becomes follower (§5.2)")
    func candidateYieldsToLeader() throws {
        var node = try SoloNode()
        node.core.campaign()
        node.step(Message(kind: .append, from: 2, to: 1, term: 1))
        #expect(node.core.status.role == .follower)
        #expect(node.core.status.lead == 2)
    }

    @Test("a candidate rejected by a majority returns to follower (§5.2)")
    func candidateLoses() throws {
        var node = try SoloNode()
        node.core.campaign()
        node.step(Message(kind: .voteResponse, from: 2, to: 1, term: 1, reject: true))
        #expect(node.core.status.role == .candidate)
        node.step(Message(kind: .voteResponse, from: 3, to: 1, term: 1, reject: true))
        #expect(node.core.status.role == .follower)
    }

    @Test("election timeouts are random in [electionTicks, 2 × electionTicks) (§5.2)")
    func randomizedTimeouts() throws {
        var seen = Set<Int>()
        for seed in 1...64 as ClosedRange<UInt64> {
            let node = try SoloNode { $0.randomSeed = seed }
            let timeout = node.core.randomizedElectionTimeout
            let ticks = node.core.config.electionTicks
            #expect(timeout >= ticks && timeout < 2 * ticks, "seed \(seed)")
            seen.insert(timeout)
        }
        #expect(seen.count > 3)
    }

    @Test("the same seed yields the same election timeouts (deterministic core)")
    func sameSeedSameTimeouts() throws {
        var first = try SoloNode { $0.randomSeed = 42 }
        var second = try SoloNode { $0.randomSeed = 42 }
        for _ in 0..<20 {
            #expect(first.core.randomizedElectionTimeout == second.core.randomizedElectionTimeout)
            first.core.campaign()
            second.core.campaign()
        }
    }

    @Test("a server grants at most one vote per term (§5.2, Figure 2 RequestVote)")
    func oneVotePerTerm() throws {
        var node = try SoloNode()
        node.step(Message(kind: .vote, from: 2, to: 1, term: 1))
        node.step(Message(kind: .vote, from: 3, to: 1, term: 1))
        node.step(Message(kind: .vote, from: 2, to: 1, term: 1))
        let answers = node.sent().filter { $0.kind == .voteResponse }
        #expect(answers.map(\.to) == [2, 3, 2])
        #expect(answers.map(\.reject) == [false, true, false])
        #expect(node.core.status.vote == 2)
    }

    @Test("a voter rejects a candidate whose log is less up to date (§5.4.1)")
    func rejectsStaleLog() throws {
        var node = try SoloNode(logTerms: [1, 2])
        node.step(Message(kind: .vote, from: 2, to: 1, term: 3, logTerm: 1, index: 5))
        node.step(Message(kind: .vote, from: 3, to: 1, term: 4, logTerm: 2, index: 1))
        let answers = node.sent().filter { $0.kind == .voteResponse }
        #expect(answers.map(\.reject) == [true, true])
        #expect(node.core.status.vote == 0)
    }

    @Test("a voter grants a candidate whose last term is higher, even with a shorter log (§5.4.1)")
    func higherLastTermWins() throws {
        var node = try SoloNode(logTerms: [1, 1, 1])
        node.step(Message(kind: .vote, from: 2, to: 1, term: 3, logTerm: 2, index: 1))
        #expect(node.sent().first { $0.kind == .voteResponse }?.reject == false)
    }

    @Test("a server that sees a higher term adopts it and becomes follower (§5.1)")
    func higherTermDemotesLeader() {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        env.mutate(1) { $0.step(Message(kind: .heartbeat, from: 2, to: 1, term: 9)) }
        #expect(env.status(1).role == .follower)
        #expect(env.status(1).term == 9)
        #expect(env.status(1).lead == 2)
    }

    @Test("a follower rejects AppendEntries from a stale term (§5.1)")
    func staleAppendRejected() throws {
        var node = try SoloNode(logTerms: [1], term: 2) { $0.preVote = true }
        node.step(Message(
            kind: .append, from: 2, to: 1, term: 1, logTerm: 1, index: 1,
            entries: [Entry(term: 1, index: 2)]))
        #expect(node.core.status.lastIndex == 1)
        let replies = node.sent()
        #expect(replies.count == 1)
        #expect(replies.first?.term == 2)  // tells the stale leader about the new term
    }

    @Test("a leader sends heartbeats to every follower each heartbeat interval (§5.2)")
    func leaderHeartbeats() {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        _ = env.tickHeartbeat(1)
        _ = env.processReady(1)
        #expect(env.queued(.heartbeat).map(\.to).sorted() == [2, 3])
    }

    @Test("a vote is in the HardState of the Ready that sends the grant (Figure 2)")
    func votePersistedWithGrant() throws {
        var node = try SoloNode()
        node.step(Message(kind: .vote, from: 3, to: 1, term: 4))
        let ready = node.handleReady()
        #expect(ready.hardState?.vote == 3)
        #expect(ready.mustSync)
        #expect(ready.messages.contains { $0.kind == .voteResponse && !$0.reject })
        #expect(try node.storage.initialState().0.vote == 3)
    }

    @Test("a node missing a committed entry cannot be elected (§5.4.1, Election Restriction)")
    func electionRestriction() throws {
        var env = InteractionEnv.cluster(3, preVote: false, checkQuorum: false)
        env.elect(1)
        env.partition = [[1, 2], [3]]
        try env.propose(1, "x")
        env.settle()
        env.partition = nil
        _ = env.crash(1)
        env.elect(3)
        #expect(env.status(3).role != .leader)
        #expect(env.status(2).vote != 3)
    }
}
