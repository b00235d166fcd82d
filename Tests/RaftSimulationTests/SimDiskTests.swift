import Raft
import Testing
@testable import RaftSimulation

@Suite("Raft simulation: the simulated disk")
struct SimDiskTests {
    private func entries(_ range: ClosedRange<UInt64>, term: UInt64) -> [Entry] {
        range.map { Entry(term: term, index: $0, data: [UInt8(truncatingIfNeeded: $0)]) }
    }

    @Test("a synced write survives a crash; an unsynced commit-only hard state does not")
    func unsyncedHardStateIsLost() {
        var disk = SimDisk()
        disk.write(entries: entries(1...3, term: 1), hardState: HardState(term: 1, vote: 2,
                   commit: 1), sync: true)
        disk.write(entries: [], hardState: HardState(term: 1, vote: 2, commit: 3), sync: false)
        disk.crash()
        #expect(disk.hardState == HardState(term: 1, vote: 2, commit: 1))
        #expect(disk.entries.count == 3)
    }

    @Test("a torn write keeps a prefix of its entries and no hard state (WAL order)")
    func tornWriteKeepsPrefix() {
        var disk = SimDisk()
        disk.write(entries: entries(1...4, term: 1), hardState: HardState(term: 1), sync: true)
        disk.crash(interrupted: entries(3...6, term: 2), hardState: HardState(term: 2, vote: 1),
                   keptEntryCount: 2, keepsHardState: true)
        #expect(disk.entries.map(\.term) == [1, 1, 2, 2])
        #expect(disk.hardState == HardState(term: 1))
    }

    @Test("a fully written interrupted Ready may keep its hard state")
    func completeInterruptedWriteKeepsHardState() {
        var disk = SimDisk()
        disk.crash(interrupted: entries(1...2, term: 3), hardState: HardState(term: 3, vote: 3),
                   keptEntryCount: 2, keepsHardState: true)
        #expect(disk.hardState == HardState(term: 3, vote: 3))
    }

    @Test("a restarted node reads exactly the durable state; the planted bug clears the vote")
    func restoredStorage() throws {
        var disk = SimDisk()
        disk.write(entries: entries(1...2, term: 4), hardState: HardState(term: 4, vote: 2,
                   commit: 2), sync: true)
        let bootstrap = ConfState(voters: [1, 2, 3])
        let honest = disk.restoredStorage(bootstrap: bootstrap, forgetsVote: false)
        #expect(try honest.initialState().0 == HardState(term: 4, vote: 2, commit: 2))
        #expect(try honest.initialState().1 == bootstrap)
        #expect(try honest.lastIndex() == 2)
        let buggy = disk.restoredStorage(bootstrap: bootstrap, forgetsVote: true)
        #expect(try buggy.initialState().0.vote == 0)
    }
}
