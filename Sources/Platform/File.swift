#if canImport(Glibc)
    import Glibc
#endif

/// An open file descriptor for blocking disk I/O (WAL segments, snapshots, lock files).
///
/// A class because it owns a resource: the descriptor is closed exactly once, by `close()` or
/// by `deinit`. Not `Sendable`: one thread uses a `File` at a time (hand it over with
/// `sending`). Every libc call goes through `Syscall.blocking`, so `EINTR` is retried and
/// programmer errors (`EBADF`, `EFAULT`) stop the process.
///
/// Never call these methods on an event-loop thread: they block on the disk.
public final class File {
    /// How to open a file. Maps one to one onto `open(2)` flags.
    public struct Options: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// `O_RDWR` instead of `O_RDONLY`.
        public static let readWrite = Options(rawValue: 1 << 0)
        /// `O_CREAT`: create the file if it does not exist.
        public static let create = Options(rawValue: 1 << 1)
        /// `O_EXCL` (with `.create`): fail with `EEXIST` if the file exists.
        public static let exclusive = Options(rawValue: 1 << 2)
        /// `O_TRUNC`: empty an existing file.
        public static let truncate = Options(rawValue: 1 << 3)
        /// `O_DIRECTORY`: fail unless the path is a directory (used to fsync or lock one).
        public static let directory = Options(rawValue: 1 << 4)

        var openFlags: Int32 {
            var flags = O_CLOEXEC | (contains(.readWrite) ? O_RDWR : O_RDONLY)
            if contains(.create) { flags |= O_CREAT }
            if contains(.exclusive) { flags |= O_EXCL }
            if contains(.truncate) { flags |= O_TRUNC }
            if contains(.directory) { flags |= O_DIRECTORY }
            return flags
        }
    }

    /// The path the file was opened with, for error messages.
    public let path: String
    /// The descriptor, or -1 once closed.
    public private(set) var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close()
    }

    /// Opens (or creates) `path`. `permissions` applies only when the file is created.
    public static func open(
        _ path: String, options: Options, permissions: UInt32 = 0o644
    ) throws(Errno) -> File {
        let descriptor = try Syscall.blocking {
            Glibc.open(path, options.openFlags, mode_t(permissions))
        }
        return File(path: path, descriptor: descriptor)
    }

    /// Closes the descriptor (releasing any `flock`). Idempotent. `close(2)` errors are not
    /// reported: on Linux the descriptor is gone either way, and durability comes only from
    /// an earlier successful `fsync`/`fdatasync`, never from `close`.
    public func close() {
        guard descriptor >= 0 else { return }
        _ = Glibc.close(descriptor)
        descriptor = -1
    }

    // MARK: Reading and writing

    /// Reads until `buffer` is full or the end of the file, starting at byte `offset`
    /// (`pread(2)` in a loop). Returns the byte count read: less than `buffer.count` only at
    /// the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(Errno)
        -> Int
    {
        precondition(offset >= 0, "negative file offset")
        var done = 0
        while done < buffer.count {
            let remaining = UnsafeMutableRawBufferPointer(rebasing: buffer[done...])
            let count = try Syscall.blocking {
                pread(descriptor, remaining.baseAddress, remaining.count, off_t(offset + done))
            }
            if count == 0 { break }
            done += count
        }
        return done
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    public func read(count: Int, at offset: Int) throws(Errno) -> [UInt8] {
        precondition(count >= 0, "negative read count")
        var bytes = [UInt8](repeating: 0, count: count)
        // withUnsafeMutableBytes only rethrows untyped errors: carry the Errno in a Result.
        let got = bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(Errno) in try read(into: buffer, at: offset) }
        }
        bytes.removeLast(count - (try got.get()))
        return bytes
    }

    /// Writes all of `bytes` at `offset` (`pwrite(2)` in a loop over short writes). Not
    /// durable until `synchronizeData()` or `synchronize()` returns.
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(Errno) {
        precondition(offset >= 0, "negative file offset")
        var done = 0
        while done < bytes.count {
            let remaining = UnsafeRawBufferPointer(rebasing: bytes[done...])
            let count = try Syscall.blocking {
                pwrite(descriptor, remaining.baseAddress, remaining.count, off_t(offset + done))
            }
            done += count
        }
    }

    /// Writes all of `bytes` at `offset`.
    public func write(_ bytes: [UInt8], at offset: Int) throws(Errno) {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(Errno) in try write(buffer, at: offset) }
        }.get()
    }

    /// Writes all of `bytes` at the current file position (`write(2)` in a loop), advancing
    /// it: for files written front to back, such as a snapshot being streamed out.
    public func append(_ bytes: UnsafeRawBufferPointer) throws(Errno) {
        var done = 0
        while done < bytes.count {
            let remaining = UnsafeRawBufferPointer(rebasing: bytes[done...])
            let count = try Syscall.blocking {
                Glibc.write(descriptor, remaining.baseAddress, remaining.count)
            }
            done += count
        }
    }

    /// Writes all of `bytes` at the current file position.
    public func append(_ bytes: [UInt8]) throws(Errno) {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(Errno) in try append(buffer) }
        }.get()
    }

    // MARK: Durability and size

    /// `fdatasync(2)`: the data written so far, and the metadata needed to read it back
    /// (the size), are on stable storage. A failure means the page cache state is unknown
    /// (Rebello et al., ATC'20): callers must not retry, but stop using the file.
    public func synchronizeData() throws(Errno) {
        _ = try Syscall.blocking { fdatasync(descriptor) }
    }

    /// `fsync(2)`: data and all metadata. Needed on directories after create/rename/unlink.
    public func synchronize() throws(Errno) {
        _ = try Syscall.blocking { fsync(descriptor) }
    }

    /// Reserves blocks for the first `bytes` bytes (`posix_fallocate(3)`), growing the size
    /// if needed, so later writes inside that range do not change the file size and an
    /// `fdatasync` after them need not commit a size change (etcd `fileutil.Preallocate`).
    /// Reads of the reserved range return zeros.
    public func preallocate(bytes: Int) throws(Errno) {
        precondition(bytes >= 0, "negative preallocation")
        guard bytes > 0 else { return }
        // posix_fallocate returns the error number instead of setting errno.
        _ = try Syscall.blocking { () -> Int32 in
            let result = posix_fallocate(descriptor, 0, off_t(bytes))
            if result == 0 { return 0 }
            errno = result
            return -1
        }
    }

    /// Sets the file size to `bytes` (`ftruncate(2)`); a larger size reads back as zeros.
    public func truncate(toBytes bytes: Int) throws(Errno) {
        precondition(bytes >= 0, "negative file size")
        _ = try Syscall.blocking { ftruncate(descriptor, off_t(bytes)) }
    }

    /// The current size in bytes (`fstat(2)`).
    public func sizeBytes() throws(Errno) -> Int {
        var status = stat()
        _ = try Syscall.blocking { fstat(descriptor, &status) }
        return Int(status.st_size)
    }

    /// Moves the file position (`lseek(2)` with `SEEK_SET`) for later `append` calls.
    public func seek(to offset: Int) throws(Errno) {
        precondition(offset >= 0, "negative file offset")
        _ = try Syscall.blocking { lseek(descriptor, off_t(offset), SEEK_SET) }
    }

    // MARK: Locking

    /// Takes an exclusive advisory lock without waiting (`flock(2)`, `LOCK_EX | LOCK_NB`).
    /// Returns false if another open file description (another process, or another `open`
    /// of the same path in this process) holds it. The lock lives until `close()`.
    public func tryLockExclusive() throws(Errno) -> Bool {
        do {
            _ = try Syscall.blocking { flock(descriptor, LOCK_EX | LOCK_NB) }
            return true
        } catch  where error == .wouldBlock {
            return false
        }
    }
}
