import Foundation
import Testing

@testable import Raft

/// A fresh directory under the system temp directory, deleted when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() {
        let base = NSTemporaryDirectory() + "roost-storage-" + UUID().uuidString
        path = base
        try? FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func sub(_ name: String) -> String { path + "/" + name }
}

enum StorageFixture {
    /// An entry whose data bytes are all non-zero, so zeroing any of them changes it.
    static func entry(_ index: UInt64, term: UInt64 = 1, bytes: Int = 35) -> Entry {
        let data = (0..<bytes).map { UInt8(truncatingIfNeeded: Int(index) &* 31 &+ $0) | 1 }
        return Entry(term: term, index: index, data: data)
    }

    static func options(segmentBytes: Int) -> WALOptions {
        var options = WALOptions()
        options.segmentBytes = segmentBytes
        return options
    }

    /// A copy of a directory: the on-disk state a crash would leave, since every write went
    /// through write(2) into the page cache this process reads.
    static func crashImage(of source: String, into destination: String) throws {
        try FileManager.default.copyItem(atPath: source, toPath: destination)
    }

    static func modify(_ path: String, _ change: (inout [UInt8]) -> Void) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        change(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func truncate(_ path: String, toBytes count: Int) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(count))
        try handle.close()
    }

    static func segmentPaths(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".wal") }.sorted().map { directory + "/" + $0 }
    }

    /// Bytes of a fresh segment's first batch (header + HardState) with no snapshot marker.
    static let segmentStartBytes =
        WALFrame.frameBytes(payloadBytes: 32) + WALFrame.frameBytes(payloadBytes: 24)
}

extension StorageError {
    var corruptLocation: (path: String, offset: Int)? {
        if case .corrupt(let path, let offset, _) = kind { return (path, offset) }
        return nil
    }
}

/// Runs `body` and returns the StorageError it threw, or nil.
func storageError(_ body: () throws(StorageError) -> Void) -> StorageError? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}

extension WALOptions {
    /// 64 KiB segments: tests stay fast in debug builds (the default is 64 MiB).
    static var small: WALOptions { StorageFixture.options(segmentBytes: 64 * 1024) }
}
