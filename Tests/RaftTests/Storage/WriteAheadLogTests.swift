import Foundation
import Testing

@testable import Raft

@Suite("WriteAheadLog: append, sync, reopen, rotation, release")
struct WriteAheadLogTests {
    @Test("entries and HardState written and synced come back in order after close and reopen")
    func roundTrip() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let (log, fresh) = try WriteAheadLog.open(directory: path, options: .small)
        #expect(fresh.entries.isEmpty && fresh.hardState == HardState() && log.lastIndex == 0)
        let entries = (1...10).map { StorageFixture.entry($0) }
        try log.append(entries: Array(entries[..<5]), hardState: HardState(term: 1, vote: 2))
        try log.append(
            entries: Array(entries[5...]), hardState: HardState(term: 1, vote: 2, commit: 7))
        try log.sync()
        #expect(log.lastIndex == 10)
        log.close()
        let (reopened, recovered) = try WriteAheadLog.open(directory: path, options: .small)
        defer { reopened.close() }
        #expect(recovered.entries == entries)
        #expect(recovered.hardState == HardState(term: 1, vote: 2, commit: 7))
        #expect(recovered.snapshotMetadata == nil && !recovered.repairedTornTail)
        #expect(reopened.lastIndex == 10)
    }

    @Test("a log reopened after close keeps appending where it left off")
    func appendAfterReopen() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        for round in 0..<3 {
            let (log, recovered) = try WriteAheadLog.open(directory: path, options: .small)
            #expect(recovered.entries.count == round * 4)
            let first = UInt64(round * 4 + 1)
            try log.append(
                entries: (first..<(first + 4)).map { StorageFixture.entry($0) }, hardState: nil)
            try log.sync()
            log.close()
        }
        let (log, recovered) = try WriteAheadLog.open(directory: path, options: .small)
        defer { log.close() }
        #expect(recovered.entries == (1...12).map { StorageFixture.entry($0) })
    }

    @Test("a crash without close or sync keeps what write(2) put in the page cache")
    func crashWithoutClose() throws {
        let directory = TemporaryDirectory()
        let (log, _) = try WriteAheadLog.open(directory: directory.sub("wal"), options: .small)
        try log.append(
            entries: (1...3).map { StorageFixture.entry($0) },
            hardState: HardState(term: 4, vote: 1))
        try StorageFixture.crashImage(of: directory.sub("wal"), into: directory.sub("image"))
        let (copy, recovered) = try WriteAheadLog.open(
            directory: directory.sub("image"), options: .small)
        defer { copy.close() }
        #expect(recovered.entries.map(\.index) == [1, 2, 3])
        #expect(recovered.hardState == HardState(term: 4, vote: 1))
        log.close()
    }

    @Test("the log moves to a new preallocated segment when one is full, and replays across all")
    func rotation() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let options = StorageFixture.options(segmentBytes: 1024)
        let (log, _) = try WriteAheadLog.open(directory: path, options: options)
        for index in 1...200 as ClosedRange<UInt64> {
            try log.append(
                entries: [StorageFixture.entry(index)],
                hardState: HardState(term: 1, commit: index - 1))
        }
        try log.sync()
        let names = log.segmentFileNames
        #expect(names.count > 10)
        #expect(names.first == "0000000000000001-0000000000000001.wal")
        let sizes = try StorageFixture.segmentPaths(path).map {
            try FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int
        }
        #expect(sizes.allSatisfy { $0 == 1024 })
        log.close()
        let (reopened, recovered) = try WriteAheadLog.open(directory: path, options: options)
        defer { reopened.close() }
        #expect(recovered.entries == (1...200).map { StorageFixture.entry($0) })
        #expect(recovered.hardState == HardState(term: 1, commit: 199))
        #expect(reopened.segmentFileNames == names)
    }

    @Test("a batch larger than a segment goes into one segment that grows past its preallocation")
    func oversizeBatch() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let options = StorageFixture.options(segmentBytes: 512)
        let (log, _) = try WriteAheadLog.open(directory: path, options: options)
        let entries = (1...20).map { StorageFixture.entry($0, bytes: 100) }
        try log.append(entries: entries, hardState: nil)
        try log.sync()
        log.close()
        let (reopened, recovered) = try WriteAheadLog.open(directory: path, options: options)
        defer { reopened.close() }
        #expect(recovered.entries == entries)
    }

    @Test(
        "releaseSegments deletes segments behind the snapshot; HardState and later entries survive"
    )
    func release() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let options = StorageFixture.options(segmentBytes: 1024)
        let (log, _) = try WriteAheadLog.open(directory: path, options: options)
        try log.append(entries: [], hardState: HardState(term: 5, vote: 3, commit: 0))
        for index in 1...100 as ClosedRange<UInt64> {
            try log.append(entries: [StorageFixture.entry(index, term: 5)], hardState: nil)
        }
        let before = log.segmentFileNames.count
        try log.releaseSegments(upTo: 60)
        #expect(log.segmentFileNames.count == before, "no snapshot marker yet: nothing released")
        let marker = SnapshotMetadata(index: 60, term: 5, confState: ConfState(voters: [1, 2, 3]))
        try log.recordSnapshot(marker)
        try log.releaseSegments(upTo: 80)
        let after = log.segmentFileNames
        #expect(after.count < before)
        #expect(try StorageFixture.segmentPaths(path).count == after.count)
        log.close()
        let (reopened, recovered) = try WriteAheadLog.open(directory: path, options: options)
        defer { reopened.close() }
        #expect(recovered.snapshotMetadata == marker)
        #expect(recovered.entries == (61...100).map { StorageFixture.entry($0, term: 5) })
        #expect(recovered.hardState == HardState(term: 5, vote: 3, commit: 0))
        #expect(reopened.lastIndex == 100)
    }

    @Test("releaseSegments never deletes the current segment")
    func releaseKeepsCurrent() throws {
        let directory = TemporaryDirectory()
        let (log, _) = try WriteAheadLog.open(directory: directory.sub("wal"), options: .small)
        defer { log.close() }
        try log.append(entries: (1...5).map { StorageFixture.entry($0) }, hardState: nil)
        try log.recordSnapshot(SnapshotMetadata(index: 5, term: 1))
        try log.releaseSegments(upTo: 5)
        #expect(log.segmentFileNames.count == 1)
    }

    @Test("an entry at index i <= lastIndex replaces i and drops everything after it (Raft §5.3)")
    func conflictingSuffix() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let options = StorageFixture.options(segmentBytes: 1024)
        let (log, _) = try WriteAheadLog.open(directory: path, options: options)
        try log.append(entries: (1...30).map { StorageFixture.entry($0, term: 1) }, hardState: nil)
        try log.append(entries: (31...40).map { StorageFixture.entry($0, term: 1) }, hardState: nil)
        let replacement = (25...27).map { StorageFixture.entry($0, term: 2, bytes: 9) }
        try log.append(entries: replacement, hardState: HardState(term: 2))
        #expect(log.lastIndex == 27)
        try log.append(entries: [StorageFixture.entry(5, term: 3)], hardState: nil)
        try log.append(entries: [StorageFixture.entry(6, term: 3)], hardState: nil)
        try log.sync()
        log.close()
        let (reopened, recovered) = try WriteAheadLog.open(directory: path, options: options)
        defer { reopened.close() }
        let expected =
            (1...4).map { StorageFixture.entry($0, term: 1) }
            + [StorageFixture.entry(5, term: 3), StorageFixture.entry(6, term: 3)]
        #expect(recovered.entries == expected)
        #expect(reopened.lastIndex == 6)
    }

    @Test("a second open of a locked data directory fails with lockedByAnotherProcess (flock)")
    func lockContention() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let (log, _) = try WriteAheadLog.open(directory: path, options: .small)
        let error = storageError { () throws(StorageError) in
            _ = try WriteAheadLog.open(directory: path, options: .small)
        }
        #expect(error?.kind == .lockedByAnotherProcess(path: path))
        #expect(error?.description.contains("locked by another process") == true)
        log.close()
        let (again, _) = try WriteAheadLog.open(directory: path, options: .small)
        again.close()
    }

    @Test("an entry payload of exactly recordPayloadBytesMax is accepted; one byte more throws")
    func appendLimit() throws {
        let directory = TemporaryDirectory()
        var options = WALOptions()
        options.recordPayloadBytesMax = 1000
        let (log, _) = try WriteAheadLog.open(directory: directory.sub("wal"), options: options)
        defer { log.close() }
        let fits = Entry(term: 1, index: 1, data: [UInt8](repeating: 1, count: 1000 - 17))
        try log.append(entries: [fits], hardState: nil)
        let tooBig = Entry(term: 1, index: 2, data: [UInt8](repeating: 1, count: 1000 - 16))
        let error = storageError { () throws(StorageError) in
            try log.append(entries: [tooBig], hardState: nil)
        }
        #expect(error?.kind == .limitExceeded(what: "WAL record payload", bytes: 1001, limit: 1000))
        #expect(log.lastIndex == 1)
    }

    @Test("a snapshot marker makes replay start after it; entries written before it survive")
    func snapshotMarker() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let (log, _) = try WriteAheadLog.open(directory: path, options: .small)
        try log.append(entries: (1...10).map { StorageFixture.entry($0) }, hardState: nil)
        try log.recordSnapshot(SnapshotMetadata(index: 6, term: 1))
        log.close()
        let (reopened, recovered) = try WriteAheadLog.open(directory: path, options: .small)
        #expect(recovered.entries.map(\.index) == [7, 8, 9, 10])
        reopened.close()
        let (older, fromOlder) = try WriteAheadLog.open(
            directory: path, options: .small, snapshot: SnapshotMetadata(index: 3, term: 1))
        #expect(fromOlder.entries.map(\.index) == Array(4...10))
        older.close()
    }

    @Test("a caller snapshot newer than every marker is recorded, and appends continue after it")
    func newerCallerSnapshot() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let (log, _) = try WriteAheadLog.open(directory: path, options: .small)
        try log.append(entries: (1...3).map { StorageFixture.entry($0) }, hardState: nil)
        log.close()
        let snapshot = SnapshotMetadata(index: 50, term: 2)
        let (reopened, recovered) = try WriteAheadLog.open(
            directory: path, options: .small, snapshot: snapshot)
        #expect(recovered.entries.isEmpty && reopened.lastIndex == 50)
        try reopened.append(entries: [StorageFixture.entry(51, term: 2)], hardState: nil)
        reopened.close()
        let (last, final) = try WriteAheadLog.open(directory: path, options: .small)
        defer { last.close() }
        #expect(final.snapshotMetadata == snapshot && final.entries.map(\.index) == [51])
    }
}
