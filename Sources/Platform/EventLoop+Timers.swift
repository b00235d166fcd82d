/// One-shot timers on the loop's monotonic clock.
extension EventLoop {
    /// Runs `task` on the loop thread once at least `afterNanoseconds` have passed.
    /// Loop thread only. More than `timersMax` pending timers is a programmer error (a
    /// leak); code that can legitimately hit the limit uses `trySchedule`.
    @discardableResult
    public func schedule(afterNanoseconds: UInt64, _ task: @escaping () -> Void) -> TimerID {
        guard let id = trySchedule(afterNanoseconds: afterNanoseconds, task) else {
            preconditionFailure("loop \(name) has \(timersMax) pending timers (timersMax)")
        }
        return id
    }

    /// `schedule`, or nil when `timersMax` timers are already pending.
    public func trySchedule(afterNanoseconds: UInt64, _ task: @escaping () -> Void) -> TimerID? {
        precondition(inEventLoop, "schedule is loop-thread-only; use execute")
        guard timers.count < timersMax else { return nil }
        let (sum, overflow) = clock.nowNanoseconds().addingReportingOverflow(afterNanoseconds)
        lastTimerID += 1
        timers.insert(deadlineNanoseconds: overflow ? UInt64.max : sum, id: lastTimerID,
                      task: task)
        return TimerID(rawValue: lastTimerID)
    }

    /// Cancels a pending timer; false if it already fired or was cancelled. Loop thread only.
    @discardableResult
    public func cancel(_ id: TimerID) -> Bool {
        precondition(inEventLoop, "cancel is loop-thread-only; use execute")
        return timers.cancel(id: id.rawValue)
    }

    /// Timers pending on this loop. Loop thread only.
    public var pendingTimerCount: Int {
        precondition(inEventLoop, "pendingTimerCount is loop-thread-only")
        return timers.count
    }

    /// Fires every timer due now that existed when the tick began, in deadline order.
    func runDueTimers() {
        let now = clock.nowNanoseconds()
        let idMax = lastTimerID
        while let task = timers.popDue(nowNanoseconds: now, idMax: idMax) {
            task()
        }
    }
}
