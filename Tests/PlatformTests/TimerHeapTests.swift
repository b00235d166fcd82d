@testable import Platform
import Testing

/// Pops every due task of `heap` and returns the labels they append, in firing order.
private func drain(_ heap: inout TimerHeap, now: UInt64, log: Log) -> [Int] {
    while let task = heap.popDue(nowNanoseconds: now, idMax: .max) { task() }
    return log.fired
}

private final class Log {
    var fired: [Int] = []
}

@Suite("TimerHeap")
struct TimerHeapTests {
    @Test("equal deadlines fire in scheduling order; later deadlines wait")
    func equalDeadlines() {
        var heap = TimerHeap()
        let log = Log()
        for id in 1...5 {
            heap.insert(deadlineNanoseconds: 100, id: UInt64(id)) { log.fired.append(id) }
        }
        heap.insert(deadlineNanoseconds: 200, id: 6) { log.fired.append(6) }
        #expect(drain(&heap, now: 150, log: log) == [1, 2, 3, 4, 5])
        let next = heap.nextDeadlineNanoseconds()
        #expect(next == 200)
        #expect(heap.count == 1)
    }

    @Test("timers with an id above idMax wait for the next tick even when due")
    func idMax() {
        var heap = TimerHeap()
        heap.insert(deadlineNanoseconds: 10, id: 1) {}
        heap.insert(deadlineNanoseconds: 10, id: 2) {}
        let first = heap.popDue(nowNanoseconds: 10, idMax: 1)
        let blocked = heap.popDue(nowNanoseconds: 10, idMax: 1)
        let second = heap.popDue(nowNanoseconds: 10, idMax: 2)
        #expect(first != nil)
        #expect(blocked == nil)
        #expect(second != nil)
    }

    @Test("random schedules and cancels fire exactly the live timers in (deadline, id) order",
          arguments: [UInt64(1), 2, 3, 2024])
    func randomized(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var heap = TimerHeap()
        let log = Log()
        var live: [(deadline: UInt64, id: Int)] = []
        for id in 1...2_000 {
            let deadline = UInt64.random(in: 0...500, using: &generator)
            heap.insert(deadlineNanoseconds: deadline, id: UInt64(id)) { log.fired.append(id) }
            live.append((deadline, id))
            if Bool.random(using: &generator), let victim = live.randomElement(using: &generator) {
                let cancelled = heap.cancel(id: UInt64(victim.id))
                let cancelledAgain = heap.cancel(id: UInt64(victim.id))
                #expect(cancelled, "seed \(seed)")
                #expect(!cancelledAgain, "seed \(seed)")
                live.removeAll { $0.id == victim.id }
            }
        }
        #expect(heap.count == live.count, "seed \(seed)")
        let expected = live.sorted { ($0.deadline, $0.id) < ($1.deadline, $1.id) }.map(\.id)
        let fired = drain(&heap, now: 500, log: log)
        #expect(fired == expected, "seed \(seed)")
        let next = heap.nextDeadlineNanoseconds()
        #expect(next == nil)
    }
}
