import Foundation
import Platform
import ServiceCatalog
import Testing

@testable import RoostServer

/// The runner with its real executors: checks against a loopback HTTP server, a TCP port
/// and /bin/sh scripts. Time is a value the test moves (one check interval per step); the
/// runs themselves are real, and their results are awaited by polling with a deadline.
@Suite("Check runner with real executors", .serialized)
struct CheckRunnerTests {
    let interval = 10 * secondNanoseconds

    /// A catalog of one node's checks that takes the runner's writes like the log would.
    final class Catalog {
        var checks: [String: Revisioned<CatalogCheck>] = [:]
        var revision: UInt64 = 0

        func put(_ check: CatalogCheck) {
            revision += 1
            checks[check.checkID] = revisioned(check, revision)
        }

        var all: [Revisioned<CatalogCheck>] { checks.keys.sorted().compactMap { checks[$0] } }

        /// Shows the catalog to `runner` at `now`: new checks are first due within one
        /// interval of that.
        func start(_ runner: CheckRunner, now: UInt64 = 0) {
            #expect(runner.poll(all, nowNanoseconds: now).writes.isEmpty)
        }

        /// Polls `runner` at `now` until it asks for a write, applies it, returns it.
        func nextWrite(
            _ runner: CheckRunner, now: UInt64, seconds: Double = 20
        ) throws -> CheckWrite {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let pass = runner.poll(all, nowNanoseconds: now)
                if let write = pass.writes.first {
                    put(write.record)
                    runner.written(write, .applied(revision: Int64(revision)))
                    return write
                }
                usleep(2_000)
            }
            throw ServerProcessError.notReady("no write within \(seconds) s")
        }
    }

    func check(
        _ id: String, http: String = "", tcp: String = "", script: [String] = []
    )
        -> CatalogCheck
    {
        intervalCheck(id, http: http, tcp: tcp, script: script)
    }

    @Test("HTTP: 2xx turns the check passing, then a 500 turns it critical, with Consul's output")
    func http() throws {
        let target = try HealthTarget(status: 200)
        defer { target.stop() }
        let runner = CheckRunner(node: "n1", scriptChecksEnabled: false, seed: 3)
        defer { runner.stop() }
        let catalog = Catalog()
        catalog.put(check("web", http: target.url))
        catalog.start(runner)
        var now = interval
        let passing = try catalog.nextWrite(runner, now: now)
        #expect(passing.record.status == .passing)
        #expect(passing.record.output == "HTTP GET \(target.url): 200 OK Output: status 200")
        target.answer(500)
        now += interval
        let critical = try catalog.nextWrite(runner, now: now)
        #expect(critical.record.status == .critical)
        #expect(
            critical.record.output
                == "HTTP GET \(target.url): 500 Internal Server Error Output: status 500")
        #expect(critical.expectedModRevision == 2)
        #expect(runner.stats.runsStarted == 2)
    }

    @Test("HTTP: 429 is warning (Consul ≥ 1.0)")
    func httpWarning() throws {
        let target = try HealthTarget(status: 429)
        defer { target.stop() }
        let runner = CheckRunner(node: "n1", scriptChecksEnabled: false, seed: 3)
        defer { runner.stop() }
        let catalog = Catalog()
        catalog.put(check("web", http: target.url))
        catalog.start(runner)
        #expect(try catalog.nextWrite(runner, now: interval).record.status == .warning)
    }

    @Test("TCP: a listening port is passing; once it closes the check is critical")
    func tcp() throws {
        let target = try HealthTarget()
        let runner = CheckRunner(node: "n1", scriptChecksEnabled: false, seed: 3)
        defer { runner.stop() }
        let catalog = Catalog()
        catalog.put(check("db", tcp: target.address))
        catalog.start(runner)
        let passing = try catalog.nextWrite(runner, now: interval)
        #expect(passing.record.status == .passing)
        #expect(passing.record.output == "TCP connect \(target.address): Success")
        target.stop()
        let critical = try catalog.nextWrite(runner, now: 2 * interval)
        #expect(critical.record.status == .critical)
        #expect(critical.record.output.contains("connection refused"))
    }

    @Test("script: exit 1 is warning with the script's output; exit 2 is critical")
    func script() throws {
        let runner = CheckRunner(node: "n1", scriptChecksEnabled: true, seed: 3)
        defer { runner.stop() }
        let catalog = Catalog()
        catalog.put(check("job", script: ["/bin/sh", "-c", "echo degraded; exit 1"]))
        catalog.start(runner)
        let warning = try catalog.nextWrite(runner, now: interval)
        #expect(warning.record.status == .warning)
        #expect(warning.record.output == "degraded\n")
        var changed = check("job", script: ["/bin/sh", "-c", "echo broken >&2; exit 2"])
        changed.status = warning.record.status
        changed.output = warning.record.output
        catalog.put(changed)
        catalog.start(runner, now: interval)
        let critical = try catalog.nextWrite(runner, now: 2 * interval)
        #expect(critical.record.status == .critical)
        #expect(critical.record.output == "broken\n")
    }

    @Test("script checks are not run without enable_script_checks")
    func scriptDisabled() throws {
        let runner = CheckRunner(node: "n1", scriptChecksEnabled: false, seed: 3)
        defer { runner.stop() }
        let catalog = Catalog()
        catalog.put(check("job", script: ["/bin/sh", "-c", "exit 0"]))
        for step in 1...5 {
            #expect(runner.poll(catalog.all, nowNanoseconds: UInt64(step) * interval) == .init())
        }
        #expect(runner.stats == CheckRunner.Stats())
    }

    @Test("a slow check is never run twice at once, however many intervals it takes")
    func noOverlap() throws {
        let directory = ServerProcess.temporaryDirectory("gate")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let gate = directory + "/open"
        let runner = CheckRunner(node: "n1", scriptChecksEnabled: true, seed: 3)
        defer { runner.stop() }
        let catalog = Catalog()
        let waitForGate = "while [ ! -e \"$0\" ]; do sleep 0.01; done; echo through"
        catalog.put(check("slow", script: ["/bin/sh", "-c", waitForGate, gate]))
        for step in 1...6 {
            #expect(
                runner.poll(catalog.all, nowNanoseconds: UInt64(step) * interval).writes.isEmpty)
        }
        #expect(runner.stats.runsStarted == 1)
        #expect(runner.runningCount == 1)
        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        let write = try catalog.nextWrite(runner, now: 6 * interval)
        #expect(write.record.output == "through\n")
        #expect(runner.stats.runsStarted == 1)
        #expect(runner.runningCount == 0)
    }

    @Test("with every worker busy and no queue room, a due run is skipped and counted")
    func poolFull() throws {
        let directory = ServerProcess.temporaryDirectory("gate")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let gate = directory + "/open"
        let runner = CheckRunner(
            node: "n1", scriptChecksEnabled: true, seed: 3, workersMax: 1, queuedMax: 0)
        defer { runner.stop() }
        let catalog = Catalog()
        let waitForGate = "while [ ! -e \"$0\" ]; do sleep 0.01; done"
        catalog.put(check("a", script: ["/bin/sh", "-c", waitForGate, gate]))
        catalog.put(check("b", script: ["/bin/sh", "-c", waitForGate, gate]))
        catalog.start(runner)
        _ = runner.poll(catalog.all, nowNanoseconds: interval)
        #expect(runner.stats.runsStarted == 1)
        #expect(runner.stats.runsSkipped == 1)
        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        _ = try catalog.nextWrite(runner, now: interval)
    }

    @Test("a poll names the service to deregister once its check is critical past the delay")
    func reaps() throws {
        let runner = CheckRunner(node: "n1", scriptChecksEnabled: false, seed: 3)
        defer { runner.stop() }
        let catalog = Catalog()
        catalog.put(
            CatalogCheck(
                node: "n1", checkID: "service:api1", name: "ttl", serviceID: "api1",
                definition: CheckDefinition(
                    ttlNanoseconds: 10_000_000_000,
                    deregisterCriticalServiceAfterNanoseconds: 60_000_000_000)))
        #expect(runner.poll(catalog.all, nowNanoseconds: 0).reaps.isEmpty)
        #expect(runner.poll(catalog.all, nowNanoseconds: 60 * secondNanoseconds).reaps.isEmpty)
        let reaps = runner.poll(catalog.all, nowNanoseconds: 60 * secondNanoseconds + 1).reaps
        #expect(reaps.map(\.serviceID) == ["api1"])
        #expect(runner.stats.runsStarted == 0, "a TTL check is not run")
    }

    @Test("a catalog-registered check is never run nor reaped (reference/consul.md §4)")
    func catalogRegisteredChecksAreNotRun() throws {
        let target = try HealthTarget(status: 200)
        defer { target.stop() }
        let runner = CheckRunner(node: "n1", scriptChecksEnabled: true, seed: 3)
        defer { runner.stop() }
        let catalog = Catalog()
        var http = check("web", http: target.url)
        http.catalogRegistered = true
        var script = check("job", script: ["/bin/sh", "-c", "exit 0"])
        script.catalogRegistered = true
        var reapable = intervalCheck(
            "service:api1", tcp: target.address, status: .critical, serviceID: "api1")
        reapable.definition.http = ""
        reapable.definition.deregisterCriticalServiceAfterNanoseconds = 60_000_000_000
        reapable.catalogRegistered = true
        for record in [http, script, reapable] { catalog.put(record) }
        catalog.start(runner)
        for step in UInt64(1)...10 {
            let pass = runner.poll(catalog.all, nowNanoseconds: step * interval)
            #expect(pass.writes.isEmpty)
            #expect(pass.reaps.isEmpty)
        }
        #expect(runner.stats.runsStarted == 0)
        // The same HTTP check registered through the agent is run.
        http.catalogRegistered = false
        catalog.put(http)
        #expect(runner.poll(catalog.all, nowNanoseconds: 12 * interval).writes.isEmpty)
        #expect(try catalog.nextWrite(runner, now: 13 * interval).record.status == .passing)
        #expect(runner.stats.runsStarted == 1)
    }
}
