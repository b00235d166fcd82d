/// A bounded multi-producer, single-consumer queue that hands work to a dedicated thread
/// (the WAL/apply thread): producers never block, the consumer sleeps when it is empty.
///
/// `capacity` is the backpressure limit: when the queue is full `offer` returns false and
/// the producer answers "busy" instead of queueing without bound.
public final class WorkQueue<Element: Sendable>: @unchecked Sendable {
    /// Most elements held at once.
    public let capacity: Int

    private let lock = ConditionLock()
    // Guarded by `lock`: a ring buffer of `capacity` slots.
    private var slots: [Element?]
    private var head = 0
    private var storedCount = 0
    private var closed = false

    public init(capacity: Int) {
        precondition(capacity > 0, "a work queue needs room for at least one element")
        self.capacity = capacity
        slots = Array(repeating: nil, count: capacity)
    }

    /// Appends `element`; false if the queue is full or closed (the element is dropped and
    /// the caller reports the overload).
    public func offer(_ element: Element) -> Bool {
        lock.withLock {
            guard !closed, storedCount < capacity else { return false }
            slots[(head + storedCount) % capacity] = element
            storedCount += 1
            // Only an empty queue can have a sleeping consumer.
            if storedCount == 1 { lock.signal() }
            return true
        }
    }

    /// Blocks until at least one element is queued, the queue is closed, or
    /// `timeoutNanoseconds` passes (nil: no timeout); then removes and returns up to `max`
    /// elements in FIFO order (empty on timeout, or when closed and drained).
    public func takeAll(max: Int, timeoutNanoseconds: UInt64?) -> [Element] {
        precondition(max > 0, "takeAll needs max > 0")
        let deadline = timeoutNanoseconds.map { timeout in
            let (sum, overflow) = MonotonicClock().nowNanoseconds()
                .addingReportingOverflow(timeout)
            return overflow ? UInt64.max : sum
        }
        return lock.withLock {
            while storedCount == 0 && !closed {
                guard lock.wait(untilNanoseconds: deadline) else { break }
            }
            let taken = Swift.min(max, storedCount)
            var batch: [Element] = []
            batch.reserveCapacity(taken)
            for _ in 0..<taken {
                guard let element = slots[head] else { preconditionFailure("empty live slot") }
                batch.append(element)
                slots[head] = nil
                head = (head + 1) % capacity
            }
            storedCount -= taken
            return batch
        }
    }

    /// Refuses further offers and wakes the consumer. Elements already queued can still be
    /// taken. Idempotent.
    public func close() {
        lock.withLock {
            closed = true
            lock.broadcast()
        }
    }

    public var isClosed: Bool { lock.withLock { closed } }

    /// Elements queued now (a snapshot: other threads may change it at once).
    public var count: Int { lock.withLock { storedCount } }
}
