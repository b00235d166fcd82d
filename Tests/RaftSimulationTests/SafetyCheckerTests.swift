import Linearizability
import Raft
import Testing
@testable import RaftSimulation

@Suite("Raft simulation: the safety checks can fail")
struct SafetyCheckerTests {
    @Test("two leaders of one term break Election Safety (Raft Figure 3)")
    func twoLeadersInOneTerm() {
        var checker = SafetyChecker()
        #expect(checker.observeLeader(node: 1, term: 2, tick: 0) == nil)
        #expect(checker.observeLeader(node: 1, term: 2, tick: 1) == nil)
        #expect(checker.observeLeader(node: 2, term: 3, tick: 2) == nil)
        #expect(checker.observeLeader(node: 3, term: 2, tick: 3)?.kind == .electionSafety)
    }

    @Test("different entries applied at one index break State Machine Safety")
    func differentApplies() {
        var checker = SafetyChecker()
        #expect(checker.observeApply(node: 1, entry: Entry(term: 1, index: 1), tick: 0) == nil)
        #expect(checker.observeApply(node: 2, entry: Entry(term: 1, index: 1), tick: 0) == nil)
        let other = Entry(term: 2, index: 1, data: [1])
        #expect(checker.observeApply(node: 3, entry: other, tick: 0)?.kind
            == .stateMachineSafety)
    }

    @Test("a leader missing a committed entry breaks Leader Completeness")
    func leaderCompleteness() {
        var checker = SafetyChecker()
        _ = checker.observeApply(node: 1, entry: Entry(term: 1, index: 1), tick: 0)
        _ = checker.observeApply(node: 1, entry: Entry(term: 2, index: 2), tick: 0)
        let complete = MemoryStorage()
        complete.append([Entry(term: 1, index: 1), Entry(term: 2, index: 2)])
        let lacking = MemoryStorage()
        lacking.append([Entry(term: 1, index: 1), Entry(term: 3, index: 2)])
        #expect(checker.checkLeaderCompleteness(node: 1, term: 3, storage: complete, tick: 0)
            == nil)
        #expect(checker.checkLeaderCompleteness(node: 2, term: 3, storage: lacking, tick: 0)?
            .kind == .leaderCompleteness)
    }

    @Test("logs that agree on (index, term) but differ before it break Log Matching")
    func logMatching() {
        let base = [Entry(term: 1, index: 1), Entry(term: 1, index: 2)]
        let diverged = [Entry(term: 1, index: 1, data: [9]), Entry(term: 1, index: 2)]
        let longer = base + [Entry(term: 2, index: 3)]
        #expect(SafetyChecker.checkLogMatching([(1, base), (2, longer)], tick: 0) == nil)
        #expect(SafetyChecker.checkLogMatching([(1, base), (2, diverged)], tick: 0)?.kind
            == .logMatching)
    }

    @Test("commands round-trip through entry bytes; every truncation is refused")
    func commandCodec() {
        let commands = [
            SimCommand(clientID: 3, seq: 77, input: .put(key: "k1", value: "v")),
            SimCommand(clientID: 0, seq: 1, input: .compareAndSwap(
                key: "k2", expected: nil, new: "x")),
            SimCommand(clientID: 5, seq: 1 << 40, input: .compareAndSwap(
                key: "k", expected: "", new: "y")),
            SimCommand(clientID: 1, seq: 2, input: .delete(key: "k3")),
        ]
        for command in commands {
            let bytes = command.encode()
            #expect(SimCommand.decode(bytes) == command)
            for cut in 0..<bytes.count {
                #expect(SimCommand.decode(Array(bytes[..<cut])) == nil)
            }
            #expect(SimCommand.decode(bytes + [0]) == nil)
        }
    }

    @Test("a retried command applies once and answers its first result (thesis §6.3)")
    func sessionsDropDuplicates() {
        var machine = KVStateMachine()
        let swap = SimCommand(clientID: 1, seq: 1, input: .compareAndSwap(
            key: "k", expected: nil, new: "a"))
        #expect(machine.apply(swap) == .swapped(true))
        #expect(machine.apply(swap) == .swapped(true), "a duplicate answers like the first")
        #expect(machine.apply(SimCommand(clientID: 1, seq: 2, input: .put(key: "k", value: "b")))
            == .ok)
        #expect(machine.apply(swap) == nil, "a leftover of an older request is ignored")
        #expect(machine.value(of: "k") == KVBytes("b"))
    }
}
