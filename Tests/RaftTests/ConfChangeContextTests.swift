import Testing
@testable import Raft

/// `ConfChange.context`: member metadata (etcd: name and URLs) that rides with a
/// membership change to every replica's application.
@Suite("Raft ConfChange context")
struct ConfChangeContextTests {
    @Test("a context of confChangeContextBytesMax round-trips; one byte more is refused")
    func codecLimit() throws {
        let limit = RaftLimits.confChangeContextBytesMax
        var change = ConfChange(
            kind: .addVoter, nodeID: 1 << 40, context: Array(repeating: 7, count: limit))
        #expect(try ConfChange.decode(change.encode()) == change)
        change.context.append(7)
        #expect(throws: RaftError.malformed(.countOverLimit)) {
            try ConfChange.decode(change.encode())
        }
    }

    @Test("decoding any strict prefix of a ConfChange with a context throws, never traps")
    func everyTruncation() {
        let bytes = ConfChange(kind: .addLearner, nodeID: 300, context: Array("n4".utf8))
            .encode()
        for cut in 0..<bytes.count {
            #expect(throws: RaftError.self, "cut at \(cut)") {
                try ConfChange.decode(Array(bytes[..<cut]))
            }
        }
    }

    @Test("proposeConfChange takes a context at the limit and refuses limit + 1")
    func proposeLimit() throws {
        let limit = RaftLimits.confChangeContextBytesMax
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        var core = env.core(1)
        #expect(throws: RaftError.proposalDropped(.confChangeContextTooLarge(limit: limit))) {
            try core.proposeConfChange(ConfChange(
                kind: .addLearner, nodeID: 4, context: Array(repeating: 1, count: limit + 1)))
        }
        #expect(try core.proposeConfChange(ConfChange(
            kind: .addLearner, nodeID: 4, context: Array(repeating: 1, count: limit))) > 0)
    }

    @Test("every replica's application gets the context in Ready.committedEntries (thesis §4.1)")
    func contextReachesEveryApplication() throws {
        var env = InteractionEnv.cluster(3)
        env.elect(1)
        let context = Array("name=n4 peer=http://10.0.0.4:2380".utf8)
        env.mutate(1) {
            _ = try? $0.proposeConfChange(
                ConfChange(kind: .addLearner, nodeID: 4, context: context))
        }
        env.settle()
        for id in env.ids {
            let changes = (env.nodes[id]?.applied ?? [])
                .filter { $0.kind == .configurationChange }
                .compactMap { try? ConfChange.decode($0.data) }
            #expect(changes == [ConfChange(kind: .addLearner, nodeID: 4, context: context)],
                    "node \(id)")
            #expect(env.status(id).confState.learners == [4], "the core applied it")
        }
    }

    @Test("conf changes stay leader-only: a follower refuses them with the leader known")
    func confChangesNotForwarded() throws {
        var node = try ProposalForwardingTests.followerOfTwo()
        #expect(throws: RaftError.proposalDropped(.notLeader)) {
            try node.core.proposeConfChange(ConfChange(kind: .addLearner, nodeID: 4))
        }
        #expect(node.sent().isEmpty)
    }
}
