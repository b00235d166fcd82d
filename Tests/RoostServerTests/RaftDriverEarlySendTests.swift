import DiscoveryHTTP
import KVStore
import Platform
import Raft
import Synchronization
import Testing

@testable import RoostServer

/// Collects what a driver hands to its transport.
final class SentMessages: Sendable {
    let messages = Mutex<[Message]>([])
    var kinds: [Message.Kind] { messages.withLock { $0.map(\.kind) } }
}

@Suite("RaftDriver: a follower's messages around its fsync")
struct RaftDriverEarlySendTests {
    /// A follower (member 2 of 3) whose log has term 2 and a vote for member 1 on disk.
    static func follower(_ sent: SentMessages) throws -> RaftDriver {
        let directory = ServerProcess.temporaryDirectory("early-send")
        let storage = try DiskStorage.open(
            directory: directory, bootstrap: ConfState(voters: [1, 2, 3]))
        var persisted = Ready()
        persisted.hardState = HardState(term: 2, vote: 1)
        persisted.mustSync = true
        try storage.persist(persisted)
        return try RaftDriverFixture.driver(
            storage: storage, id: 2, term: 2, loop: try EventLoop(name: "early-send"),
            send: { batch in sent.messages.withLock { $0.append(contentsOf: batch) } })
    }

    static func ready(_ kinds: [Message.Kind], hardState: HardState?) -> Ready {
        var ready = Ready()
        ready.hardState = hardState
        ready.messages = kinds.map { Message(kind: $0, from: 2, to: 1, term: 2) }
        return ready
    }

    @Test(
        "a forwarded proposal leaves before the fsync; the append acknowledgement waits (Figure 2)")
    func proposalFirst() throws {
        let sent = SentMessages()
        let driver = try Self.follower(sent)
        defer { driver.storage.close() }
        let commitOnly = HardState(term: 2, vote: 1, commit: 5)
        let later = driver.sendPromiseFree(
            Self.ready([.appendResponse, .propose, .readIndex], hardState: commitOnly))
        #expect(sent.kinds == [.propose, .readIndex])
        #expect(later.map(\.kind) == [.appendResponse])
    }

    @Test("when the Ready raises the term or changes the vote, every message waits for the fsync")
    func newTermHoldsAll() throws {
        let sent = SentMessages()
        let driver = try Self.follower(sent)
        defer { driver.storage.close() }
        for hardState in [HardState(term: 3), HardState(term: 2, vote: 3)] {
            let later = driver.sendPromiseFree(Self.ready([.propose], hardState: hardState))
            #expect(sent.kinds.isEmpty)
            #expect(later.map(\.kind) == [.propose])
        }
    }
}
