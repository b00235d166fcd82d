import Raft
import Testing

@testable import RoostServer

@Suite("RaftDriver: which committed entries may be applied before this Ready's fsync")
struct RaftDriverDurableCommitTests {
    static func entries(_ indexes: ClosedRange<UInt64>) -> [Entry] {
        indexes.map { Entry(term: 2, index: $0, data: [1]) }
    }

    static func ready(
        committed: ClosedRange<UInt64>?, new: ClosedRange<UInt64>?, snapshot: Bool = false
    ) -> Ready {
        var ready = Ready()
        ready.committedEntries = committed.map(entries) ?? []
        ready.entries = new.map(entries) ?? []
        if snapshot {
            ready.snapshot = Snapshot(
                metadata: SnapshotMetadata(index: 4, term: 2, confState: ConfState()), data: [])
        }
        return ready
    }

    @Test("committed entries that earlier Readys persisted are durable: all may be applied first")
    func earlierEntriesAreDurable() {
        #expect(RaftDriver.durableCommittedCount(Self.ready(committed: 5...9, new: 10...14)) == 5)
        #expect(RaftDriver.durableCommittedCount(Self.ready(committed: 5...9, new: nil)) == 5)
    }

    @Test("entries committed in the Ready that brings them wait for its persist (Ready step 3)")
    func sameReadyEntriesWait() {
        #expect(RaftDriver.durableCommittedCount(Self.ready(committed: 5...12, new: 10...14)) == 5)
        #expect(RaftDriver.durableCommittedCount(Self.ready(committed: 10...11, new: 10...14)) == 0)
    }

    @Test("a Ready with a snapshot applies nothing before the snapshot is persisted (§7)")
    func snapshotFirst() {
        let ready = Self.ready(committed: 5...6, new: nil, snapshot: true)
        #expect(RaftDriver.durableCommittedCount(ready) == 0)
    }

    @Test("a Ready with nothing committed applies nothing early")
    func nothingCommitted() {
        #expect(RaftDriver.durableCommittedCount(Self.ready(committed: nil, new: 1...3)) == 0)
    }

    @Test(
        "only proposals and ReadIndex requests may leave before a follower's fsync (etcd raft send)"
    )
    func promiseFreeMessages() {
        let early = Message.Kind.allCases.filter {
            RaftDriver.promisesNothing(Message(kind: $0, from: 2, to: 1, term: 3))
        }
        #expect(early == [.readIndex, .propose])
    }
}
