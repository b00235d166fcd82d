#if canImport(Glibc)
import Glibc
#endif

/// A pthread mutex plus one condition variable that waits on CLOCK_MONOTONIC (a wall-clock
/// jump never shortens or stretches a timed wait). The building block of `WorkQueue`.
///
/// pthread functions return an error number instead of setting errno, so they do not go
/// through `Syscall`; every error they can return here (EINVAL, EDEADLK, EPERM) is a
/// programmer error and stops the process.
final class ConditionLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        var mutexAttributes = pthread_mutexattr_t()
        precondition(pthread_mutexattr_init(&mutexAttributes) == 0)
        // Error-checking: relocking or unlocking from the wrong thread fails loudly.
        precondition(pthread_mutexattr_settype(
            &mutexAttributes, Int32(PTHREAD_MUTEX_ERRORCHECK)) == 0)
        precondition(pthread_mutex_init(mutex, &mutexAttributes) == 0)
        pthread_mutexattr_destroy(&mutexAttributes)
        var conditionAttributes = pthread_condattr_t()
        precondition(pthread_condattr_init(&conditionAttributes) == 0)
        precondition(pthread_condattr_setclock(&conditionAttributes, CLOCK_MONOTONIC) == 0)
        precondition(pthread_cond_init(condition, &conditionAttributes) == 0)
        pthread_condattr_destroy(&conditionAttributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func withLock<Value, Failure: Error>(
        _ body: () throws(Failure) -> Value
    ) throws(Failure) -> Value {
        let locked = pthread_mutex_lock(mutex)
        precondition(locked == 0, "pthread_mutex_lock failed: \(locked)")
        defer {
            let unlocked = pthread_mutex_unlock(mutex)
            precondition(unlocked == 0, "pthread_mutex_unlock failed: \(unlocked)")
        }
        return try body()
    }

    /// Wakes one waiter. Call with the lock held.
    func signal() {
        precondition(pthread_cond_signal(condition) == 0)
    }

    /// Wakes every waiter. Call with the lock held.
    func broadcast() {
        precondition(pthread_cond_broadcast(condition) == 0)
    }

    /// Waits (lock held) until signalled, spuriously woken, or the monotonic clock reaches
    /// `deadlineNanoseconds`; false on timeout. nil deadline waits without limit.
    func wait(untilNanoseconds deadlineNanoseconds: UInt64?) -> Bool {
        guard let deadlineNanoseconds else {
            let result = pthread_cond_wait(condition, mutex)
            precondition(result == 0, "pthread_cond_wait failed: \(result)")
            return true
        }
        var deadline = timespec(tv_sec: Int(deadlineNanoseconds / 1_000_000_000),
                                tv_nsec: Int(deadlineNanoseconds % 1_000_000_000))
        let result = pthread_cond_timedwait(condition, mutex, &deadline)
        precondition(result == 0 || result == ETIMEDOUT, "pthread_cond_timedwait: \(result)")
        return result == 0
    }
}
