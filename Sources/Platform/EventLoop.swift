import CGlibcShims
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One epoll instance driven by one thread: I/O readiness, timers, and tasks handed in
/// from other threads.
///
/// * **Level-triggered.** A handler that leaves bytes unread is called again on the next
///   wait, so it may read a bounded amount per event (fairness between connections) without
///   losing wake-ups. Watch `.writable` only while output is queued.
/// * **Thread ownership.** `register`, `modify`, `deregister`, `schedule` and `cancel` are
///   loop-thread-only (a precondition checks it); from elsewhere, go through `execute`.
/// * **One tick** = one `epoll_wait` (at most `eventsPerWaitMax` events), then the timers due
///   at that moment, then the mailbox tasks queued before the tick's drain. Timers and tasks
///   added during a tick run in the next one, so a task that re-queues itself cannot starve
///   I/O.
public final class EventLoop: @unchecked Sendable {
    /// Events taken per `epoll_wait`. Bounds the work between two looks at the timers and
    /// the mailbox (a burst of 10k ready sockets is served 256 at a time, and timers still
    /// fire in between) and sizes the event buffer (256 × 12 bytes). Level-triggering means
    /// descriptors beyond the limit are simply reported by the next wait.
    public static let eventsPerWaitMax = 256

    /// Default `timersMax`. Timers are per connection or per request (idle and request
    /// timeouts) and those are bounded elsewhere; a million pending timers means a leak.
    public static let timersMaxDefault = 1 << 20

    /// Longest single `epoll_wait` sleep. Caps the millisecond conversion of far deadlines
    /// (Int32 milliseconds would overflow at ~24 days).
    static let waitMillisecondsMax: Int32 = 60_000

    public let name: String
    /// Most timers pending at once on this loop (`trySchedule` returns nil beyond it).
    public let timersMax: Int

    let epollDescriptor: Int32
    /// Wakes `epoll_wait` when another thread queues work or asks the loop to stop.
    let wakeEvent: WakeEvent
    var wakeDescriptor: Int32 { wakeEvent.fileDescriptor }
    let clock = MonotonicClock()

    // Shared with other threads.
    let mailbox = Mutex<[@Sendable () -> Void]>([])
    let stopRequested = Atomic<Bool>(false)
    let hasRun = Atomic<Bool>(false)
    /// The `pthread_t` of the thread inside `run()`; 0 when none (glibc never uses 0).
    let ownerThread = Atomic<UInt>(0)

    // Loop thread only.
    var registrations: [Int32: Registration] = [:]
    var registrationGeneration: UInt32 = 0
    var timers = TimerHeap()
    var lastTimerID: UInt64 = 0
    var spareMailbox: [@Sendable () -> Void] = []
    let events: UnsafeMutableBufferPointer<epoll_event>

    struct Registration {
        let handler: any IOHandler
        let generation: UInt32
        var interest: IOInterest
    }

    public init(name: String, timersMax: Int = timersMaxDefault) throws(Errno) {
        precondition(timersMax > 0, "timersMax must be positive")
        self.name = name
        self.timersMax = timersMax
        let epoll = try Syscall.blocking { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        let wake: WakeEvent
        do {
            wake = try WakeEvent()
        } catch {
            closeDescriptor(epoll)
            throw error
        }
        epollDescriptor = epoll
        wakeEvent = wake
        events = .allocate(capacity: Self.eventsPerWaitMax)
        events.initialize(repeating: epoll_event())
        // The wake eventfd carries generation 0; registrations start at 1.
        let wakeData = epoll_data_t(u64: UInt64(UInt32(bitPattern: wake.fileDescriptor)))
        var event = epoll_event(events: EPOLLIN.rawValue, data: wakeData)
        do {
            _ = try Syscall.blocking {
                epoll_ctl(epoll, EPOLL_CTL_ADD, wake.fileDescriptor, &event)
            }
        } catch {
            closeDescriptor(epoll)
            events.deallocate()
            throw error
        }
    }

    deinit {
        precondition(ownerThread.load(ordering: .acquiring) == 0, "event loop freed while running")
        events.deallocate()
        closeDescriptor(epollDescriptor)
    }

    /// True on the thread currently inside `run()`.
    public var inEventLoop: Bool {
        ownerThread.load(ordering: .acquiring) == UInt(pthread_self())
    }

    /// True while some thread is inside `run()`. Any thread (a snapshot).
    public var isRunning: Bool {
        ownerThread.load(ordering: .acquiring) != 0
    }

    /// Runs the loop on the calling thread until `stop()`. A loop runs once. Tasks queued
    /// before the loop exits are run before `run()` returns; tasks queued after it has
    /// returned are released unrun when the loop is freed.
    public func run() {
        precondition(!hasRun.exchange(true, ordering: .acquiringAndReleasing),
                     "an event loop runs once")
        ownerThread.store(UInt(pthread_self()), ordering: .releasing)
        while !stopRequested.load(ordering: .acquiring) {
            let count = waitForEvents()
            dispatchEvents(count: count)
            runDueTimers()
            runMailbox()
        }
        runMailbox()
        ownerThread.store(0, ordering: .releasing)
    }

    /// Asks the loop to return from `run()` after the current tick. Any thread.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        wake()
    }

    /// Runs `task` on the loop thread in a later tick. Any thread, including the loop's.
    ///
    /// Never drops a task and never blocks (the mailbox grows): callers bound their own
    /// traffic, e.g. a connection has at most one response in flight, the Raft driver
    /// hands over one batch per append.
    public func execute(_ task: @escaping @Sendable () -> Void) {
        let wasEmpty = mailbox.withLock { queue in
            queue.append(task)
            return queue.count == 1
        }
        // One wake per empty→non-empty transition: the loop drains the whole mailbox, and
        // a task queued after that drain sees an empty mailbox and wakes it again.
        if wasEmpty { wake() }
    }

    /// Runs `body` on the loop and waits for its result (setup code on other threads, e.g.
    /// registering a listener). Must not be called on this loop's thread (it would wait for
    /// itself), and the loop must be running or about to run.
    public func executeAndWait<Value: Sendable>(
        _ body: @escaping @Sendable () throws(Errno) -> Value
    ) throws(Errno) -> Value {
        precondition(!inEventLoop, "executeAndWait on the loop's own thread deadlocks")
        let result = WorkQueue<Result<Value, Errno>>(capacity: 1)
        execute {
            let accepted = result.offer(Result { () throws(Errno) -> Value in try body() })
            precondition(accepted, "a one-shot result queue has room")
        }
        let values = result.takeAll(max: 1, timeoutNanoseconds: nil)
        guard let value = values.first else { preconditionFailure("result queue closed") }
        return try value.get()
    }

    func wake() {
        wakeEvent.notify()
    }

    func drainWake() {
        wakeEvent.drain()
    }

    func runMailbox() {
        var batch = spareMailbox
        mailbox.withLock { swap(&$0, &batch) }
        for task in batch { task() }
        batch.removeAll(keepingCapacity: true)
        spareMailbox = batch
    }
}

/// close(2) without an EINTR retry (see `Socket.close()` for why).
func closeDescriptor(_ fd: Int32) {
    let result = close(fd)
    precondition(result == 0 || errno != EBADF, "closed a descriptor we did not own")
}
