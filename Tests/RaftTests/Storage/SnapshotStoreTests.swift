import Foundation
import Testing

@testable import Raft

@Suite("SnapshotStore: atomic, checksummed snapshot files")
struct SnapshotStoreTests {
    static func snapshot(index: UInt64, bytes: Int = 1000) -> Snapshot {
        Snapshot(
            metadata: SnapshotMetadata(
                index: index, term: 2, confState: ConfState(voters: [1, 2, 3], learners: [4])),
            data: (0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ Int(index)) })
    }

    @Test("a saved snapshot loads back identical, under the name <term>-<index>.snap")
    func roundTrip() throws {
        let directory = TemporaryDirectory()
        let store = try SnapshotStore(directory: directory.sub("snap"))
        #expect(try store.loadNewest() == nil)
        let saved = Self.snapshot(index: 10, bytes: 9 * 1024 * 1024 + 3)
        try store.save(saved)
        #expect(try store.loadNewest() == saved)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.sub("snap"))
        #expect(names == ["0000000000000002-000000000000000a.snap"])
    }

    @Test("only the newest retainCount snapshots are kept")
    func retention() throws {
        let directory = TemporaryDirectory()
        let store = try SnapshotStore(directory: directory.sub("snap"), retainCount: 3)
        for index in 1...5 as ClosedRange<UInt64> {
            try store.save(Self.snapshot(index: index * 10))
        }
        let paths = try store.snapshotPathsNewestFirst()
        #expect(
            paths.map { ($0 as NSString).lastPathComponent }
                == [50, 40, 30].map {
                    SnapshotFileFormat.fileName(SnapshotMetadata(index: $0, term: 2))
                })
        #expect(try store.loadNewest()?.metadata.index == 50)
    }

    @Test("a corrupt newest snapshot falls back to the intact previous one and is reported")
    func fallback() throws {
        let directory = TemporaryDirectory()
        let store = try SnapshotStore(directory: directory.sub("snap"))
        try store.save(Self.snapshot(index: 10))
        try store.save(Self.snapshot(index: 20))
        let newest = try store.snapshotPathsNewestFirst()[0]
        try StorageFixture.modify(newest) { $0[500] ^= 0x04 }
        let result = try store.loadNewestReportingCorruption()
        #expect(result.snapshot == Self.snapshot(index: 10))
        #expect(result.corrupt.count == 1)
        #expect(result.corrupt.first?.corruptLocation?.path == newest)
        #expect(result.corrupt.first?.description.contains("checksum mismatch") == true)
    }

    @Test("if the newest and the previous snapshot are both corrupt, loading fails")
    func bothCorrupt() throws {
        let directory = TemporaryDirectory()
        let store = try SnapshotStore(directory: directory.sub("snap"))
        try store.save(Self.snapshot(index: 10))
        try store.save(Self.snapshot(index: 20))
        let paths = try store.snapshotPathsNewestFirst()
        for path in paths { try StorageFixture.modify(path) { $0[100] ^= 0x80 } }
        let error = storageError { () throws(StorageError) in _ = try store.loadNewest() }
        #expect(error?.corruptLocation?.path == paths[0])
    }

    @Test("a truncated snapshot is corrupt: its length disagrees with its header")
    func truncated() throws {
        let directory = TemporaryDirectory()
        let store = try SnapshotStore(directory: directory.sub("snap"))
        try store.save(Self.snapshot(index: 10))
        let path = try store.snapshotPathsNewestFirst()[0]
        try StorageFixture.truncate(path, toBytes: 600)
        let error = storageError { () throws(StorageError) in _ = try store.loadNewest() }
        #expect(error?.description.contains("file is 600 bytes") == true)
    }

    @Test("a .snap.tmp left by a crash during save is ignored by load and deleted on init")
    func temporaryFiles() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("snap")
        let store = try SnapshotStore(directory: path)
        try store.save(Self.snapshot(index: 10))
        let leftover = path + "/0000000000000002-0000000000000014.snap.tmp"
        let junk = Data(repeating: 7, count: 50)
        #expect(FileManager.default.createFile(atPath: leftover, contents: junk))
        #expect(try store.loadNewest()?.metadata.index == 10)
        _ = try SnapshotStore(directory: path)
        #expect(!FileManager.default.fileExists(atPath: leftover))
    }

    @Test("data of exactly dataBytesMax saves and loads; one byte more is refused")
    func dataLimit() throws {
        let directory = TemporaryDirectory()
        let store = try SnapshotStore(directory: directory.sub("snap"), dataBytesMax: 4096)
        try store.save(Self.snapshot(index: 1, bytes: 4096))
        #expect(try store.loadNewest()?.data.count == 4096)
        let error = storageError { () throws(StorageError) in
            try store.save(Self.snapshot(index: 2, bytes: 4097))
        }
        #expect(error?.kind == .limitExceeded(what: "snapshot data", bytes: 4097, limit: 4096))
        let small = try SnapshotStore(directory: directory.sub("snap"), dataBytesMax: 4095)
        let tooLarge = storageError { () throws(StorageError) in _ = try small.loadNewest() }
        #expect(tooLarge?.description.contains("exceeds dataBytesMax") == true)
    }

    @Test("a ConfState of storedMembersMax ids decodes; one more is refused")
    func membersLimit() {
        for (count, accepted) in [
            (ConfState.storedMembersMax, true), (ConfState.storedMembersMax + 1, false),
        ] {
            var bytes: [UInt8] = []
            StorageBytes.append(UInt32(count), to: &bytes)
            StorageBytes.append(UInt32(0), to: &bytes)
            for id in 0..<count { StorageBytes.append(UInt64(id), to: &bytes) }
            let decoded = bytes.withUnsafeBytes { ConfState.loadStored(from: $0, at: 0) }
            #expect((decoded != nil) == accepted)
            #expect(decoded?.0.voters.count ?? count == count)
        }
    }
}
