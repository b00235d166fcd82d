#if canImport(Glibc)
    import Glibc
#endif
import Platform
import Testing

@testable import ConfdAgent

@Suite("CommandRunner: /bin/sh -c with timeout and bounded output")
struct CommandRunnerTests {
    private let runner = CommandRunner(timeoutNanoseconds: 10_000_000_000)

    @Test("a command's exit status and combined stdout+stderr are reported (CombinedOutput)")
    func exitStatusAndOutput() throws {
        let success = try runner.run("echo out; echo err >&2")
        #expect(success.termination == .exited(code: 0))
        #expect(success.succeeded)
        #expect(String(decoding: success.output, as: UTF8.self) == "out\nerr\n")
        let failure = try runner.run("echo nope; exit 3")
        #expect(failure.termination == .exited(code: 3))
        #expect(!failure.succeeded)
        #expect(failure.summary == "exit status 3")
    }

    @Test("a shell killed by a signal reports the signal")
    func signaled() throws {
        let result = try runner.run("kill -TERM $$")
        #expect(result.termination == .signaled(signal: SIGTERM))
    }

    @Test("stdin is /dev/null, so a command reading it does not hang")
    func stdinIsNull() throws {
        let result = try runner.run("cat; echo end")
        #expect(String(decoding: result.output, as: UTF8.self) == "end\n")
    }

    @Test("output of exactly outputBytesMax is kept whole, with no marker")
    func outputAtLimit() throws {
        let result = try runner.run("head -c \(CommandRunner.outputBytesMax) /dev/zero")
        #expect(result.output.count == CommandRunner.outputBytesMax)
        #expect(result.droppedOutputBytes == 0)
        #expect(!result.outputText.contains("truncated"))
    }

    @Test("output of outputBytesMax + 1 keeps the first outputBytesMax bytes and is marked")
    func outputAboveLimit() throws {
        let result = try runner.run("head -c \(CommandRunner.outputBytesMax + 1) /dev/zero")
        #expect(result.output.count == CommandRunner.outputBytesMax)
        #expect(result.droppedOutputBytes == 1)
        #expect(result.outputText.hasSuffix("[output truncated: 1 more bytes dropped]"))
        #expect(result.succeeded)
    }

    @Test("a lowered output limit is honoured at limit and limit + 1")
    func loweredLimit() throws {
        let small = CommandRunner(outputBytesLimit: 4)
        #expect(try small.run("printf abcd").output == Array("abcd".utf8))
        let over = try small.run("printf abcde")
        #expect(over.output == Array("abcd".utf8))
        #expect(over.droppedOutputBytes == 1)
    }

    @Test("a command past its timeout is killed with its whole process group")
    func timeout() throws {
        let directory = try TemporaryDirectory()
        let pidFile = directory.path + "/pid"
        let quick = CommandRunner(timeoutNanoseconds: 300_000_000)
        let clock = MonotonicClock()
        let start = clock.nowNanoseconds()
        let result = try quick.run("sleep 30 & echo $! > \(pidFile); wait")
        let elapsed = clock.nowNanoseconds() - start
        #expect(result.termination == .timedOut)
        #expect(elapsed < 5_000_000_000)
        let text = try directory.read("pid") ?? ""
        let pid = Int32(text.filter { $0.isNumber }) ?? 0
        #expect(pid > 0)
        #expect(processIsGone(pid), "grandchild \(pid) survived the timeout")
    }

    @Test("a background child holding the output does not make the run wait for it")
    func backgroundChild() throws {
        let clock = MonotonicClock()
        let start = clock.nowNanoseconds()
        let result = try runner.run("sleep 3 & echo started")
        #expect(result.succeeded)
        #expect(String(decoding: result.output, as: UTF8.self) == "started\n")
        #expect(clock.nowNanoseconds() - start < 2_000_000_000)
    }

    @Test("the child gets an empty signal mask even if the caller blocks signals")
    func signalMaskReset() throws {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTERM)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let result = try runner.run("kill -TERM $$; exit 0")
        #expect(result.termination == .signaled(signal: SIGTERM))
    }

    @Test("a command of commandBytesMax bytes runs; one byte more is refused")
    func commandLimit() throws {
        let limit = CommandRunner.commandBytesMax
        let atLimit = "#" + String(repeating: "x", count: limit - 1)
        #expect(try runner.run(atLimit).succeeded)
        #expect(throws: CommandRunnerError.commandTooLong(bytes: limit + 1)) {
            try runner.run(atLimit + "x")
        }
        #expect(throws: CommandRunnerError.commandContainsNul) { try runner.run("echo \u{0}") }
    }

    @Test("exit statuses decode like WEXITSTATUS / WTERMSIG")
    func statusDecoding() {
        #expect(ChildProcess.termination(0) == .exited(code: 0))
        #expect(ChildProcess.termination(3 << 8) == .exited(code: 3))
        #expect(ChildProcess.termination(9) == .signaled(signal: 9))
    }

    /// True once `pid` no longer exists or is a zombie (killed, not yet reaped by init).
    private func processIsGone(_ pid: Int32) -> Bool {
        for _ in 0..<100 {
            if kill(pid, 0) != 0 { return true }
            let stat = (try? TemporaryDirectory.readFile("/proc/\(pid)/stat")) ?? ""
            if let close = stat.lastIndex(of: ")"),
                stat[stat.index(after: close)...].trimmingPrefix(" ").first == "Z"
            {
                return true
            }
            Sleep.nanoseconds(20_000_000)
        }
        return false
    }
}
