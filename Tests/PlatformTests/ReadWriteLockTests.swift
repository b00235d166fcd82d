import Platform
import Synchronization
import Testing

/// State that is only touched under the lock under test.
private final class Guarded: @unchecked Sendable {
    var first = 0
    var second = 0
}

@Suite("ReadWriteLock")
struct ReadWriteLockTests {
    @Test("writers exclude each other and readers never see a half-done write")
    func exclusion() {
        let lock = ReadWriteLock()
        let state = Guarded()
        let torn = Atomic<Int>(0)
        let writers = (0..<3).map { index in
            PlatformThread.spawn(name: "rw-w\(index)") {
                for _ in 0..<5_000 {
                    lock.withWriteLock {
                        state.first += 1
                        state.second += 1
                    }
                }
            }
        }
        let readers = (0..<2).map { index in
            PlatformThread.spawn(name: "rw-r\(index)") {
                for _ in 0..<5_000 {
                    lock.withReadLock {
                        if state.first != state.second { torn.add(1, ordering: .relaxed) }
                    }
                }
            }
        }
        for thread in writers + readers { thread.join() }
        #expect(torn.load(ordering: .relaxed) == 0)
        #expect(lock.withReadLock { state.first } == 15_000)
        #expect(lock.withReadLock { state.second } == 15_000)
    }

    @Test("two readers hold the lock at the same time")
    func readersShare() {
        let lock = ReadWriteLock()
        let inside = WorkQueue<Bool>(capacity: 1)
        let release = WorkQueue<Bool>(capacity: 1)
        let reader = PlatformThread.spawn(name: "rw-holder") {
            lock.withReadLock {
                _ = inside.offer(true)
                _ = release.takeAll(max: 1, timeoutNanoseconds: testDeadlineNanoseconds)
            }
        }
        #expect(inside.awaitNext() == true)
        // The other thread still holds its read lock; this one must get in too.
        let value = lock.withReadLock { 7 }
        #expect(value == 7)
        _ = release.offer(true)
        reader.join()
    }

    @Test("an error thrown inside the lock propagates typed and releases the lock")
    func throwingBody() {
        let lock = ReadWriteLock()
        #expect(throws: Errno.timedOut) {
            try lock.withWriteLock { () throws(Errno) -> Void in throw .timedOut }
        }
        #expect(lock.withWriteLock { true })
    }
}
