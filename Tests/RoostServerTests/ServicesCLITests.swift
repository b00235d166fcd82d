import Foundation
import Platform
import RoostClient
import Testing

/// `roost services`, `roost health` and `roost check` as processes against a real server:
/// output, exit codes, and the heartbeat sidecar's signal handling.
@Suite("roost services, health and check CLI", .serialized)
struct ServicesCLITests {
    @Test("register, list, health, pass, warn and fail, then deregister: each step shows in health")
    func lifecycle() throws {
        let directory = ServerProcess.temporaryDirectory("services-cli")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = ServerProcess(dataDirectory: directory, agent: true)
        try server.start()
        defer { _ = server.terminate() }
        let endpoint = try #require(server.endpoint).text
        // Every step succeeds: a failing one shows its own status and message.
        let roost = { (words: [String]) throws -> (status: Int32, stdout: String, stderr: String) in
            let result = try runCLI(words + ["--endpoints", endpoint])
            #expect(result.status == 0, "\(words): exit \(result.status), \(result.stderr)")
            return result
        }
        let web = try roost([
            "services", "register", "--name", "web", "--id", "web1", "--address", "10.0.0.5",
            "--port", "8080", "--tag", "v1", "--tag", "prod", "--meta", "version=1.2", "--ttl",
            "30s",
        ])
        #expect(web.stdout == "web1\nservice:web1\n")
        let db = try roost(["services", "register", "--name", "db", "--port", "5432"])
        #expect(db.stdout == "db\n")
        #expect(try roost(["services", "list"]).stdout == "db\nweb  prod,v1\n")
        #expect(try roost(["services", "list", "--json"]).stdout.contains(#""web":["prod","v1"]"#))

        // A new TTL check starts critical (Consul).
        let fresh = try roost(["health", "web"]).stdout.split(separator: "\n")
        #expect(fresh.count == 2)
        #expect(fresh.first?.hasPrefix("NODE") == true)
        #expect(fresh.last?.contains("web1  10.0.0.5:8080  critical") == true)
        #expect(fresh.last?.contains("service:web1=critical") == true)

        let pass = try roost(["check", "pass", "service:web1", "--note", "all good"])
        #expect(pass.stdout == "check service:web1 passing\n")
        let passing = try roost(["health", "web", "--passing", "--tag", "prod"]).stdout
        #expect(passing.contains("web1  10.0.0.5:8080  passing"))
        #expect(passing.contains("service:web1=passing (all good)"))
        #expect(try roost(["health", "web", "--tag", "staging"]).stdout == "")

        #expect(try roost(["check", "warn", "service:web1"]).status == 0)
        #expect(try roost(["health", "web"]).stdout.contains("10.0.0.5:8080  warning"))
        #expect(try roost(["check", "fail", "service:web1", "--note", "disk\nfull"]).status == 0)
        #expect(try roost(["health", "web", "--passing"]).stdout == "")
        let failed = try roost(["health", "web"]).stdout
        #expect(failed.contains("10.0.0.5:8080  critical"))
        #expect(failed.contains("service:web1=critical (disk full)"), "one line per instance")
        let json = try roost(["health", "web", "--json"]).stdout
        #expect(json.hasPrefix("[{"))
        #expect(json.contains(#""CheckID":"service:web1","Name":"Service 'web' check","#))
        #expect(json.contains(#""Status":"critical","Notes":"","Output":"disk"#))

        let deregister = try roost(["services", "deregister", "web1"])
        #expect(deregister.stdout == "service web1 deregistered\n")
        #expect(try roost(["health", "web"]).stdout == "")
        #expect(try roost(["services", "list"]).stdout == "db\n")
    }

    @Test("the server's refusals exit 1 with Consul's message: unknown IDs, a check without a TTL")
    func serverErrors() throws {
        let directory = ServerProcess.temporaryDirectory("services-cli-errors")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = ServerProcess(dataDirectory: directory, agent: true)
        try server.start()
        defer { _ = server.terminate() }
        let endpoint = try #require(server.endpoint).text
        let roost = { (words: [String]) throws -> (status: Int32, stdout: String, stderr: String) in
            try runCLI(words + ["--endpoints", endpoint])
        }
        let unknown = try roost(["check", "pass", "service:nope"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "roost: Unknown check ID \"service:nope\"\n")
        let heartbeat = try roost(["check", "heartbeat", "service:nope", "--every", "1s"])
        #expect(heartbeat.status == 1, "an unknown check cannot come back: no retrying")
        #expect(heartbeat.stderr.contains("Unknown check ID"))
        let gone = try roost(["services", "deregister", "nope"])
        #expect(gone.status == 1)
        #expect(gone.stderr.contains("Unknown service ID \"nope\""))
        let tcp = try roost([
            "services", "register", "--name", "tcp", "--tcp", "127.0.0.1:1", "--interval", "1m",
        ])
        #expect(tcp.stdout == "tcp\n", "only a TTL check's ID is printed")
        let notTTL = try roost(["check", "fail", "service:tcp"])
        #expect(notTTL.status == 1)
        #expect(notTTL.stderr.contains("does not have associated TTL"))
    }

    @Test("bad flags are usage errors: exit 2 and a message naming the flag, before any request")
    func badFlags() throws {
        // An endpoint nothing listens on: reaching for it would exit 3, not 2.
        let cases: [(words: [String], message: String)] = [
            (["services", "register", "--port", "80"], "services register needs --name"),
            (["services", "register", "--name", "a", "--port", "65536"], "--port needs a port"),
            (["services", "register", "--name", "a", "--ttl", "10"], "--ttl needs a duration"),
            (["services", "register", "--name", "a", "--ttl", "0s"], "positive duration"),
            (
                ["services", "register", "--name", "a", "--http", "http://h/"],
                "--http needs --interval"
            ),
            (
                ["services", "register", "--name", "a", "--tcp", "h", "--interval", "1s"],
                "HOST:PORT"
            ),
            (["services", "register", "--name", "a", "--ttl", "1s", "--tcp", "h:1"], "exclude"),
            (
                ["services", "register", "--name", "a", "--interval", "1s"],
                "--interval needs a check"
            ),
            (["services", "register", "--name", "a", "--meta", "=v"], "--meta needs KEY=VALUE"),
            (["services", "register", "--name", "a", "extra"], "unexpected argument 'extra'"),
            (["services", "list", "--name", "a"], "unknown flag --name"),
            (["services", "deregister"], "expected one service ID"),
            (["services", "start"], "unknown services command 'start'"),
            (["health"], "expected one SERVICE"),
            (["health", "web", "--passing=yes"], "--passing takes no value"),
            (["check", "pass"], "expected one CHECK_ID"),
            (["check", "pass", "service:a", "--every", "1s"], "unknown flag --every"),
            (["check", "heartbeat", "service:a"], "needs --every"),
            (["check", "heartbeat", "service:a", "--every", "99ms"], "from 100ms to 24h"),
            (["check", "ok", "service:a"], "unknown check command 'ok'"),
        ]
        for (words, message) in cases {
            let result = try runCLI(words + ["--endpoints", "http://127.0.0.1:1"])
            #expect(result.status == 2, "\(words): \(result.stderr)")
            #expect(result.stderr.hasPrefix("roost: "), "\(words)")
            #expect(result.stderr.contains(message), "\(words): \(result.stderr)")
            #expect(result.stdout == "", "\(words)")
        }
    }

    @Test("no reachable server exits 3; --help exits 0 with usage for services, health and check")
    func unreachableAndHelp() throws {
        let unreachable = try runCLI(["services", "list", "--endpoints", "http://127.0.0.1:1"])
        #expect(unreachable.status == 3)
        #expect(unreachable.stderr.contains("127.0.0.1:1"))
        for words in [
            ["services", "--help"], ["health", "--help"], ["check", "heartbeat", "--help"],
        ] {
            let result = try runCLI(words)
            #expect(result.status == 0, "\(words)")
            #expect(result.stdout.contains("Usage"), "\(words)")
        }
        #expect(try runCLI(["--help"]).stdout.contains("roost check pass|warn|fail|heartbeat"))
    }

    @Test(
        "check heartbeat keeps a 2 s TTL check passing for 5 s, exits 0 on SIGTERM, then it lapses")
    func heartbeat() throws {
        let directory = ServerProcess.temporaryDirectory("services-cli-heartbeat")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = ServerProcess(dataDirectory: directory, agent: true)
        try server.start()
        defer { _ = server.terminate() }
        let endpoint = try #require(server.endpoint).text
        let register = try runCLI([
            "services", "register", "--name", "hb", "--ttl", "2s", "--endpoints", endpoint,
        ])
        #expect(register.stdout == "hb\nservice:hb\n")
        let client = try server.client()
        let sidecar = try HeartbeatProcess([
            "check", "heartbeat", "service:hb", "--every", "300ms", "--note", "beating",
            "--endpoints", endpoint,
        ])
        try waitUntil(seconds: 10) { (try? ServicesCLITests.ttlStatus(client)) == .passing }
        // Two and a half TTLs: without the beats the check would lapse twice over.
        let watchUntil = Date().addingTimeInterval(5)
        var lapses: [String] = []
        while Date() < watchUntil {
            let status = try ServicesCLITests.ttlStatus(client)
            if status != .passing { lapses.append("\(status.map(\.rawValue) ?? "missing")") }
            usleep(100_000)
        }
        #expect(lapses.isEmpty, "the check left passing: \(lapses)")
        let stopped = try sidecar.stop(signal: SIGTERM, timeoutSeconds: 5)
        #expect(stopped.exited && stopped.status == 0, "\(stopped)")
        #expect(stopped.stdout == "check service:hb passing\n")
        #expect(stopped.stderr == "")
        try waitUntil(seconds: 10) { (try? ServicesCLITests.ttlStatus(client)) == .critical }
        let lapsed = try client.serviceHealth("hb").value.first?.checks.first {
            $0.checkID == "service:hb"
        }
        #expect(lapsed?.output.contains("TTL expired") == true, "\(String(describing: lapsed))")
    }

    /// The status of `service:hb`; nil when it is not registered.
    static func ttlStatus(_ client: EtcdClient) throws -> ConsulHealthStatus? {
        let entry = try client.serviceHealth("hb").value.first
        return entry?.checks.first { $0.checkID == "service:hb" }?.status
    }
}

/// A `roost check heartbeat` process left running until a signal stops it, stdout and
/// stderr kept apart.
private final class HeartbeatProcess {
    let process = Process()
    private let out = Pipe()
    private let err = Pipe()

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: ServerProcess.binaryPath)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "ROOST_ENDPOINTS")
        process.environment = environment
        process.standardOutput = out
        process.standardError = err
        try process.run()
    }

    /// Sends `signal` and waits for the exit; `exited` is false when a signal killed it.
    func stop(
        signal: Int32, timeoutSeconds: Double
    ) throws -> (exited: Bool, status: Int32, stdout: String, stderr: String) {
        kill(process.processIdentifier, signal)
        try waitUntil(seconds: timeoutSeconds) { !process.isRunning }
        process.waitUntilExit()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        return (
            process.terminationReason == .exit, process.terminationStatus,
            String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
