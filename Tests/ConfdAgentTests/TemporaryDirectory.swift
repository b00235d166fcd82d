#if canImport(Glibc)
    import Glibc
#endif
import Platform

@testable import ConfdAgent

/// A fresh directory under /tmp, removed (with its files) when released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/confd-test-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw Errno.current }
        path = String(cString: created)
    }

    deinit {
        remove(path)
    }

    private func remove(_ directory: String) {
        for name in (try? File.listDirectory(directory)) ?? [] {
            let child = directory + "/" + name
            if (try? FileFacts.of(path: child))??.isDirectory == true {
                remove(child)
            } else {
                try? File.removeIfPresent(child)
            }
        }
        _ = rmdir(directory)
    }

    /// Writes `text` to `name` (relative), creating parent directories.
    @discardableResult
    func write(_ name: String, _ text: String, mode: UInt32 = 0o644) throws -> String {
        let full = path + "/" + name
        try File.makeDirectories(File.parentDirectory(of: full))
        let file = try File.open(full, options: [.readWrite, .create, .truncate], permissions: mode)
        defer { file.close() }
        try file.write(Array(text.utf8), at: 0)
        _ = chmod(full, mode_t(mode))
        return full
    }

    /// The bytes of `name`, or nil if it does not exist.
    func read(_ name: String) throws -> String? {
        let full = name.hasPrefix("/") ? name : path + "/" + name
        guard try File.exists(full) else { return nil }
        let file = try File.open(full, options: [])
        defer { file.close() }
        return String(decoding: try file.read(count: try file.sizeBytes(), at: 0), as: UTF8.self)
    }

    /// The names in the directory, sorted.
    func names(_ subdirectory: String = "") throws -> [String] {
        try File.listDirectory(subdirectory.isEmpty ? path : path + "/" + subdirectory).sorted()
    }
}

extension TemporaryDirectory {
    /// The text of any file (e.g. under /proc, where sizes read as 0).
    static func readFile(_ path: String) throws -> String {
        let file = try File.open(path, options: [])
        defer { file.close() }
        return String(decoding: try file.read(count: 4096, at: 0), as: UTF8.self)
    }
}
