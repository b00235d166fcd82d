import CGlibcShims
#if canImport(Glibc)
import Glibc
#endif

/// Turns termination signals into ordinary reads of a signalfd, so the server's main thread
/// can wait for one and shut down in order (stop accepting, drain, fsync, exit).
///
/// Create it in `main` BEFORE spawning any thread: the signals are blocked in the calling
/// thread and threads inherit the mask, so no other thread is ever interrupted by them and
/// every one of them stays pending until read here (signalfd(2), "NOTES"). It also ignores
/// SIGPIPE for the whole process (belt and braces: sockets already send with MSG_NOSIGNAL).
public final class SignalWatcher: @unchecked Sendable {
    /// The signals a server shuts down or reloads on.
    public static let defaultSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    public let signals: [Int32]
    /// The signalfd (blocking, close-on-exec). Register it on an event loop and call
    /// `poll()` when readable, or block in `wait()`.
    public let fileDescriptor: Int32

    public init(signals: [Int32] = defaultSignals) throws(Errno) {
        precondition(!signals.isEmpty, "a signal watcher needs signals to watch")
        self.signals = signals
        _ = Glibc.signal(SIGPIPE, SIG_IGN)
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals {
            precondition(sigaddset(&set, number) == 0, "invalid signal \(number)")
        }
        let blocked = pthread_sigmask(SIG_BLOCK, &set, nil)
        guard blocked == 0 else { throw Errno(rawValue: blocked) }
        fileDescriptor = try Syscall.blocking { signalfd(-1, &set, Int32(SFD_CLOEXEC)) }
    }

    deinit {
        closeDescriptor(fileDescriptor)
    }

    /// Blocks until one of the signals arrives; returns its number.
    public func wait() -> Int32 {
        guard let number = wait(timeoutMilliseconds: -1) else {
            preconditionFailure("an unbounded signal wait returned nothing")
        }
        return number
    }

    /// Waits at most `timeoutMilliseconds` (-1: forever, 0: just check) for a signal.
    public func wait(timeoutMilliseconds: Int32) -> Int32? {
        var poller = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
        do {
            let ready = try Syscall.blocking { Glibc.poll(&poller, 1, timeoutMilliseconds) }
            guard ready > 0 else { return nil }
            return try readOne()
        } catch {
            preconditionFailure("reading signalfd failed: \(error)")
        }
    }

    /// A signal that is already pending, without blocking (for an event loop handler).
    public func poll() -> Int32? {
        wait(timeoutMilliseconds: 0)
    }

    private func readOne() throws(Errno) -> Int32 {
        var info = signalfd_siginfo()
        let size = MemoryLayout<signalfd_siginfo>.size
        let fd = fileDescriptor
        let count = try Syscall.blocking { Glibc.read(fd, &info, size) }
        precondition(count == size, "signalfd reads whole records")
        return Int32(bitPattern: info.ssi_signo)
    }
}
