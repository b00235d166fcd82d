import Platform

#if canImport(Glibc)
    import Glibc
#endif

/// What confd compares between the stage file and the destination (owner, group, mode) plus
/// what we need to compare contents cheaply and to check identity in tests (size, inode).
public struct FileFacts: Sendable, Equatable {
    public var userID: UInt32
    public var groupID: UInt32
    /// Permission bits including setuid/setgid/sticky (`st_mode & 0o7777`).
    public var mode: UInt32
    public var sizeBytes: Int
    public var inode: UInt64
    public var isRegularFile: Bool
    public var isDirectory: Bool

    public init(
        userID: UInt32, groupID: UInt32, mode: UInt32, sizeBytes: Int, inode: UInt64 = 0,
        isRegularFile: Bool = true, isDirectory: Bool = false
    ) {
        self.userID = userID
        self.groupID = groupID
        self.mode = mode
        self.sizeBytes = sizeBytes
        self.inode = inode
        self.isRegularFile = isRegularFile
        self.isDirectory = isDirectory
    }

    init(_ status: stat) {
        let type = UInt32(status.st_mode) & UInt32(S_IFMT)
        self.init(
            userID: status.st_uid, groupID: status.st_gid,
            mode: UInt32(status.st_mode) & 0o7777, sizeBytes: Int(status.st_size),
            inode: UInt64(status.st_ino), isRegularFile: type == UInt32(S_IFREG),
            isDirectory: type == UInt32(S_IFDIR))
    }

    /// `stat(2)` (following symlinks, like Go's os.Stat); nil if nothing is there.
    public static func of(path: String) throws(Errno) -> FileFacts? {
        var status = stat()
        do {
            _ = try Syscall.blocking { stat(path, &status) }
        } catch  where error == .noSuchFile {
            return nil
        }
        return FileFacts(status)
    }

    /// `fstat(2)` of an open file.
    static func of(descriptor: Int32) throws(Errno) -> FileFacts {
        var status = stat()
        _ = try Syscall.blocking { fstat(descriptor, &status) }
        return FileFacts(status)
    }
}
