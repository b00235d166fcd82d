#if canImport(Glibc)
import Glibc
#endif

/// A pthread reader-writer lock: many readers or one writer (the MVCC store: HTTP reads in
/// parallel, the apply thread writes).
///
/// Writer-preferring (PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP): once a writer waits,
/// new readers queue behind it, so a steady stream of reads cannot starve the apply thread.
/// The price is that a thread must never take the read lock recursively (it could wait
/// behind a writer that waits for its first read lock).
///
/// pthread functions return an error number (they do not use errno); the only errors
/// possible here (EDEADLK, EINVAL, EPERM) are programmer errors and stop the process.
public final class ReadWriteLock: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    public init() {
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        var attributes = pthread_rwlockattr_t()
        precondition(pthread_rwlockattr_init(&attributes) == 0)
        precondition(pthread_rwlockattr_setkind_np(
            &attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP)) == 0)
        precondition(pthread_rwlock_init(lock, &attributes) == 0)
        pthread_rwlockattr_destroy(&attributes)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// Runs `body` holding the lock shared with other readers.
    public func withReadLock<Value, Failure: Error>(
        _ body: () throws(Failure) -> Value
    ) throws(Failure) -> Value {
        let result = pthread_rwlock_rdlock(lock)
        precondition(result == 0, "pthread_rwlock_rdlock failed: \(result)")
        defer { unlock() }
        return try body()
    }

    /// Runs `body` holding the lock exclusively.
    public func withWriteLock<Value, Failure: Error>(
        _ body: () throws(Failure) -> Value
    ) throws(Failure) -> Value {
        let result = pthread_rwlock_wrlock(lock)
        precondition(result == 0, "pthread_rwlock_wrlock failed: \(result)")
        defer { unlock() }
        return try body()
    }

    private func unlock() {
        let result = pthread_rwlock_unlock(lock)
        precondition(result == 0, "pthread_rwlock_unlock failed: \(result)")
    }
}
