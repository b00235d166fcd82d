/// The pending timers of one event loop: a binary min-heap ordered by (deadline, id), so
/// equal deadlines fire in scheduling order. Cancel is lazy: the task is dropped from
/// `tasks` at once and its heap entry is skipped when it surfaces; the heap is rebuilt when
/// stale entries outnumber live ones, so memory stays O(live timers).
/// Insert and pop are O(log n); cancel is O(1) amortized.
struct TimerHeap {
    struct Entry {
        let deadlineNanoseconds: UInt64
        let id: UInt64

        func precedes(_ other: Entry) -> Bool {
            (deadlineNanoseconds, id) < (other.deadlineNanoseconds, other.id)
        }
    }

    private var heap: [Entry] = []
    private var tasks: [UInt64: () -> Void] = [:]

    /// Live (scheduled, not fired, not cancelled) timers.
    var count: Int { tasks.count }

    mutating func insert(deadlineNanoseconds: UInt64, id: UInt64, task: @escaping () -> Void) {
        precondition(tasks[id] == nil, "timer ids are unique")
        tasks[id] = task
        heap.append(Entry(deadlineNanoseconds: deadlineNanoseconds, id: id))
        siftUp(heap.count - 1)
    }

    /// Drops a pending timer; false if it already fired or was cancelled.
    mutating func cancel(id: UInt64) -> Bool {
        guard tasks.removeValue(forKey: id) != nil else { return false }
        if heap.count > 2 * tasks.count + 64 { rebuild() }
        return true
    }

    /// The earliest live deadline.
    mutating func nextDeadlineNanoseconds() -> UInt64? {
        dropCancelledTop()
        return heap.first?.deadlineNanoseconds
    }

    /// Removes and returns the earliest task if it is due at `nowNanoseconds` and its id is
    /// at most `idMax` (timers scheduled while firing wait for the next tick).
    mutating func popDue(nowNanoseconds: UInt64, idMax: UInt64) -> (() -> Void)? {
        dropCancelledTop()
        guard let top = heap.first, top.deadlineNanoseconds <= nowNanoseconds, top.id <= idMax
        else { return nil }
        removeTop()
        return tasks.removeValue(forKey: top.id)
    }

    private mutating func dropCancelledTop() {
        while let top = heap.first, tasks[top.id] == nil { removeTop() }
    }

    private mutating func removeTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func rebuild() {
        heap.removeAll { tasks[$0.id] == nil }
        var index = heap.count / 2
        while index > 0 {
            index -= 1
            siftDown(index)
        }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            var smallest = parent
            let left = 2 * parent + 1
            let right = left + 1
            if left < heap.count && heap[left].precedes(heap[smallest]) { smallest = left }
            if right < heap.count && heap[right].precedes(heap[smallest]) { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
