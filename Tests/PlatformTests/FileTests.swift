import Foundation
import Platform
import Testing

@Suite("File: the blocking file syscall layer")
struct FileTests {
    final class Scratch {
        let path = NSTemporaryDirectory() + "roost-file-" + UUID().uuidString
        init() {
            try? FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test("pwrite at an offset and pread back return the same bytes; reads stop short at EOF")
    func readWrite() throws {
        let scratch = Scratch()
        let file = try File.open(scratch.path + "/a", options: [.readWrite, .create, .exclusive])
        try file.write([1, 2, 3, 4], at: 10)
        #expect(try file.sizeBytes() == 14)
        #expect(try file.read(count: 4, at: 10) == [1, 2, 3, 4])
        #expect(try file.read(count: 100, at: 12) == [3, 4])
        #expect(try file.read(count: 2, at: 0) == [0, 0])
        try file.seek(to: 14)
        try file.append([5, 6])
        #expect(try file.read(count: 3, at: 13) == [4, 5, 6])
        try file.synchronizeData()
        try file.synchronize()
        file.close()
        file.close()
    }

    @Test("O_EXCL create of an existing file fails with EEXIST; opening a missing file with ENOENT")
    func openErrors() throws {
        let scratch = Scratch()
        _ = try File.open(scratch.path + "/a", options: [.readWrite, .create])
        #expect(throws: Errno.fileExists) {
            try File.open(scratch.path + "/a", options: [.readWrite, .create, .exclusive])
        }
        #expect(throws: Errno.noSuchFile) { try File.open(scratch.path + "/missing", options: []) }
    }

    @Test("preallocate reserves the size and reads back zeros; truncate shrinks and grows")
    func preallocateAndTruncate() throws {
        let scratch = Scratch()
        let file = try File.open(scratch.path + "/a", options: [.readWrite, .create])
        try file.preallocate(bytes: 65536)
        #expect(try file.sizeBytes() == 65536)
        #expect(try file.read(count: 16, at: 65520) == [UInt8](repeating: 0, count: 16))
        try file.truncate(toBytes: 100)
        #expect(try file.sizeBytes() == 100)
        try file.preallocate(bytes: 50)
        #expect(try file.sizeBytes() == 100, "preallocate never shrinks")
    }

    @Test("mkdir -p creates missing parents and reports them outermost first")
    func makeDirectories() throws {
        let scratch = Scratch()
        let deep = scratch.path + "/x/y/z"
        #expect(
            try File.makeDirectories(deep) == [scratch.path + "/x", scratch.path + "/x/y", deep])
        #expect(try File.makeDirectories(deep) == [])
        #expect(try File.exists(deep))
        try File.synchronizeDirectory(deep)
        #expect(File.parentDirectory(of: deep) == scratch.path + "/x/y")
        #expect(File.parentDirectory(of: "/top") == "/")
        #expect(File.parentDirectory(of: "name") == ".")
    }

    @Test("rename replaces, remove unlinks, listDirectory sees the names")
    func names() throws {
        let scratch = Scratch()
        _ = try File.open(scratch.path + "/a", options: [.readWrite, .create])
        _ = try File.open(scratch.path + "/b", options: [.readWrite, .create])
        try File.rename(scratch.path + "/a", to: scratch.path + "/c")
        #expect(try File.listDirectory(scratch.path).sorted() == ["b", "c"])
        try File.remove(scratch.path + "/b")
        try File.removeIfPresent(scratch.path + "/b")
        #expect(throws: Errno.noSuchFile) { try File.remove(scratch.path + "/b") }
        #expect(try File.listDirectory(scratch.path) == ["c"])
        #expect(try !File.exists(scratch.path + "/b"))
    }

    @Test("flock is exclusive between two opens and released by close")
    func lock() throws {
        let scratch = Scratch()
        let first = try File.open(scratch.path, options: [.directory])
        let second = try File.open(scratch.path, options: [.directory])
        #expect(try first.tryLockExclusive())
        #expect(try !second.tryLockExclusive())
        first.close()
        #expect(try second.tryLockExclusive())
    }
}
