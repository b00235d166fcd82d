#if canImport(Glibc)
    import Glibc
#endif

/// Name-level operations: rename, unlink, mkdir -p, listing, directory fsync.
///
/// On Linux a create, rename or unlink is durable only after an `fsync` of the directory
/// that holds the name (etcd-io/etcd#6368, "Possible data loss -- fsync parent
/// directories"); `synchronizeDirectory` does that.
extension File {
    /// Atomically replaces `destination` with `source` (`rename(2)`).
    public static func rename(_ source: String, to destination: String) throws(Errno) {
        _ = try Syscall.blocking { Glibc.rename(source, destination) }
    }

    /// Removes a file name (`unlink(2)`).
    public static func remove(_ path: String) throws(Errno) {
        _ = try Syscall.blocking { unlink(path) }
    }

    /// Removes a file name; succeeds if it did not exist.
    public static func removeIfPresent(_ path: String) throws(Errno) {
        do {
            try remove(path)
        } catch  where error == .noSuchFile {
            return
        }
    }

    /// True if `path` names an existing file or directory (`stat(2)`).
    public static func exists(_ path: String) throws(Errno) -> Bool {
        var status = stat()
        do {
            _ = try Syscall.blocking { stat(path, &status) }
            return true
        } catch  where error == .noSuchFile {
            return false
        }
    }

    /// `mkdir -p`: creates `path` and any missing parents. Returns the directories it created,
    /// outermost first, so the caller can fsync each one's parent to make the names durable.
    @discardableResult
    public static func makeDirectories(_ path: String, permissions: UInt32 = 0o755)
        throws(Errno) -> [String]
    {
        precondition(!path.isEmpty, "empty directory path")
        var created: [String] = []
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += prefix.isEmpty || prefix.hasSuffix("/") ? "\(component)" : "/\(component)"
            do {
                let current = prefix
                _ = try Syscall.blocking { mkdir(current, mode_t(permissions)) }
                created.append(current)
            } catch  where error == .fileExists {
                continue
            }
        }
        return created
    }

    /// The names in directory `path`, without "." and "..", in no particular order.
    public static func listDirectory(_ path: String) throws(Errno) -> [String] {
        var names: [String] = []
        _ = try Syscall.blocking { () -> Int32 in
            names.removeAll()
            guard let stream = opendir(path) else { return -1 }
            defer { closedir(stream) }
            while true {
                errno = 0
                guard let entry = readdir(stream) else { return errno == 0 ? 0 : -1 }
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." { names.append(name) }
            }
        }
        return names
    }

    /// `fsync(2)` on a directory, making the creates, renames and unlinks in it durable.
    public static func synchronizeDirectory(_ path: String) throws(Errno) {
        let directory = try File.open(path, options: [.directory])
        defer { directory.close() }
        try directory.synchronize()
    }

    /// The directory part of `path` ("." for a bare name, "/" for a top-level name).
    public static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }
}
