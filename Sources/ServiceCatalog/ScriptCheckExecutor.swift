import Platform

/// Runs script checks (Consul `CheckMonitor`): `Args` executed without a shell; exit 0 is
/// passing, 1 warning, anything else critical; the last `outputBytesMax` bytes of stdout and
/// stderr become the output. A script still running at the timeout is killed with its whole
/// process group, as is one still running when `cancellation` is set (a stopping server).
/// Blocking: run it on a worker thread, never on an event loop.
public struct ScriptCheckExecutor: Sendable {
    /// Consul's default script timeout.
    public static let timeoutDefaultNanoseconds: Int64 = 30_000_000_000

    public init() {}

    public func run(
        _ definition: CheckDefinition, cancellation: CancellationFlag? = nil
    ) -> CheckResult {
        guard !definition.scriptArgs.isEmpty,
            !definition.scriptArgs.contains(where: { $0.utf8.contains(0) })
        else {
            return CheckResult(status: .critical, output: "Failed to invoke: invalid arguments")
        }
        let timeout =
            definition.timeoutNanoseconds > 0
            ? definition.timeoutNanoseconds : Self.timeoutDefaultNanoseconds
        var tail = TailBuffer(capacity: definition.outputBytesMax)
        let termination: ChildProcess.Termination?
        do {
            termination = try ChildProcess.run(
                definition.scriptArgs, timeoutNanoseconds: UInt64(timeout),
                cancellation: cancellation
            ) { tail.append($0) }
        } catch {
            return CheckResult(status: .critical, output: "Failed to invoke: \(error)")
        }
        guard let termination else {
            let limit = GoDuration.format(nanoseconds: timeout)
            return CheckResult(status: .critical, output: "Timed out (\(limit)) running check")
        }
        let output = CheckOutput.scriptOutput(tail: tail.bytes, totalBytes: tail.totalBytes)
        switch termination {
        case .exited(code: 0): return CheckResult(status: .passing, output: output)
        case .exited(code: 1): return CheckResult(status: .warning, output: output)
        default: return CheckResult(status: .critical, output: output)
        }
    }
}
