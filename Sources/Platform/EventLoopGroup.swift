import Synchronization

/// A fixed set of event loops, one thread each (typically one per core). Connections are
/// spread with `next()`; each stays on its loop for life.
public final class EventLoopGroup: Sendable {
    /// Most loops in a group. More loops than cores only adds context switches; 256 is
    /// far above any machine Roost targets and catches a unit mistake (bytes for count).
    public static let loopCountMax = 256

    public let loops: [EventLoop]
    private let threads: Mutex<[PlatformThread]>
    private let cursor = Atomic<Int>(0)

    /// Creates `loopCount` loops named "<namePrefix>-<index>" and starts their threads.
    public init(loopCount: Int, namePrefix: String) throws(Errno) {
        precondition((1...Self.loopCountMax).contains(loopCount),
                     "loopCount must be in 1...\(Self.loopCountMax)")
        var loops: [EventLoop] = []
        for index in 0..<loopCount {
            loops.append(try EventLoop(name: "\(namePrefix)-\(index)"))
        }
        self.loops = loops
        threads = Mutex(loops.map { loop in
            PlatformThread.spawn(name: loop.name) { loop.run() }
        })
    }

    /// Shuts down if the owner did not. The last reference must not be dropped on one of
    /// the group's own loops (shutdown would wait for that loop: a precondition stops it).
    deinit {
        shutdown()
    }

    /// The next loop, round robin. Any thread.
    public func next() -> EventLoop {
        let index = cursor.wrappingAdd(1, ordering: .relaxed).oldValue
        return loops[Int(UInt(bitPattern: index) % UInt(loops.count))]
    }

    /// True if the calling thread is one of this group's loops.
    public var inAnyLoop: Bool { loops.contains { $0.inEventLoop } }

    /// Stops every loop and joins its thread: when this returns no loop code runs any more.
    /// Idempotent. Never call it from one of the group's loops (it would wait for itself).
    public func shutdown() {
        precondition(!inAnyLoop, "EventLoopGroup.shutdown() from its own loop deadlocks")
        let running = threads.withLock { threads in
            let taken = threads
            threads = []
            return taken
        }
        for loop in loops { loop.stop() }
        for thread in running { thread.join() }
    }
}
