import Platform
import Synchronization
import Testing

@testable import RoostServer

@Suite("Check worker pool: bounded threads and queue", .serialized)
struct CheckWorkerPoolTests {
    /// Jobs that report they started, then block until released one by one. (One release
    /// queue per job: a `WorkQueue` has a single consumer.)
    final class Gate: Sendable {
        let started = WorkQueue<Int>(capacity: 64)
        let releases = (0..<8).map { _ in WorkQueue<Int>(capacity: 1) }

        func job(_ number: Int) -> @Sendable () -> Void {
            { [self] in
                _ = started.offer(number)
                _ = releases[number].takeAll(max: 1, timeoutNanoseconds: 20 * secondNanoseconds)
            }
        }

        func release(_ number: Int) {
            _ = releases[number].offer(0)
        }

        /// Waits for `count` jobs to report they started.
        func waitStarted(_ count: Int) -> [Int] {
            var numbers: [Int] = []
            while numbers.count < count {
                let batch = started.takeAll(max: count, timeoutNanoseconds: 20 * secondNanoseconds)
                if batch.isEmpty { break }
                numbers += batch
            }
            return numbers
        }
    }

    @Test("workersMax jobs run at once, queuedMax wait, and one more is refused (limit, limit+1)")
    func limits() {
        let pool = CheckWorkerPool(workersMax: 2, queuedMax: 1)
        let gate = Gate()
        #expect(pool.submit(gate.job(1)))
        #expect(pool.submit(gate.job(2)))
        #expect(Set(gate.waitStarted(2)) == [1, 2])
        #expect(pool.workerCount == 2)
        #expect(pool.submit(gate.job(3)), "at the queue limit")
        #expect(pool.queuedCount == 1)
        #expect(!pool.submit(gate.job(4)), "past the queue limit")
        gate.release(1)
        #expect(gate.waitStarted(1) == [3], "a freed worker takes the queued job")
        #expect(pool.workerCount == 2)
        gate.release(2)
        gate.release(3)
        pool.stop()
        #expect(gate.started.count == 0)
    }

    @Test("an idle worker takes the next job; no thread beyond what was needed is started")
    func reuse() throws {
        let pool = CheckWorkerPool(workersMax: 4, queuedMax: 4)
        let done = WorkQueue<Int>(capacity: 16)
        for number in 0..<5 {
            #expect(pool.submit { _ = done.offer(number) })
            #expect(done.takeAll(max: 1, timeoutNanoseconds: 20 * secondNanoseconds) == [number])
            try waitUntil(seconds: 20) { pool.idleCount == 1 }
        }
        #expect(pool.workerCount == 1)
        pool.stop()
    }

    @Test("stop drops queued jobs, waits for running ones and refuses new ones")
    func stop() {
        let pool = CheckWorkerPool(workersMax: 1, queuedMax: 2)
        let gate = Gate()
        let ran = Atomic<Int>(0)
        #expect(pool.submit(gate.job(1)))
        #expect(gate.waitStarted(1) == [1])
        #expect(pool.submit { ran.add(1, ordering: .relaxed) })
        gate.release(1)
        // The queued job may or may not have been taken before stop; nothing runs after.
        pool.stop()
        let after = ran.load(ordering: .relaxed)
        #expect(!pool.submit { ran.add(1, ordering: .relaxed) })
        #expect(ran.load(ordering: .relaxed) == after)
        #expect(pool.workerCount == 0)
    }
}
