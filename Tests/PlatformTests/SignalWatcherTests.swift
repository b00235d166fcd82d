import Platform
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("SignalWatcher")
struct SignalWatcherTests {
    // SIGUSR1 is raised at this thread (raise(3)), where the watcher has blocked it, so it
    // stays pending for the signalfd and can never reach another thread of the test runner.
    @Test("a watched signal is read from the signalfd instead of being delivered")
    func readsSignal() throws {
        let watcher = try SignalWatcher(signals: [SIGUSR1])
        #expect(watcher.poll() == nil)
        #expect(raise(SIGUSR1) == 0)
        #expect(watcher.wait(timeoutMilliseconds: 10_000) == SIGUSR1)
        #expect(watcher.poll() == nil)
    }

    @Test("creating a watcher ignores SIGPIPE for the process")
    func ignoresSigpipe() throws {
        _ = try SignalWatcher(signals: [SIGUSR2])
        var action = sigaction()
        #expect(sigaction(SIGPIPE, nil, &action) == 0)
        let ignore = unsafeBitCast(SIG_IGN, to: Int.self)
        #expect(unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) == ignore)
    }
}
