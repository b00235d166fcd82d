/// How a `check_cmd` or `reload_cmd` ended, with its combined stdout and stderr (like Go's
/// `CombinedOutput`, which confd logs) cut to `CommandRunner.outputBytesMax`.
public struct CommandResult: Sendable, Equatable {
    public enum Termination: Sendable, Equatable {
        /// The shell exited with this status.
        case exited(code: Int32)
        /// The shell was killed by this signal (not by us).
        case signaled(signal: Int32)
        /// The timeout passed; the process group was sent SIGKILL.
        case timedOut
        /// The status was collected by someone else (SIGCHLD ignored process-wide).
        case statusUnavailable
    }

    /// The command line given to `/bin/sh -c`.
    public let command: String
    public let termination: Termination
    /// The first `outputBytesMax` bytes of output.
    public let output: [UInt8]
    /// Output bytes read beyond the limit and dropped.
    public let droppedOutputBytes: Int
    public let durationNanoseconds: UInt64

    public init(
        command: String, termination: Termination, output: [UInt8], droppedOutputBytes: Int,
        durationNanoseconds: UInt64
    ) {
        self.command = command
        self.termination = termination
        self.output = output
        self.droppedOutputBytes = droppedOutputBytes
        self.durationNanoseconds = durationNanoseconds
    }

    /// Exit status 0.
    public var succeeded: Bool { termination == .exited(code: 0) }

    /// The output as text for a log line, with a marker when it was cut.
    public var outputText: String {
        let text = String(decoding: output, as: UTF8.self)
        guard droppedOutputBytes > 0 else { return text }
        return text + "\n[output truncated: \(droppedOutputBytes) more bytes dropped]"
    }

    /// One line for a log: "exit status 1", "killed by signal 9", "timed out".
    public var summary: String {
        switch termination {
        case .exited(let code): "exit status \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        case .timedOut: "timed out after \(durationNanoseconds / 1_000_000) ms"
        case .statusUnavailable: "exit status unavailable"
        }
    }
}
