import CGlibcShims

#if canImport(Glibc)
    import Glibc
#endif

/// An eventfd(2) counter one thread waits on and any thread bumps: the wake-up of a thread
/// that must also wait for other descriptors (a signalfd) with a timeout, which a condition
/// variable cannot do. Notifications coalesce: many `notify` calls before a wait wake it
/// once.
public final class WakeEvent: @unchecked Sendable {
    public let fileDescriptor: Int32

    public init() throws(Errno) {
        fileDescriptor = try Syscall.blocking {
            eventfd(0, Int32(EFD_CLOEXEC) | Int32(EFD_NONBLOCK))
        }
    }

    deinit {
        closeDescriptor(fileDescriptor)
    }

    /// Wakes the waiter (or the next wait). Safe from any thread.
    public func notify() {
        let fd = fileDescriptor
        var one: UInt64 = 1
        do {
            // .wouldBlock means the counter is saturated: the waiter will wake anyway.
            _ = try Syscall.nonBlocking { Glibc.write(fd, &one, MemoryLayout<UInt64>.size) }
        } catch {
            preconditionFailure("eventfd write failed: \(error)")
        }
    }

    /// Resets the counter (for a waiter that polls `fileDescriptor` itself, e.g. in epoll).
    public func drain() {
        let fd = fileDescriptor
        var counter: UInt64 = 0
        do {
            // .wouldBlock: nothing was pending.
            _ = try Syscall.nonBlocking { Glibc.read(fd, &counter, MemoryLayout<UInt64>.size) }
        } catch {
            preconditionFailure("eventfd read failed: \(error)")
        }
    }

    /// What ended a `wait`.
    public struct Readiness: Sendable, Equatable {
        /// `notify` was called since the last wait (the counter is now reset).
        public var notified: Bool
        /// The extra descriptor is readable.
        public var otherReadable: Bool
    }

    /// Blocks until notified, `other` (if not -1) is readable, or `timeoutMilliseconds`
    /// (-1: forever) passes.
    public func wait(other: Int32 = -1, timeoutMilliseconds: Int32) -> Readiness {
        var pollers = [
            pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: other, events: Int16(POLLIN), revents: 0),
        ]
        let count = nfds_t(other >= 0 ? 2 : 1)
        let ready: Int32
        do {
            ready = try Syscall.blocking { poll(&pollers, count, timeoutMilliseconds) }
        } catch {
            preconditionFailure("poll failed: \(error)")
        }
        guard ready > 0 else { return Readiness(notified: false, otherReadable: false) }
        let notified = pollers[0].revents != 0
        if notified { drain() }
        return Readiness(notified: notified, otherReadable: count == 2 && pollers[1].revents != 0)
    }
}
