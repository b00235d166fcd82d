import Testing

@testable import Raft

/// The disk-backed RaftStorage: what the core reads after a restart is what it persisted.
@Suite("DiskStorage: the Raft log on disk")
struct DiskStorageTests {
    @Test("entries and hard state persisted through a Ready come back after reopening (Figure 2)")
    func reopen() throws {
        let directory = TemporaryDirectory()
        var storage = try DiskStorage.open(
            directory: directory.path, bootstrap: ConfState(voters: [1, 2, 3]))
        var ready = Ready()
        ready.entries = (1...5).map { StorageFixture.entry($0, term: 2) }
        ready.hardState = HardState(term: 2, vote: 3, commit: 4)
        ready.mustSync = true
        try storage.persist(ready)
        storage.close()
        storage = try DiskStorage.open(
            directory: directory.path, bootstrap: ConfState(voters: [1, 2, 3]))
        defer { storage.close() }
        let (hardState, confState) = try storage.initialState()
        #expect(hardState == HardState(term: 2, vote: 3, commit: 4))
        #expect(confState.voters == [1, 2, 3])
        #expect(try storage.lastIndex() == 5)
        #expect(
            try storage.entries(1, 6, maxBytes: .max)
                == (1...5).map { StorageFixture.entry($0, term: 2) })
    }

    @Test("a conflicting suffix replaces the old one on disk too (§5.3)")
    func conflictingSuffix() throws {
        let directory = TemporaryDirectory()
        var storage = try DiskStorage.open(
            directory: directory.path, bootstrap: ConfState(voters: [1]))
        var first = Ready()
        first.entries = (1...5).map { StorageFixture.entry($0, term: 1) }
        first.mustSync = true
        try storage.persist(first)
        var second = Ready()
        second.entries = [StorageFixture.entry(3, term: 2)]
        second.mustSync = true
        try storage.persist(second)
        storage.close()
        storage = try DiskStorage.open(directory: directory.path, bootstrap: ConfState(voters: [1]))
        defer { storage.close() }
        #expect(try storage.lastIndex() == 3)
        #expect(try storage.term(3) == 2)
    }

    @Test("after compaction the log restarts from the snapshot, with later entries intact (§7)")
    func compaction() throws {
        let directory = TemporaryDirectory()
        var storage = try DiskStorage.open(
            directory: directory.path, bootstrap: ConfState(voters: [1]))
        var ready = Ready()
        ready.entries = (1...10).map { StorageFixture.entry($0, term: 1) }
        ready.hardState = HardState(term: 1, vote: 1, commit: 10)
        ready.mustSync = true
        try storage.persist(ready)
        try storage.compact(index: 6, confState: ConfState(voters: [1]), data: [7, 7, 7])
        #expect(try storage.firstIndex() == 7)
        storage.close()
        storage = try DiskStorage.open(directory: directory.path, bootstrap: ConfState(voters: [9]))
        defer { storage.close() }
        #expect(try storage.firstIndex() == 7)
        #expect(try storage.lastIndex() == 10)
        #expect(try storage.snapshot().data == [7, 7, 7])
        #expect(try storage.snapshot().metadata.index == 6)
        #expect(try storage.initialState().1.voters == [1])
        #expect(throws: RaftError.compacted) { try storage.entries(5, 8, maxBytes: .max) }
    }

    @Test("a snapshot received from a leader replaces the log and survives a restart (§7)")
    func installedSnapshot() throws {
        let directory = TemporaryDirectory()
        var storage = try DiskStorage.open(
            directory: directory.path, bootstrap: ConfState(voters: [1, 2, 3]))
        var ready = Ready()
        ready.snapshot = Snapshot(
            metadata: SnapshotMetadata(
                index: 40, term: 3, confState: ConfState(voters: [1, 2, 3])),
            data: [1, 2, 3])
        ready.hardState = HardState(term: 3, vote: 0, commit: 40)
        ready.mustSync = true
        try storage.persist(ready)
        storage.close()
        storage = try DiskStorage.open(
            directory: directory.path, bootstrap: ConfState(voters: [1, 2, 3]))
        defer { storage.close() }
        #expect(try storage.firstIndex() == 41)
        #expect(try storage.term(40) == 3)
        #expect(try storage.initialState().0.commit == 40)
    }

    @Test(
        "an image of older state finished after a leader's snapshot was installed is dropped (§7)")
    func olderImageAfterLeaderSnapshot() throws {
        let directory = TemporaryDirectory()
        var storage = try DiskStorage.open(
            directory: directory.path, bootstrap: ConfState(voters: [1, 2, 3]))
        var first = Ready()
        first.entries = (1...10).map { StorageFixture.entry($0, term: 2) }
        first.hardState = HardState(term: 2, vote: 0, commit: 10)
        first.mustSync = true
        try storage.persist(first)
        // This member starts writing an image at index 8 on its snapshot thread ...
        let older = Snapshot(
            metadata: SnapshotMetadata(index: 8, term: 2, confState: ConfState(voters: [1, 2, 3])),
            data: [8])
        try storage.snapshotStore.save(older)
        // ... while the leader's snapshot at 40 arrives and is installed.
        var install = Ready()
        install.snapshot = Snapshot(
            metadata: SnapshotMetadata(
                index: 40, term: 3, confState: ConfState(voters: [1, 2, 3])),
            data: [40])
        install.hardState = HardState(term: 3, vote: 0, commit: 40)
        install.mustSync = true
        try storage.persist(install)
        #expect(try storage.adoptSavedSnapshot(older, compactTo: 8) == false)
        #expect(try storage.firstIndex() == 41)
        #expect(try storage.snapshot().metadata.index == 40)
        storage.close()
        storage = try DiskStorage.open(
            directory: directory.path, bootstrap: ConfState(voters: [1, 2, 3]))
        defer { storage.close() }
        #expect(try storage.snapshot().data == [40])
        #expect(try storage.firstIndex() == 41)
    }
}
