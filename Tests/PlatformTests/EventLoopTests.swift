import Platform
import Testing

/// Records timer firings on the loop thread (never shared across threads).
private final class FiringLog {
    var names: [String] = []
}

/// A running loop on its own thread, stopped and joined by `finish()`.
private struct RunningLoop {
    let loop: EventLoop
    let thread: PlatformThread

    init(name: String, timersMax: Int = EventLoop.timersMaxDefault) throws {
        let loop = try EventLoop(name: name, timersMax: timersMax)
        self.loop = loop
        thread = PlatformThread.spawn(name: name) { loop.run() }
    }

    func finish() {
        loop.stop()
        thread.join()
        #expect(!loop.isRunning)
    }
}

@Suite("EventLoop")
struct EventLoopTests {
    @Test("execute from another thread runs the task on the loop thread")
    func executeRunsOnLoop() throws {
        let running = try RunningLoop(name: "el-exec")
        let loop = running.loop
        #expect(!loop.inEventLoop)
        let results = WorkQueue<(Bool, String)>(capacity: 1)
        loop.execute { _ = results.offer((loop.inEventLoop, PlatformThread.currentName)) }
        let result = results.awaitNext()
        #expect(result?.0 == true)
        #expect(result?.1 == "el-exec")
        running.finish()
    }

    @Test("tasks from one thread run in the order they were queued")
    func executeIsFIFO() throws {
        let running = try RunningLoop(name: "el-fifo")
        let order = WorkQueue<Int>(capacity: 1_000)
        for index in 0..<1_000 { running.loop.execute { _ = order.offer(index) } }
        var seen: [Int] = []
        while seen.count < 1_000 {
            let batch = order.takeAll(max: 1_000, timeoutNanoseconds: testDeadlineNanoseconds)
            if batch.isEmpty { break }
            seen += batch
        }
        #expect(seen == Array(0..<1_000))
        running.finish()
    }

    @Test("timers fire in deadline order, not in the order they were scheduled")
    func timersInDeadlineOrder() throws {
        let running = try RunningLoop(name: "el-timers")
        let loop = running.loop
        let fired = WorkQueue<[String]>(capacity: 1)
        loop.execute {
            let log = FiringLog()
            loop.schedule(afterNanoseconds: 30_000_000) {
                log.names.append("30ms")
                _ = fired.offer(log.names)
            }
            loop.schedule(afterNanoseconds: 10_000_000) { log.names.append("10ms") }
            loop.schedule(afterNanoseconds: 20_000_000) { log.names.append("20ms-a") }
            loop.schedule(afterNanoseconds: 0) { log.names.append("0ms") }
        }
        #expect(fired.awaitNext() == ["0ms", "10ms", "20ms-a", "30ms"])
        running.finish()
    }

    @Test("a timer fires no earlier than its delay")
    func timerNotEarly() throws {
        let running = try RunningLoop(name: "el-early")
        let loop = running.loop
        let elapsed = WorkQueue<UInt64>(capacity: 1)
        loop.execute {
            let start = MonotonicClock().nowNanoseconds()
            loop.schedule(afterNanoseconds: 15_000_000) {
                _ = elapsed.offer(MonotonicClock().nowNanoseconds() - start)
            }
        }
        #expect((elapsed.awaitNext() ?? 0) >= 15_000_000)
        running.finish()
    }

    @Test("a cancelled timer never fires; cancelling twice or after firing returns false")
    func cancel() throws {
        let running = try RunningLoop(name: "el-cancel")
        let loop = running.loop
        let fired = WorkQueue<([String], Bool, Bool)>(capacity: 1)
        loop.execute {
            let log = FiringLog()
            let early = loop.schedule(afterNanoseconds: 5_000_000) { log.names.append("early") }
            let firstCancel = loop.cancel(early)
            let secondCancel = loop.cancel(early)
            #expect(firstCancel)
            loop.schedule(afterNanoseconds: 20_000_000) {
                log.names.append("late")
                _ = fired.offer((log.names, secondCancel, loop.cancel(early)))
            }
        }
        let result = fired.awaitNext()
        #expect(result?.0 == ["late"])
        #expect(result?.1 == false)
        #expect(result?.2 == false)
        running.finish()
    }

    @Test("trySchedule accepts timersMax pending timers and refuses one more")
    func timerLimit() throws {
        let running = try RunningLoop(name: "el-limit", timersMax: 3)
        let loop = running.loop
        let outcome = try loop.executeAndWait { () throws(Errno) -> [Bool] in
            let hour: UInt64 = 3_600_000_000_000
            let accepted = (0..<4).map { _ in loop.trySchedule(afterNanoseconds: hour) {} != nil }
            return accepted + [loop.pendingTimerCount == 3]
        }
        #expect(outcome == [true, true, true, false, true])
        running.finish()
    }

    @Test("a timer or task that re-queues itself does not starve the loop's other work")
    func selfRequeueDoesNotStarve() throws {
        let running = try RunningLoop(name: "el-starve")
        let loop = running.loop
        let reached = WorkQueue<Bool>(capacity: 1)
        loop.execute {
            func again() { loop.schedule(afterNanoseconds: 0) { again() } }
            again()
        }
        loop.execute { _ = reached.offer(true) }
        #expect(reached.awaitNext() == true)
        running.finish()
    }

    @Test("stop before run makes run return at once, after running queued tasks")
    func stopBeforeRun() throws {
        let loop = try EventLoop(name: "el-stop")
        let ran = WorkQueue<Bool>(capacity: 1)
        loop.execute { _ = ran.offer(loop.inEventLoop) }
        loop.stop()
        loop.run()
        #expect(ran.takeAll(max: 1, timeoutNanoseconds: 0) == [true])
        #expect(!loop.isRunning)
    }

    @Test("executeAndWait returns the body's value or rethrows its Errno")
    func executeAndWait() throws {
        let running = try RunningLoop(name: "el-wait")
        let loop = running.loop
        #expect(try loop.executeAndWait { loop.inEventLoop })
        #expect(throws: Errno.timedOut) {
            try loop.executeAndWait { () throws(Errno) -> Int in throw .timedOut }
        }
        running.finish()
    }
}
