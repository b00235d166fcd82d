import Foundation
import Testing

@testable import Raft

@Suite("WriteAheadLog: zeroing the preallocated space ahead of appends")
struct WriteAheadLogZeroAheadTests {
    static func options(zeroAheadBytes: Int) -> WALOptions {
        var options = StorageFixture.options(segmentBytes: 8192)
        options.zeroAheadBytes = zeroAheadBytes
        return options
    }

    @Test("an append past the zeroed space zeroes the next zeroAheadBytes once, not again inside")
    func zeroesAheadOnce() throws {
        let directory = TemporaryDirectory()
        let (log, _) = try WriteAheadLog.open(
            directory: directory.sub("wal"), options: Self.options(zeroAheadBytes: 1024))
        defer { log.close() }
        #expect(log.zeroedOffset == log.offset)
        try log.append(entries: [StorageFixture.entry(1)], hardState: nil)
        let firstZeroed = log.zeroedOffset
        #expect(firstZeroed == log.offset + 1024)
        try log.append(entries: [StorageFixture.entry(2)], hardState: nil)
        #expect(log.zeroedOffset == firstZeroed)
        var index: UInt64 = 3
        while log.offset <= firstZeroed {
            try log.append(entries: [StorageFixture.entry(index)], hardState: nil)
            index += 1
        }
        #expect(log.zeroedOffset == log.offset + 1024)
    }

    @Test("zeroing ahead stops at the segment size, so the segment file never grows")
    func neverPastTheSegment() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let (log, _) = try WriteAheadLog.open(
            directory: path, options: Self.options(zeroAheadBytes: 1 << 20))
        try log.append(entries: [StorageFixture.entry(1)], hardState: nil)
        #expect(log.zeroedOffset == 8192)
        try log.sync()
        log.close()
        let sizes = try StorageFixture.segmentPaths(path).map {
            try FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int
        }
        #expect(sizes == [8192])
    }

    @Test("records across zeroed chunks, segments and reopens replay whole (no zeros over records)")
    func recordsSurvive() throws {
        let directory = TemporaryDirectory()
        let path = directory.sub("wal")
        let options = Self.options(zeroAheadBytes: 300)
        var index: UInt64 = 1
        for _ in 0..<3 {
            let (log, _) = try WriteAheadLog.open(directory: path, options: options)
            for _ in 0..<150 {
                try log.append(
                    entries: [StorageFixture.entry(index)],
                    hardState: HardState(term: 1, commit: index - 1))
                #expect(log.zeroedOffset >= log.offset && log.zeroedOffset <= 8192)
                index += 1
            }
            try log.sync()
            log.close()
        }
        try StorageFixture.crashImage(of: path, into: directory.sub("image"))
        let (copy, recovered) = try WriteAheadLog.open(
            directory: directory.sub("image"), options: options)
        defer { copy.close() }
        #expect(copy.segmentFileNames.count > 1)
        #expect(recovered.entries == (1..<index).map { StorageFixture.entry($0) })
        #expect(!recovered.repairedTornTail)
    }
}
