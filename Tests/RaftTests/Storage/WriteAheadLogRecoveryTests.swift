import Foundation
import Testing

@testable import Raft

@Suite("WriteAheadLog recovery: torn tails are repaired, corruption is refused")
struct WriteAheadLogRecoveryTests {
    /// A one-segment log with entries 1...3 (one batch each), synced and closed. Returns the
    /// segment path and the byte range of the last record (entry 3: 12 + 17 + 35 = 64 bytes).
    static func threeEntryLog(_ path: String) throws -> (segment: String, last: Range<Int>) {
        let (log, _) = try WriteAheadLog.open(
            directory: path, options: StorageFixture.options(segmentBytes: 4096))
        try log.append(entries: [StorageFixture.entry(1)], hardState: HardState(term: 1))
        try log.append(entries: [StorageFixture.entry(2)], hardState: nil)
        let start = log.offset
        try log.append(entries: [StorageFixture.entry(3)], hardState: nil)
        let end = log.offset
        try log.sync()
        log.close()
        return (try StorageFixture.segmentPaths(path)[0], start..<end)
    }

    enum Tear: CaseIterable {
        case zeros, garbage, truncation
    }

    @Test(
        "a torn last record, cut at EVERY byte, is dropped; earlier entries survive (etcd repair)",
        arguments: Tear.allCases)
    func tornTailEveryOffset(tear: Tear) throws {
        let directory = TemporaryDirectory()
        let pristine = directory.sub("pristine")
        let (segment, last) = try Self.threeEntryLog(pristine)
        #expect(last.count == 64)
        for cut in 0..<last.count {
            let path = directory.sub("cut-\(cut)")
            try StorageFixture.crashImage(of: pristine, into: path)
            let copy = path + "/" + (segment as NSString).lastPathComponent
            switch tear {
            case .zeros:
                try StorageFixture.modify(copy) { bytes in
                    for offset in (last.lowerBound + cut)..<last.upperBound { bytes[offset] = 0 }
                }
            case .garbage:
                try StorageFixture.modify(copy) { bytes in
                    for offset in (last.lowerBound + cut)..<last.upperBound { bytes[offset] = 0xA5 }
                }
            case .truncation:
                try StorageFixture.truncate(copy, toBytes: last.lowerBound + cut)
            }
            let options = StorageFixture.options(segmentBytes: 4096)
            let (log, recovered) = try WriteAheadLog.open(directory: path, options: options)
            #expect(recovered.entries.map(\.index) == [1, 2], "cut \(cut)")
            #expect(recovered.repairedTornTail == (cut > 0 || tear == .garbage), "cut \(cut)")
            #expect(recovered.hardState == HardState(term: 1))
            #expect(log.lastIndex == 2)
            try log.append(entries: [StorageFixture.entry(3, term: 2)], hardState: nil)
            try log.sync()
            log.close()
            let (again, replayed) = try WriteAheadLog.open(directory: path, options: options)
            #expect(replayed.entries.last == StorageFixture.entry(3, term: 2), "cut \(cut)")
            #expect(!replayed.repairedTornTail)
            #expect(try FileManager.default.attributesOfItem(atPath: copy)[.size] as? Int == 4096)
            again.close()
        }
    }

    @Test("a batch is all-or-nothing: a torn HardState drops the entries written with it")
    func batchAtomic() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let (log, _) = try WriteAheadLog.open(directory: path, options: .small)
        try log.append(entries: [StorageFixture.entry(1)], hardState: HardState(term: 2, vote: 2))
        try log.sync()
        try log.append(
            entries: [StorageFixture.entry(2, term: 3)], hardState: HardState(term: 3, vote: 1))
        let hardStateStart = log.offset - WALFrame.frameBytes(payloadBytes: 24)
        log.close()
        let segment = try StorageFixture.segmentPaths(path)[0]
        try StorageFixture.modify(segment) { bytes in
            for offset in (hardStateStart + 13)..<(hardStateStart + 40) { bytes[offset] = 0 }
        }
        let (reopened, recovered) = try WriteAheadLog.open(directory: path, options: .small)
        defer { reopened.close() }
        #expect(recovered.repairedTornTail)
        #expect(recovered.entries.map(\.index) == [1])
        #expect(recovered.hardState == HardState(term: 2, vote: 2))
    }

    @Test(
        "a bad record followed by valid ones in the last segment is refused (PAR: no truncation)"
    )
    func flipInLastSegmentFollowedByValid() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let (log, _) = try WriteAheadLog.open(directory: path, options: .small)
        try log.append(entries: [StorageFixture.entry(1)], hardState: nil)
        let second = log.offset
        for index in 2...5 as ClosedRange<UInt64> {
            try log.append(entries: [StorageFixture.entry(index)], hardState: nil)
        }
        try log.sync()
        log.close()
        let segment = try StorageFixture.segmentPaths(path)[0]
        try StorageFixture.modify(segment) { $0[second + 30] ^= 0x10 }
        let error = storageError { () throws(StorageError) in
            _ = try WriteAheadLog.open(directory: path, options: .small)
        }
        #expect(error?.corruptLocation?.path == segment)
        #expect(error?.corruptLocation?.offset == second)
        let message = error?.description ?? ""
        #expect(message.contains(segment) && message.contains("offset \(second)"))
        #expect(message.contains("checksum mismatch") && message.contains("not a torn final write"))
        // The refusal must not have touched the file: the valid records are still there.
        let reread = try Data(contentsOf: URL(fileURLWithPath: segment))
        #expect(reread[second + 30] != 0)
    }

    @Test("a zeroed sector in the middle of the last segment is refused, not taken as end of log")
    func zeroHoleInLastSegment() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let (log, _) = try WriteAheadLog.open(directory: path, options: .small)
        try log.append(entries: [StorageFixture.entry(1)], hardState: nil)
        let second = log.offset
        for index in 2...5 as ClosedRange<UInt64> {
            try log.append(entries: [StorageFixture.entry(index)], hardState: nil)
        }
        log.close()
        let segment = try StorageFixture.segmentPaths(path)[0]
        try StorageFixture.modify(segment) { bytes in
            for offset in second..<(second + 64) { bytes[offset] = 0 }
        }
        let error = storageError { () throws(StorageError) in
            _ = try WriteAheadLog.open(directory: path, options: .small)
        }
        #expect(error?.corruptLocation?.offset == second)
    }

    /// A log of several 1 KiB segments, one entry (64-byte frame) per batch.
    static func multiSegmentLog(_ path: String, entries: Int = 60) throws -> [String] {
        let (log, _) = try WriteAheadLog.open(
            directory: path, options: StorageFixture.options(segmentBytes: 1024))
        for index in 1...UInt64(entries) {
            try log.append(entries: [StorageFixture.entry(index)], hardState: nil)
        }
        try log.sync()
        log.close()
        return try StorageFixture.segmentPaths(path)
    }

    @Test("a flipped bit in a middle segment is refused with that file and byte offset")
    func flipInMiddleSegment() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let segments = try Self.multiSegmentLog(path)
        #expect(segments.count >= 3)
        let recordOffset = StorageFixture.segmentStartBytes + 2 * 64
        try StorageFixture.modify(segments[1]) { $0[recordOffset + 40] ^= 0x01 }
        let error = storageError { () throws(StorageError) in
            _ = try WriteAheadLog.open(
                directory: path, options: StorageFixture.options(segmentBytes: 1024))
        }
        #expect(error?.corruptLocation?.path == segments[1])
        #expect(error?.corruptLocation?.offset == recordOffset)
        #expect(error?.description.contains("byte offset \(recordOffset)") == true)
    }

    @Test("a torn-looking tail in a segment that is not the last is corruption, never truncated")
    func tornTailInOlderSegment() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let segments = try Self.multiSegmentLog(path)
        let size = try Data(contentsOf: URL(fileURLWithPath: segments[0])).count
        let lastRecord =
            StorageFixture.segmentStartBytes + 64
            * ((size - StorageFixture.segmentStartBytes) / 64 - 1)
        try StorageFixture.modify(segments[0]) { bytes in
            for offset in (lastRecord + 20)..<(lastRecord + 64) { bytes[offset] = 0 }
        }
        let error = storageError { () throws(StorageError) in
            _ = try WriteAheadLog.open(
                directory: path, options: StorageFixture.options(segmentBytes: 1024))
        }
        #expect(error?.corruptLocation?.path == segments[0])
    }

    @Test("a missing segment in the sequence is refused, naming the segment after the gap")
    func missingSegment() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let segments = try Self.multiSegmentLog(path)
        try FileManager.default.removeItem(atPath: segments[1])
        let error = storageError { () throws(StorageError) in
            _ = try WriteAheadLog.open(directory: path, options: .small)
        }
        #expect(error?.corruptLocation?.path == segments[2])
        #expect(error?.description.contains("segments are missing") == true)
    }

    @Test("two segments with the same sequence number are refused")
    func duplicateSegment() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let segments = try Self.multiSegmentLog(path)
        let duplicate = path + "/0000000000000002-0000000000000999.wal"
        try FileManager.default.copyItem(atPath: segments[1], toPath: duplicate)
        let error = storageError { () throws(StorageError) in
            _ = try WriteAheadLog.open(directory: path, options: .small)
        }
        #expect(error?.description.contains("repeats sequence 2") == true)
    }

    @Test("a segment spliced in from another log breaks the CRC chain and is refused")
    func splicedSegment() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let segments = try Self.multiSegmentLog(path)
        let otherPath = directory.sub("other")
        let (other, _) = try WriteAheadLog.open(
            directory: otherPath, options: StorageFixture.options(segmentBytes: 1024))
        for index in 1...60 as ClosedRange<UInt64> {
            try other.append(entries: [StorageFixture.entry(index, term: 9)], hardState: nil)
        }
        other.close()
        let otherSegments = try StorageFixture.segmentPaths(otherPath)
        #expect(
            (otherSegments[1] as NSString).lastPathComponent
                == (segments[1] as NSString).lastPathComponent)
        try FileManager.default.removeItem(atPath: segments[1])
        try FileManager.default.copyItem(atPath: otherSegments[1], toPath: segments[1])
        let error = storageError { () throws(StorageError) in
            _ = try WriteAheadLog.open(
                directory: path, options: StorageFixture.options(segmentBytes: 1024))
        }
        #expect(error?.corruptLocation?.path == segments[1])
        #expect(error?.description.contains("checksum chain broken") == true)
    }

    @Test("a leftover .wal.tmp from a crash during segment creation is deleted on open")
    func temporarySegmentRemoved() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        _ = try Self.multiSegmentLog(path, entries: 5)
        let leftover = path + "/0000000000000002-0000000000000006.wal.tmp"
        let junk = Data([1, 2, 3])
        #expect(FileManager.default.createFile(atPath: leftover, contents: junk))
        let (log, recovered) = try WriteAheadLog.open(directory: path, options: .small)
        defer { log.close() }
        #expect(recovered.entries.count == 5)
        #expect(!FileManager.default.fileExists(atPath: leftover))
    }
}
