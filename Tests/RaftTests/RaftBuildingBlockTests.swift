import Testing
@testable import Raft

/// MemoryStorage, quorum arithmetic and the in-flight window.
@Suite("Raft building blocks: MemoryStorage, Quorum, Inflights")
struct RaftBuildingBlockTests {
    static func storage(terms: [UInt64]) -> MemoryStorage {
        let storage = MemoryStorage()
        storage.append(terms.enumerated().map { Entry(term: $1, index: UInt64($0 + 1)) })
        return storage
    }

    @Test("MemoryStorage answers term and entries within [first - 1, last] and errs outside")
    func storageBounds() throws {
        let storage = Self.storage(terms: [1, 1, 2, 3])
        #expect(try storage.term(0) == 0)
        #expect(try storage.term(4) == 3)
        #expect(throws: RaftError.unavailable) { try storage.term(5) }
        try storage.createSnapshot(index: 2, confState: ConfState(voters: [1]), data: [])
        try storage.compact(2)
        #expect(try storage.firstIndex() == 3)
        #expect(try storage.term(2) == 1)
        #expect(throws: RaftError.compacted) { try storage.term(1) }
        #expect(throws: RaftError.compacted) { try storage.entries(2, 4, maxBytes: .max) }
        #expect(try storage.entries(3, 5, maxBytes: .max).map(\.index) == [3, 4])
        #expect(try storage.entries(3, 5, maxBytes: 1).map(\.index) == [3])
    }

    @Test("MemoryStorage.append replaces the persisted suffix from the first new index")
    func storageAppendTruncates() throws {
        let storage = Self.storage(terms: [1, 1, 1])
        storage.append([Entry(term: 2, index: 2)])
        #expect(try storage.lastIndex() == 2)
        #expect(try storage.term(2) == 2)
    }

    @Test("MemoryStorage refuses an older snapshot")
    func storageOldSnapshot() throws {
        let storage = MemoryStorage()
        try storage.applySnapshot(Snapshot(metadata: SnapshotMetadata(index: 5, term: 2)))
        #expect(throws: RaftError.snapshotOutOfDate) {
            try storage.applySnapshot(Snapshot(metadata: SnapshotMetadata(index: 4, term: 2)))
        }
        #expect(try storage.firstIndex() == 6)
    }

    @Test("the quorum commit index equals the median of a sorted copy (seeded property)")
    func quorumMatchesNaive() {
        let seed: UInt64 = 77
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<2_000 {
            let count = Int.random(in: 1...9, using: &generator)
            let voters = (1...UInt64(count)).map { $0 }
            let matches = voters.map { _ in UInt64.random(in: 0..<20, using: &generator) }
            let fast = Quorum.committedIndex(voters: voters) { matches[Int($0 - 1)] }
            let naive = matches.sorted(by: >)[count / 2]
            #expect(fast == naive, "seed \(seed) matches \(matches)")
        }
    }

    @Test("an election is won by a majority, lost when a majority refuses, pending otherwise")
    func voteTally() {
        let voters: [UInt64] = [1, 2, 3, 4, 5]
        let votes: [UInt64: Bool] = [1: true, 2: true, 3: false]
        #expect(Quorum.voteResult(voters: voters) { votes[$0] } == .pending)
        #expect(Quorum.voteResult(voters: voters) { $0 <= 3 ? true : nil } == .won)
        #expect(Quorum.voteResult(voters: voters) { $0 >= 3 ? false : true } == .lost)
    }

    @Test("Inflights is full at its count and byte limits and frees up to an index")
    func inflights() {
        var window = Inflights(capacity: 3, bytesMax: 100)
        window.add(index: 1, bytes: 10)
        window.add(index: 2, bytes: 10)
        #expect(!window.isFull)
        window.add(index: 3, bytes: 10)
        #expect(window.isFull)
        window.freeLE(2)
        #expect(window.count == 1 && window.bytes == 10)
        window.add(index: 4, bytes: 90)
        #expect(window.isFull)  // bytes reached bytesMax
        window.freeFirstOne()
        #expect(window.count == 1 && !window.isFull)
    }
}
