import Foundation
import Platform
import ServiceCatalog
import Testing

@testable import RoostServer

/// Stopping the runner while checks run: runs in progress are cancelled, not waited out
/// (a server stopping must not wait for a check's timeout).
@Suite("Check runner stop with checks in progress", .serialized)
struct CheckRunnerStopTests {
    let interval = 10 * secondNanoseconds
    /// Far beyond what a stop may take, far below the checks' 60 s timeouts.
    let stopSecondsMax = 10.0

    /// Starts `check`'s first run and waits until `running` says it is under way.
    func startRun(
        _ runner: CheckRunner, _ check: CatalogCheck, running: () -> Bool
    ) throws {
        let checks = [revisioned(check, 1)]
        _ = runner.poll(checks, nowNanoseconds: 0)
        _ = runner.poll(checks, nowNanoseconds: interval)
        #expect(runner.runningCount == 1)
        try waitUntil(seconds: 30, running)
    }

    /// Stops `runner` and returns how long that took (seconds).
    func timedStop(_ runner: CheckRunner) -> Double {
        let start = Date()
        runner.stop()
        return Date().timeIntervalSince(start)
    }

    @Test("stop kills a running script check's process group and reaps it, without its timeout")
    func scriptKilled() throws {
        let sleep = ProcessScan.uniqueSleep(seconds: 60)
        var check = intervalCheck(
            "slow", http: "", script: ["/bin/sh", "-c", "sleep \(sleep) & sleep \(sleep); wait"])
        check.definition.timeoutNanoseconds = 60 * 1_000_000_000
        let runner = CheckRunner(node: "n1", scriptChecksEnabled: true, seed: 11)
        defer { runner.stop() }
        // Both sleepers up: the script's child and the grandchild it left in the background.
        try startRun(runner, check) { ProcessScan.pids(withArgument: sleep).count == 2 }
        let elapsed = timedStop(runner)
        #expect(elapsed < stopSecondsMax, "stop took \(elapsed) s")
        try waitUntil(seconds: 10) { ProcessScan.pids(withArgument: sleep).isEmpty }
    }

    @Test("stop abandons an HTTP check whose server never answers, without its timeout")
    func httpAbandoned() throws {
        // Connects complete in the kernel's backlog; nothing is ever read or answered.
        let silent = try Socket.listenTCP(.ipv4Loopback(port: 0), reusePort: false)
        defer { silent.close() }
        let url = "http://127.0.0.1:\(try silent.localAddress().port)/health"
        var check = intervalCheck("mute", http: url)
        check.definition.timeoutNanoseconds = 60 * 1_000_000_000
        let runner = CheckRunner(node: "n1", scriptChecksEnabled: false, seed: 12)
        defer { runner.stop() }
        try startRun(runner, check) { runner.stats.runsStarted == 1 }
        // Let the run reach its read of the answer that never comes.
        try waitUntil(seconds: 30) { Self.pendingConnections(silent) }
        let elapsed = timedStop(runner)
        #expect(elapsed < stopSecondsMax, "stop took \(elapsed) s")
    }

    /// Whether a connection waits in `listener`'s accept queue.
    static func pendingConnections(_ listener: Socket) -> Bool {
        var poller = pollfd(fd: listener.fileDescriptor, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, 0) > 0
    }
}
