import CGlibcShims
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A named pthread running one closure: event loops, the WAL/apply thread. Every thread
/// must be joined (or the process must be exiting) so shutdown knows work has stopped.
public final class PlatformThread: @unchecked Sendable {
    public let name: String
    private let thread: pthread_t
    private let joined = Atomic<Bool>(false)

    private init(name: String, thread: pthread_t) {
        self.name = name
        self.thread = thread
    }

    /// Boxes the body across the C boundary of pthread_create.
    private final class Start {
        let name: String
        let body: @Sendable () -> Void

        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// Starts a thread that names itself `name` (the first 15 bytes show in `top -H` and
    /// /proc/<pid>/task/<tid>/comm) and runs `body`. Threads are created at startup in
    /// fixed numbers, so a failure (EAGAIN: out of threads or memory) stops the process.
    public static func spawn(
        name: String, _ body: @escaping @Sendable () -> Void
    ) -> PlatformThread {
        let start = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            guard let argument else { return nil }
            let start = Unmanaged<Start>.fromOpaque(argument).takeRetainedValue()
            _ = roost_set_current_thread_name(start.name)
            start.body()
            return nil
        }, start)
        guard result == 0 else {
            Unmanaged<Start>.fromOpaque(start).release()
            preconditionFailure("pthread_create(\(name)) failed: \(Errno(rawValue: result))")
        }
        return PlatformThread(name: name, thread: thread)
    }

    /// Waits for the thread's body to return. Once per thread, never from the thread itself.
    public func join() {
        precondition(pthread_equal(thread, pthread_self()) == 0, "a thread cannot join itself")
        precondition(!joined.exchange(true, ordering: .acquiringAndReleasing),
                     "thread \(name) joined twice")
        let result = pthread_join(thread, nil)
        precondition(result == 0, "pthread_join(\(name)) failed: \(result)")
    }

    /// Lets the thread end on its own, unjoined: for a thread that may sit in a blocking
    /// read long after it stopped mattering (a retired watch). Instead of `join`, never both.
    public func detach() {
        precondition(!joined.exchange(true, ordering: .acquiringAndReleasing),
                     "thread \(name) joined or detached twice")
        let result = pthread_detach(thread)
        precondition(result == 0, "pthread_detach(\(name)) failed: \(result)")
    }

    /// True if `join()` (or `detach()`) has been called.
    public var isJoined: Bool { joined.load(ordering: .acquiring) }

    /// The calling thread's name as the kernel reports it (at most 15 bytes).
    public static var currentName: String {
        var buffer = [CChar](repeating: 0, count: 16)
        let result = roost_current_thread_name(&buffer, buffer.count)
        precondition(result == 0, "pthread_getname_np failed: \(result)")
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                      as: UTF8.self)
    }
}
