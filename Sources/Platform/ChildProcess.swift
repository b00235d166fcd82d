#if canImport(Glibc)
    import Glibc
#endif

/// A child started with posix_spawnp(3) straight from its argument vector, in its own
/// process group, with stdin on /dev/null and stdout and stderr on one socket whose read
/// end we hold. Health-check scripts and confd's check and reload commands both run this
/// way; `run` waits for the exit (or kills the whole group at a deadline) while draining
/// the output into a caller's buffer.
///
/// posix_spawn rather than Foundation's Process: it puts the child in its own process group
/// (so a timeout also kills grandchildren), resets the signal mask and dispositions that a
/// server's SignalWatcher blocks, and needs no run loop. Blocking: never on an event loop.
public struct ChildProcess: Sendable {
    /// How a child ended.
    public enum Termination: Sendable, Equatable {
        case exited(code: Int32)
        case signaled(signal: Int32)
        /// The status was collected by someone else (SIGCHLD ignored process-wide).
        case statusUnavailable
    }

    /// How long one wait for output lasts before looking at the process again; bounds the
    /// extra latency when a background child it left behind holds the output open.
    static let pollMilliseconds: Int32 = 20
    /// Output read per wake-up, and after the child exited from children it left behind:
    /// bounded so a chatty or background writer cannot keep us reading forever.
    public static let drainBytesMax = 1 << 20

    public let pid: pid_t
    /// Our end of the output socket (non-blocking, close-on-exec).
    public let outputDescriptor: Int32

    /// Spawns `arguments` (the first is looked up in PATH). The socket pair is created
    /// close-on-exec atomically (SOCK_CLOEXEC): Swift's Glibc does not export pipe2(2), and a
    /// plain pipe would let a child spawned concurrently on another thread inherit our
    /// write end and hold the output open.
    public static func spawn(_ arguments: [String]) throws(Errno) -> ChildProcess {
        precondition(!arguments.isEmpty, "a child needs a program to run")
        var sockets: [Int32] = [-1, -1]
        let socketType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, socketType, 0, &sockets) == 0 else { throw .current }
        let (readEnd, writeEnd) = (sockets[0], sockets[1])
        defer { Glibc.close(writeEnd) }
        switch start(arguments, outputDescriptor: writeEnd) {
        case .failure(let error):
            Glibc.close(readEnd)
            throw error
        case .success(let pid):
            _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)
            return ChildProcess(pid: pid, outputDescriptor: readEnd)
        }
    }

    private static func start(
        _ arguments: [String], outputDescriptor: Int32
    ) -> Result<pid_t, Errno> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputDescriptor, 1)
        posix_spawn_file_actions_adddup2(&actions, outputDescriptor, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group (pgid = pid) so a timeout kills the whole tree; an empty mask
        // and default dispositions, because servers block or ignore signals and exec keeps
        // both.
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        posix_spawnattr_setflags(&attributes, Int16(flags))
        posix_spawnattr_setpgroup(&attributes, 0)
        var emptySet = sigset_t()
        sigemptyset(&emptySet)
        posix_spawnattr_setsigmask(&attributes, &emptySet)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        let argv = arguments.map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let result = (argv + [nil]).withUnsafeBufferPointer { pointers -> Int32 in
            guard let base = pointers.baseAddress else { return EINVAL }
            return posix_spawnp(&pid, arguments[0], &actions, &attributes, base, environ)
        }
        guard result == 0 else { return .failure(Errno(rawValue: result)) }
        return .success(pid)
    }

    /// The termination, or nil while the child runs (`blocking: false`).
    public func reap(blocking: Bool) -> Termination? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if result == pid { return Self.termination(status) }
            if result == 0 { return nil }
            if errno == EINTR { continue }
            // ECHILD: SIGCHLD ignored process-wide; the kernel reaped it and kept no status.
            return .statusUnavailable
        }
    }

    /// Decodes a wait status (the WIFEXITED/WEXITSTATUS/WTERMSIG layout; Swift cannot
    /// import those macros).
    public static func termination(_ status: Int32) -> Termination {
        let signal = status & 0x7F
        if signal == 0 { return .exited(code: (status >> 8) & 0xFF) }
        return .signaled(signal: signal)
    }

    /// SIGKILL to the child's process group (its pgid is its pid) and to the child itself,
    /// so the blocking reap that follows never waits on a live process.
    public func killGroup() {
        _ = kill(-pid, SIGKILL)
        _ = kill(pid, SIGKILL)
    }

    /// Waits up to `milliseconds` for output, then reads what is there (at most about
    /// `bytesMax`) into `collect`. Returns true at end of output (every writer closed it).
    public func readAvailable(
        milliseconds: Int32, bytesMax: Int, into collect: (ArraySlice<UInt8>) -> Void
    ) -> Bool {
        var poller = pollfd(fd: outputDescriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, milliseconds) > 0 else { return false }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var total = 0
        while total < bytesMax {
            let count = chunk.withUnsafeMutableBytes {
                Glibc.read(outputDescriptor, $0.baseAddress, $0.count)
            }
            if count == 0 { return true }
            if count < 0 {
                if errno == EINTR { continue }
                // EAGAIN: nothing more now. Anything else (ECONNRESET): treat as closed.
                return errno != EAGAIN && errno != EWOULDBLOCK
            }
            collect(chunk[..<count])
            total += count
        }
        return false
    }
}

extension ChildProcess {
    /// Spawns `arguments`, feeds their output to `collect` and waits for the exit; at
    /// `timeoutNanoseconds` kills the process group and returns nil. Once `cancellation` is
    /// set (a stopping server) it kills the group at once, within `pollMilliseconds`, and
    /// returns how the killed child ended. Either way the child is reaped, so none is left
    /// behind. The output socket is closed on return.
    public static func run(
        _ arguments: [String], timeoutNanoseconds: UInt64,
        cancellation: CancellationFlag? = nil, collect: (ArraySlice<UInt8>) -> Void
    ) throws(Errno) -> Termination? {
        let clock = MonotonicClock()
        let deadline = clock.nowNanoseconds() &+ timeoutNanoseconds
        let child = try spawn(arguments)
        defer { Glibc.close(child.outputDescriptor) }
        var endOfOutput = false
        var idleSleepMilliseconds: Int32 = 1
        while true {
            if let termination = child.reap(blocking: false) {
                if !endOfOutput {
                    _ = child.readAvailable(milliseconds: 0, bytesMax: drainBytesMax, into: collect)
                }
                return termination
            }
            if cancellation?.isCancelled == true {
                child.killGroup()
                return child.reap(blocking: true)
            }
            let now = clock.nowNanoseconds()
            if now >= deadline {
                child.killGroup()
                _ = child.reap(blocking: true)
                return nil
            }
            let remaining = Int32(min((deadline - now) / 1_000_000 + 1, UInt64(pollMilliseconds)))
            if endOfOutput {
                // Output closed but the child not reaped yet: back off 1, 2, 4… ms so the
                // common case (exit right after closing) returns quickly.
                Sleep.nanoseconds(UInt64(min(idleSleepMilliseconds, remaining)) * 1_000_000)
                idleSleepMilliseconds = min(idleSleepMilliseconds * 2, pollMilliseconds)
            } else {
                endOfOutput = child.readAvailable(
                    milliseconds: remaining, bytesMax: drainBytesMax, into: collect)
            }
        }
    }
}
