import Platform

/// Why a command could not be started (a command that starts and fails is a
/// `CommandResult`, not an error).
public enum CommandRunnerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Longer than `CommandRunner.commandBytesMax`.
    case commandTooLong(bytes: Int)
    /// Contains a NUL byte, which cannot pass through exec.
    case commandContainsNul
    /// socketpair(2) or posix_spawn(3) failed.
    case spawnFailed(Errno)

    public var description: String {
        switch self {
        case .commandTooLong(let bytes):
            "command is \(bytes) bytes; the limit is \(CommandRunner.commandBytesMax)"
        case .commandContainsNul: "command contains a NUL byte"
        case .spawnFailed(let errno): "cannot start /bin/sh: \(errno)"
        }
    }
}
