import Platform

#if canImport(Glibc)
    import Glibc
#endif

/// A check script started with posix_spawnp(3) straight from its argument vector (no shell,
/// as Consul's `exec.Command(args[0], args[1:]...)`), in its own process group, with stdin
/// on /dev/null and stdout+stderr on one socket whose read end we hold.
struct ScriptProcess {
    let pid: pid_t
    /// Our end of the output socket (non-blocking, close-on-exec).
    let outputDescriptor: Int32

    /// Spawns `arguments`; the socket pair is created close-on-exec atomically so a script
    /// spawned concurrently on another worker never inherits our write end.
    static func spawn(_ arguments: [String]) -> Result<ScriptProcess, Errno> {
        var sockets: [Int32] = [-1, -1]
        let socketType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, socketType, 0, &sockets) == 0 else { return .failure(.current) }
        let (readEnd, writeEnd) = (sockets[0], sockets[1])
        defer { Glibc.close(writeEnd) }
        switch start(arguments, outputDescriptor: writeEnd) {
        case .failure(let error):
            Glibc.close(readEnd)
            return .failure(error)
        case .success(let pid):
            _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)
            return .success(ScriptProcess(pid: pid, outputDescriptor: readEnd))
        }
    }

    private static func start(
        _ arguments: [String], outputDescriptor: Int32
    )
        -> Result<pid_t, Errno>
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputDescriptor, 1)
        posix_spawn_file_actions_adddup2(&actions, outputDescriptor, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group so a timeout kills the whole tree; empty mask and default
        // dispositions because servers block or ignore signals and exec keeps both.
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

    /// The exit code (or -1 for a signal), nil while running (`blocking: false`).
    func reap(blocking: Bool) -> Int32? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if result == pid { return status & 0x7F == 0 ? (status >> 8) & 0xFF : -1 }
            if result == 0 { return nil }
            if errno == EINTR { continue }
            // ECHILD: SIGCHLD ignored process-wide; the kernel reaped it and kept no status.
            return -1
        }
    }

    /// SIGKILL to the script's process group (its pgid is its pid).
    func killGroup() {
        _ = kill(-pid, SIGKILL)
    }

    /// Waits up to `milliseconds` for output and reads what is there into `tail`. Returns
    /// true at end of output (every writer closed it).
    func readAvailable(into tail: inout TailBuffer, milliseconds: Int32, bytesMax: Int) -> Bool {
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
                return errno != EAGAIN && errno != EWOULDBLOCK
            }
            tail.append(chunk[..<count])
            total += count
        }
        return false
    }
}
