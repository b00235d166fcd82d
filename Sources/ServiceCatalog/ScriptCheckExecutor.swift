import Platform

#if canImport(Glibc)
    import Glibc
#endif

/// Runs script checks (Consul `CheckMonitor`): `Args` executed without a shell; exit 0 is
/// passing, 1 warning, anything else critical; the last `outputBytesMax` bytes of stdout and
/// stderr become the output. A script still running at the timeout is killed with its whole
/// process group. Blocking: run it on a worker thread, never on an event loop.
public struct ScriptCheckExecutor: Sendable {
    /// Consul's default script timeout.
    public static let timeoutDefaultNanoseconds: Int64 = 30_000_000_000
    /// How long one wait for output may last before looking at the process again.
    static let pollMilliseconds: Int32 = 20
    /// Output read per wake-up and after exit (from children the script left behind): the
    /// tail keeps only `outputBytesMax`, this bounds the work a chatty script causes.
    static let readBytesMax = 1 << 20

    public init() {}

    public func run(_ definition: CheckDefinition) -> CheckResult {
        guard !definition.scriptArgs.isEmpty,
            !definition.scriptArgs.contains(where: { $0.utf8.contains(0) })
        else {
            return CheckResult(status: .critical, output: "Failed to invoke: invalid arguments")
        }
        let timeout =
            definition.timeoutNanoseconds > 0
            ? definition.timeoutNanoseconds : Self.timeoutDefaultNanoseconds
        let process: ScriptProcess
        switch ScriptProcess.spawn(definition.scriptArgs) {
        case .success(let started): process = started
        case .failure(let error):
            return CheckResult(status: .critical, output: "Failed to invoke: \(error)")
        }
        defer { Glibc.close(process.outputDescriptor) }
        var tail = TailBuffer(capacity: definition.outputBytesMax)
        let exit = wait(for: process, tail: &tail, timeoutNanoseconds: timeout)
        guard let code = exit else {
            let limit = GoDuration.format(nanoseconds: timeout)
            return CheckResult(status: .critical, output: "Timed out (\(limit)) running check")
        }
        let output = CheckOutput.scriptOutput(tail: tail.bytes, totalBytes: tail.totalBytes)
        switch code {
        case 0: return CheckResult(status: .passing, output: output)
        case 1: return CheckResult(status: .warning, output: output)
        default: return CheckResult(status: .critical, output: output)
        }
    }

    /// The exit code, or nil after killing the process group at the deadline.
    private func wait(
        for process: ScriptProcess, tail: inout TailBuffer, timeoutNanoseconds: Int64
    )
        -> Int32?
    {
        let clock = MonotonicClock()
        let deadline = clock.nowNanoseconds() + UInt64(timeoutNanoseconds)
        var endOfOutput = false
        while true {
            if let code = process.reap(blocking: false) {
                if !endOfOutput {
                    _ = process.readAvailable(
                        into: &tail, milliseconds: 0, bytesMax: Self.readBytesMax)
                }
                return code
            }
            let now = clock.nowNanoseconds()
            if now >= deadline {
                process.killGroup()
                _ = process.reap(blocking: true)
                return nil
            }
            let remaining = Int32(
                min((deadline - now) / 1_000_000 + 1, UInt64(Self.pollMilliseconds)))
            if endOfOutput {
                Sleep.nanoseconds(UInt64(remaining) * 1_000_000)
            } else {
                endOfOutput = process.readAvailable(
                    into: &tail, milliseconds: remaining, bytesMax: Self.readBytesMax)
            }
        }
    }
}
