import Platform

/// Why the WAL or the snapshot store refused an operation. `description` names the file and,
/// for corruption, the byte offset, so an operator can find and inspect the damage.
public struct StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A system call failed on `path` while doing `operation`.
        case io(Errno, path: String, operation: String)
        /// Bytes on disk fail a check (checksum, framing, sequence, chain) at `offset`.
        /// Never repaired silently: the data may have been acknowledged (PAR, FAST'18 §2.3).
        case corrupt(path: String, offset: Int, reason: String)
        /// The expected file or directory does not exist.
        case notFound(path: String)
        /// Another process (or another open in this one) holds the data-directory lock.
        case lockedByAnotherProcess(path: String)
        /// A value is larger than a limit of the on-disk format.
        case limitExceeded(what: String, bytes: Int, limit: Int)
        /// The log cannot supply the entries after the snapshot the caller loaded (for
        /// example an older snapshot chosen because the newest was corrupt, after the WAL
        /// was already released up to the newest).
        case missingEntries(String)
        /// An earlier write or sync failed, so the log refuses further use: after a failed
        /// fsync the page cache may not match the disk, and retrying can report success for
        /// data that was dropped (Rebello et al., ATC'20). Restart and recover from disk.
        case failedEarlier(String)
    }

    public let kind: Kind

    public init(_ kind: Kind) {
        self.kind = kind
    }

    public static func io(_ errno: Errno, path: String, operation: String) -> StorageError {
        StorageError(.io(errno, path: path, operation: operation))
    }

    public static func corrupt(path: String, offset: Int, reason: String) -> StorageError {
        StorageError(.corrupt(path: path, offset: offset, reason: reason))
    }

    public var description: String {
        switch kind {
        case .io(let errno, let path, let operation):
            return "storage I/O error: \(operation) \(path): \(errno)"
        case .corrupt(let path, let offset, let reason):
            return "storage corruption in \(path) at byte offset \(offset): \(reason)"
        case .notFound(let path):
            return "storage not found: \(path)"
        case .lockedByAnotherProcess(let path):
            return "data directory \(path) is locked by another process (another roost server "
                + "is using it); stop that process or choose another data directory"
        case .limitExceeded(let what, let bytes, let limit):
            return "storage limit exceeded: \(what) is \(bytes) bytes, limit is \(limit)"
        case .missingEntries(let reason):
            return "WAL is missing entries: \(reason)"
        case .failedEarlier(let cause):
            return "storage unusable after an earlier failure (\(cause)); restart the process"
        }
    }
}

/// Runs a Platform call, turning its `Errno` into `StorageError.io` naming path and operation.
@inline(__always)
func storageIO<Result>(
    _ path: String, _ operation: String, _ body: () throws(Errno) -> Result
) throws(StorageError) -> Result {
    do {
        return try body()
    } catch {
        throw StorageError.io(error, path: path, operation: operation)
    }
}
