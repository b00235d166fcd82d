import Platform

#if canImport(Glibc)
    import Glibc
#endif

/// The three run modes. Each returns the process exit status.
extension ConfdRunner {
    /// Runs the configured mode until it ends (`--onetime`) or a SIGINT/SIGTERM arrives.
    /// `signals` must have been created before any thread was started.
    public func run(signals: SignalWatcher) -> Int32 {
        switch configuration.runMode {
        case .onetime:
            let pass = runPass()
            if pass.failures > 0 { log.error("\(pass.failures) template resources failed") }
            return pass.failures > 0 ? 1 : 0
        case .interval(let nanoseconds):
            return runInterval(nanoseconds, signals: signals)
        case .watch:
            do {
                return try runWatch(signals: signals)
            } catch {
                log.error("cannot start watching: \(error)")
                return 1
            }
        }
    }

    /// confd's interval mode: a pass, then sleep, forever.
    private func runInterval(_ nanoseconds: UInt64, signals: SignalWatcher) -> Int32 {
        while true {
            _ = runPass()
            let deadline = clockNow() &+ nanoseconds
            while true {
                let now = clockNow()
                if now >= deadline { break }
                let signal = signals.wait(
                    timeoutMilliseconds: Self.milliseconds(until: deadline, now))
                guard let signal else { continue }
                if signal != SIGHUP { return stopping(signal) }
                reload()
                break
            }
        }
    }

    /// Watch mode: a pass, then a pass after each burst of changes (`--wait`). Key watches
    /// resume from the revision the pass read whenever the prefixes change; blocking
    /// queries follow exactly the catalog reads of the latest pass.
    private func runWatch(signals: SignalWatcher) throws(Errno) -> Int32 {
        let wake = try WakeEvent()
        let feed = ConfdChangeFeed(endpoints: endpoints, wake: wake, log: log)
        defer { feed.stop() }
        var quiescence = Quiescence(window: configuration.wait)
        var watchedPrefixes: [String]?
        var retry = RetryTimer()
        quiescence.recordChange(atNanoseconds: clockNow())
        while true {
            let now = clockNow()
            if retry.takeDue(now) { quiescence.recordChange(atNanoseconds: now) }
            if quiescence.decision(atNanoseconds: now) == .render {
                quiescence.markRendered()
                let pass = runPass()
                guard let snapshot = pass.snapshot else {
                    retry.schedule(after: now)
                    continue
                }
                retry.clear()
                let prefixes = fetchPrefixes
                if watchedPrefixes != prefixes {
                    guard prefixes.count <= ConfdChangeFeed.watchedPrefixesMax else {
                        log.error(
                            "resources read \(prefixes.count) separate key prefixes; "
                                + "watch mode follows at most \(ConfdChangeFeed.watchedPrefixesMax)"
                                + " (use --interval)")
                        return 1
                    }
                    feed.watchKeys(prefixes: prefixes, fromRevision: snapshot.revision + 1)
                    watchedPrefixes = prefixes
                }
                feed.watchConsul(ConfdChangeFeed.blockingQueries(snapshot.consulIndexes))
                continue
            }
            let deadline = [quiescence.dueNanoseconds, retry.dueNanoseconds].compactMap { $0 }.min()
            let ready = wake.wait(
                other: signals.fileDescriptor,
                timeoutMilliseconds: deadline.map { Self.milliseconds(until: $0, clockNow()) } ?? -1
            )
            if ready.otherReadable, let signal = signals.poll() {
                if signal != SIGHUP { return stopping(signal) }
                reload()
                quiescence.recordChange(atNanoseconds: clockNow())
            }
            if ready.notified { quiescence.recordChange(atNanoseconds: clockNow()) }
        }
    }

    /// SIGHUP: re-read `conf.d`; keep the old resources if the directory is unreadable.
    private func reload() {
        log.info("SIGHUP: reloading template resources")
        do {
            try loadResources()
        } catch {
            log.error("\(error); keeping the resources loaded before")
        }
    }

    private func stopping(_ signal: Int32) -> Int32 {
        log.info("signal \(signal) received, exiting")
        return 0
    }

    private func clockNow() -> UInt64 {
        clock.nowNanoseconds()
    }

    /// A poll timeout reaching `deadline`, rounded up so the wait never ends early.
    static func milliseconds(until deadline: UInt64, _ now: UInt64) -> Int32 {
        guard deadline > now else { return 0 }
        return Int32(min((deadline - now + 999_999) / 1_000_000, UInt64(Int32.max)))
    }

    /// When to try again after a failed read: doubling delays, reset by a success.
    struct RetryTimer {
        private(set) var dueNanoseconds: UInt64?
        private var delayNanoseconds = ConfdRunner.retryMinimumNanoseconds

        /// True once when the retry time has come.
        mutating func takeDue(_ now: UInt64) -> Bool {
            guard let due = dueNanoseconds, now >= due else { return false }
            dueNanoseconds = nil
            return true
        }

        mutating func schedule(after now: UInt64) {
            dueNanoseconds = now &+ delayNanoseconds
            delayNanoseconds = min(delayNanoseconds * 2, ConfdRunner.retryMaximumNanoseconds)
        }

        mutating func clear() {
            dueNanoseconds = nil
            delayNanoseconds = ConfdRunner.retryMinimumNanoseconds
        }
    }
}
