import Testing
@testable import Raft

/// Log replication and commitment rules of the Raft paper (Figure 2, §5.3, §5.4.2, §5.5,
/// §8), one test per rule.
@Suite("Raft paper: log replication and commitment (§5.3, §5.4.2, §5.5)")
struct RaftPaperReplicationTests {
    /// Node 1 leads a three-voter cluster whose log held `logTerms` before the election.
    static func soloLeader(
        logTerms: [UInt64] = [], configure: (inout RaftConfig) -> Void = { _ in }
    ) throws -> SoloNode {
        var node = try SoloNode(logTerms: logTerms, configure: configure)
        node.core.campaign()
        node.step(Message(kind: .voteResponse, from: 2, to: 1, term: node.core.term))
        precondition(node.core.status.role == .leader)
        return node
    }

    @Test("a leader appends a proposal to its log and sends it to every follower (§5.3)")
    func leaderReplicates() throws {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        try env.propose(1, "x")
        let ready = env.processReady(1)
        #expect(ready.contains("    2/4 EntryNormal \"x\""))
        let apps = env.queued(.append)
        #expect(apps.map(\.to).sorted() == [2, 3])
        #expect(apps.allSatisfy { $0.entries.map(\.data) == [Array("x".utf8)] })
    }

    @Test("an entry commits once a majority stored it, and then it is applied (§5.3)")
    func majorityCommits() throws {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        env.partition = [[1, 2], [3]]
        try env.propose(1, "x")
        env.settle()
        #expect(env.status(1).commit == 4)
        #expect(env.appliedData(1) == ["x"])
        #expect(env.appliedData(2) == ["x"])
        #expect(env.appliedData(3) == [])
    }

    @Test("a follower rejects AppendEntries whose previous entry does not match (Figure 2 rule 2)")
    func prevMismatchRejected() throws {
        var node = try SoloNode(logTerms: [1, 1], term: 2)
        node.step(Message(kind: .append, from: 2, to: 1, term: 2, logTerm: 2, index: 2))
        node.step(Message(kind: .append, from: 2, to: 1, term: 2, logTerm: 1, index: 3))
        let replies = node.sent().filter { $0.kind == .appendResponse }
        #expect(replies.map(\.reject) == [true, true])
        #expect(replies.map(\.rejectHint) == [2, 2])
        #expect(replies.map(\.logTerm) == [1, 1])
    }

    @Test("a follower deletes a conflicting entry and all that follow it (Figure 2 rule 3)")
    func conflictTruncates() throws {
        var node = try SoloNode(logTerms: [1, 1, 1], term: 2)
        node.step(Message(
            kind: .append, from: 2, to: 1, term: 2, logTerm: 1, index: 1,
            entries: [Entry(term: 2, index: 2)]))
        node.handleReady()
        #expect(node.core.status.lastIndex == 2)
        #expect(try node.storage.lastIndex() == 2)
        #expect(try node.storage.term(2) == 2)
    }

    @Test("a follower keeps its entries on a duplicate, matching AppendEntries (Figure 2 rule 3)")
    func matchingKeeps() throws {
        var node = try SoloNode(logTerms: [1, 1, 1], term: 1)
        node.step(Message(
            kind: .append, from: 2, to: 1, term: 1, logTerm: 1, index: 1,
            entries: [Entry(term: 1, index: 2, data: [1])]))
        #expect(node.core.status.lastIndex == 3)
        #expect(node.sent().first?.index == 2)
    }

    @Test("a follower sets commit to min(leaderCommit, index of last new entry) (Figure 2 rule 5)")
    func followerCommit() throws {
        var node = try SoloNode(logTerms: [1], term: 1)
        node.step(Message(
            kind: .append, from: 2, to: 1, term: 1, logTerm: 1, index: 1,
            entries: [Entry(term: 1, index: 2)], commit: 5))
        #expect(node.core.status.commit == 2)
    }

    @Test("a leader never overwrites or deletes entries in its log (§5.3, Leader Append-Only)")
    func leaderAppendOnly() throws {
        var node = try Self.soloLeader(logTerms: [1, 1])
        try node.core.propose([7])
        node.handleReady()
        let before = try node.core.raftLog.slice(1, 5, maxBytes: .max)
        node.step(Message(
            kind: .append, from: 2, to: 1, term: 1, logTerm: 1, index: 1,
            entries: [Entry(term: 1, index: 2, data: [9])]))
        node.step(Message(kind: .appendResponse, from: 2, to: 1, term: 2, index: 1, reject: true))
        #expect(try node.core.raftLog.slice(1, 5, maxBytes: .max) == before)
        #expect(node.core.status.role == .leader)
    }

    @Test("after repair a follower's log equals the leader's (§5.3, Log Matching)")
    func logMatchingAfterRepair() throws {
        var env = InteractionEnv.cluster(3, preVote: false, checkQuorum: false)
        env.elect(1)
        env.partition = [[1], [2, 3]]
        try env.propose(1, "lost")
        env.settle()
        env.elect(2)
        try env.propose(2, "kept")
        env.settle()
        env.partition = nil
        _ = env.tickHeartbeat(2)
        env.settle()
        #expect(env.storedTerms(1) == env.storedTerms(2))
        #expect(env.appliedData(1) == ["kept"])
    }

    @Test("a leader moves nextIndex back after a rejection and retries (§5.3)")
    func nextIndexBacksOff() throws {
        var node = try Self.soloLeader(logTerms: [1, 1, 1])
        let first = node.sent().first { $0.kind == .append && $0.to == 2 }
        #expect(first?.index == 3)
        node.step(Message(
            kind: .appendResponse, from: 2, to: 1, term: 2, logTerm: 1, index: 3,
            reject: true, rejectHint: 1))
        let retry = node.sent().first { $0.kind == .append && $0.to == 2 }
        #expect(retry?.index == 1)
        #expect(retry?.entries.map(\.index) == [2, 3, 4])
    }

    @Test("a leader commits only entries of its current term by counting replicas (§5.4.2)")
    func onlyCurrentTermByCounting() throws {
        var node = try Self.soloLeader(logTerms: [1, 1])
        node.handleReady()
        node.step(Message(kind: .appendResponse, from: 2, to: 1, term: 2, index: 2))
        #expect(node.core.status.commit == 0)
        node.step(Message(kind: .appendResponse, from: 2, to: 1, term: 2, index: 3))
        #expect(node.core.status.commit == 3)
    }

    @Test("committing an entry of the current term commits all earlier entries (§5.4.2)")
    func earlierEntriesCommitIndirectly() throws {
        var node = try Self.soloLeader(logTerms: [1, 1])
        node.handleReady()
        node.step(Message(kind: .appendResponse, from: 3, to: 1, term: 2, index: 3))
        let ready = node.handleReady()
        #expect(ready.committedEntries.map(\.index) == [1, 2, 3])
        #expect(ready.committedEntries.map(\.term) == [1, 1, 2])
    }

    @Test("a new leader appends an empty no-op entry of its term (§8)")
    func noOpOnElection() {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        let noOp = env.nodes[1]?.applied.last
        #expect(noOp?.term == 2)
        #expect(noOp?.data == [])
        #expect(env.storedTerms(2) == [2])
    }

    @Test("a single-node leader commits its entry only after it is persisted (etcd-io/etcd#14370)")
    func singleNodeCommitsAfterPersist() throws {
        var node = try SoloNode(voters: [1])
        node.core.campaign()
        #expect(node.core.status.role == .leader)
        let first = node.handleReady()
        #expect(first.entries.map(\.index) == [1])
        #expect(first.committedEntries.isEmpty)
        let second = node.handleReady()
        #expect(second.committedEntries.map(\.index) == [1])
    }

    @Test("committed entries are applied once each, in log order, alike everywhere (§5.3)")
    func stateMachineSafety() throws {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        for value in ["a", "b", "c"] {
            try env.propose(1, value)
            env.settle()
        }
        for id in [1, 2, 3] as [UInt64] {
            let indexes = env.nodes[id]?.applied.map(\.index) ?? []
            #expect(indexes == Array(3...6), "node \(id)")
            #expect(env.appliedData(id) == ["a", "b", "c"])
        }
    }

    @Test("a restarted node recovers term, vote and log from storage (§5.5, Figure 2)")
    func restartRecoversState() throws {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        try env.propose(1, "x")
        env.settle()
        let before = env.status(2)
        _ = env.crash(2)
        _ = env.restart(2)
        let after = env.status(2)
        #expect(after.term == before.term)
        #expect(after.vote == 1)
        #expect(after.lastIndex == before.lastIndex)
        #expect(after.commit == before.commit)
    }

    @Test("AppendEntries is idempotent: a duplicate delivery changes nothing (§5.5)")
    func duplicateAppendIsHarmless() throws {
        var node = try SoloNode(term: 1)
        let append = Message(
            kind: .append, from: 2, to: 1, term: 1, logTerm: 0, index: 0,
            entries: [Entry(term: 1, index: 1), Entry(term: 1, index: 2)], commit: 1)
        node.step(append)
        node.handleReady()
        node.step(append)
        let ready = node.handleReady()
        #expect(ready.entries.isEmpty)
        #expect(ready.messages.first?.reject == false)
        #expect(node.core.status.lastIndex == 2)
    }
}
