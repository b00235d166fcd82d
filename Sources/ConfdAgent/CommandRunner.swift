import Platform

/// Runs `check_cmd` and `reload_cmd` as `/bin/sh -c CMD` (confd `runCommand`,
/// reference/confd.md §1.3), with what confd lacks: a timeout that kills the command's
/// whole process group, and bounded captured output.
///
/// Blocking: call it from the agent's own threads, never from an event loop. Safe to use
/// from several threads at once (the output socket is created close-on-exec atomically, so
/// one command never inherits another's).
///
/// posix_spawn(3) rather than Foundation's Process: it lets us put the child in its own
/// process group (so a timeout kills grandchildren too), reset the signal mask and
/// dispositions that the agent's SignalWatcher blocks, and avoid Foundation's run loop.
public struct CommandRunner: Sendable {
    /// Captured output limit: 64 KiB is far more than a useful `nginx -t` error, and caps
    /// the memory a chatty command (or one stuck printing) can take per run.
    public static let outputBytesMax = 64 * 1024
    /// Longest command line: Linux's MAX_ARG_STRLEN (32 pages, counting the terminating
    /// NUL) is the most execve(2) accepts in one argument; longer fails with E2BIG.
    public static let commandBytesMax = 128 * 1024 - 1
    /// Default timeout, as consul-template's command timeout (reference/confd.md §6.2).
    public static let defaultTimeoutNanoseconds: UInt64 = 30 * 1_000_000_000

    public let timeoutNanoseconds: UInt64
    public let outputBytesLimit: Int

    /// `outputBytesLimit` may be lowered (tests, terse logs) but not raised past the limit.
    public init(
        timeoutNanoseconds: UInt64 = defaultTimeoutNanoseconds,
        outputBytesLimit: Int = outputBytesMax
    ) {
        precondition(timeoutNanoseconds > 0, "a command timeout must be positive")
        precondition(
            outputBytesLimit >= 0 && outputBytesLimit <= Self.outputBytesMax,
            "output limit outside 0...outputBytesMax")
        self.timeoutNanoseconds = timeoutNanoseconds
        self.outputBytesLimit = outputBytesLimit
    }

    /// Runs `command` to completion or timeout.
    public func run(_ command: String) throws(CommandRunnerError) -> CommandResult {
        let bytes = command.utf8.count
        guard bytes <= Self.commandBytesMax else { throw .commandTooLong(bytes: bytes) }
        guard !command.utf8.contains(0) else { throw .commandContainsNul }
        let clock = MonotonicClock()
        let start = clock.nowNanoseconds()
        var output = OutputCollector(limit: outputBytesLimit)
        let exit: ChildProcess.Termination?
        do {
            exit = try ChildProcess.run(
                ["/bin/sh", "-c", command], timeoutNanoseconds: timeoutNanoseconds
            ) { output.append($0) }
        } catch {
            throw .spawnFailed(error)
        }
        let termination: CommandResult.Termination =
            switch exit {
            case nil: .timedOut
            case .exited(let code): .exited(code: code)
            case .signaled(let signal): .signaled(signal: signal)
            case .statusUnavailable: .statusUnavailable
            }
        return CommandResult(
            command: command, termination: termination, output: output.bytes,
            droppedOutputBytes: output.droppedBytes,
            durationNanoseconds: clock.nowNanoseconds() - start)
    }
}
