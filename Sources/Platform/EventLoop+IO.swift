import CGlibcShims
#if canImport(Glibc)
import Glibc
#endif

/// Descriptor registration and event dispatch.
extension EventLoop {
    /// Watches `fd` for `interest`, delivering events to `handler` (held strongly until
    /// `deregister`). Loop thread only; a descriptor is registered at most once.
    public func register(
        _ fd: Int32, interest: IOInterest, handler: any IOHandler
    ) throws(Errno) {
        precondition(inEventLoop, "register is loop-thread-only; use execute")
        precondition(fd >= 0 && fd != wakeDescriptor, "not a registrable descriptor")
        precondition(registrations[fd] == nil, "descriptor \(fd) is already registered")
        registrationGeneration &+= 1
        if registrationGeneration == 0 { registrationGeneration = 1 }
        let generation = registrationGeneration
        try control(EPOLL_CTL_ADD, fd, interest: interest, generation: generation)
        registrations[fd] = Registration(handler: handler, generation: generation,
                                         interest: interest)
    }

    /// Changes what a registered descriptor is watched for. Loop thread only.
    public func modify(_ fd: Int32, interest: IOInterest) throws(Errno) {
        precondition(inEventLoop, "modify is loop-thread-only; use execute")
        guard var registration = registrations[fd] else {
            preconditionFailure("descriptor \(fd) is not registered")
        }
        guard registration.interest != interest else { return }
        try control(EPOLL_CTL_MOD, fd, interest: interest, generation: registration.generation)
        registration.interest = interest
        registrations[fd] = registration
    }

    /// Stops watching `fd` and releases its handler. Call BEFORE closing the descriptor
    /// (epoll_ctl on a closed descriptor is EBADF, a programmer error). Loop thread only.
    public func deregister(_ fd: Int32) {
        precondition(inEventLoop, "deregister is loop-thread-only; use execute")
        precondition(registrations.removeValue(forKey: fd) != nil,
                     "descriptor \(fd) is not registered")
        do {
            _ = try Syscall.blocking { epoll_ctl(epollDescriptor, EPOLL_CTL_DEL, fd, nil) }
        } catch {
            preconditionFailure("epoll_ctl(DEL, \(fd)) failed: \(error)")
        }
    }

    /// Descriptors currently registered (not counting the loop's own wake eventfd).
    public var registeredCount: Int {
        precondition(inEventLoop, "registeredCount is loop-thread-only")
        return registrations.count
    }

    /// epoll data = generation << 32 | fd. The generation tells a stale event (for a
    /// descriptor deregistered earlier in the same batch, whose number was then reused)
    /// from an event for the new registration.
    private func control(
        _ operation: Int32, _ fd: Int32, interest: IOInterest, generation: UInt32
    ) throws(Errno) {
        let key = UInt64(generation) << 32 | UInt64(UInt32(bitPattern: fd))
        var event = epoll_event(events: interest.epollEvents, data: epoll_data_t(u64: key))
        let epoll = epollDescriptor
        _ = try Syscall.blocking { epoll_ctl(epoll, operation, fd, &event) }
    }

    /// Waits for events until the next timer deadline; returns how many arrived.
    func waitForEvents() -> Int {
        let epoll = epollDescriptor
        let buffer = events
        do {
            let count = try Syscall.blocking { () -> Int32 in
                // Recomputed after EINTR so a signal never delays a due timer.
                epoll_wait(epoll, buffer.baseAddress, Int32(buffer.count), waitMilliseconds())
            }
            return Int(count)
        } catch {
            preconditionFailure("epoll_wait failed on loop \(name): \(error)")
        }
    }

    /// -1 (forever) without timers, else the time to the next deadline rounded UP to whole
    /// milliseconds: a timer never fires early, at most 1 ms late from rounding.
    private func waitMilliseconds() -> Int32 {
        guard let deadline = timers.nextDeadlineNanoseconds() else { return -1 }
        let now = clock.nowNanoseconds()
        guard deadline > now else { return 0 }
        let milliseconds = (deadline - now + 999_999) / 1_000_000
        return Int32(min(UInt64(Self.waitMillisecondsMax), milliseconds))
    }

    func dispatchEvents(count: Int) {
        for index in 0..<count {
            let event = events[index]
            let key = event.data.u64
            let fd = Int32(bitPattern: UInt32(truncatingIfNeeded: key))
            let generation = UInt32(truncatingIfNeeded: key >> 32)
            if generation == 0 && fd == wakeDescriptor {
                drainWake()
                continue
            }
            guard let registration = registrations[fd], registration.generation == generation
            else { continue }
            registration.handler.handleIO(IOEvent(fileDescriptor: fd, epollEvents: event.events))
        }
    }
}
