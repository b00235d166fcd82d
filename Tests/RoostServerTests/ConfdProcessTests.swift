import Foundation
import Glibc
import Platform
import RoostClient
import Synchronization
import Testing

/// `roost confd` against a real server: renders from keys and healthy services, the
/// check/rename/reload sequence with real commands, and watch mode following changes.
@Suite("roost confd on a real server", .serialized)
struct ConfdProcessTests {
    static let template = """
        upstream {{getv "/app/name"}} {
        {{- range service "web"}}
          server {{.Address}}:{{.Port}}; # {{.ID}}
        {{- end}}
        }

        """

    @Test("--onetime renders keys and healthy services, checks, reloads and exits 0")
    func onetime() throws {
        let fixture = try ConfdFixture(label: "confd-once")
        defer { fixture.close() }
        try fixture.put("/app/name", "backend")
        try fixture.register(id: "web1", port: 8081)
        try fixture.register(id: "web2", port: 8082, passing: false)
        try fixture.waitForPassing(["web1"])
        let run = try runCLI(fixture.arguments(["--onetime"]))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            try fixture.destination()
                == "upstream backend {\n  server 127.0.0.1:8081; # web1\n}\n")
        #expect(try fixture.reloads() == 1)
        // Unchanged output: same inode, no reload (confd compares before replacing).
        let inode = try fixture.destinationInode()
        #expect(try runCLI(fixture.arguments(["--onetime"])).status == 0)
        #expect(try fixture.destinationInode() == inode)
        #expect(try fixture.reloads() == 1)
    }

    @Test("--onetime exits 1 and keeps the old file when a key is missing or the check fails")
    func onetimeFailures() throws {
        let fixture = try ConfdFixture(label: "confd-fail")
        defer { fixture.close() }
        try fixture.put("/app/name", "backend")
        #expect(try runCLI(fixture.arguments(["--onetime"])).status == 0)
        let before = try fixture.destination()
        _ = try fixture.client.delete(Array("/app/name".utf8))
        let missing = try runCLI(fixture.arguments(["--onetime"]))
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("key does not exist: /app/name"), "\(missing.stderr)")
        #expect(try fixture.destination() == before)
        // The check rejects any output naming "broken": nothing is replaced or reloaded.
        try fixture.put("/app/name", "broken")
        let rejected = try runCLI(fixture.arguments(["--onetime"]))
        #expect(rejected.status == 1)
        #expect(rejected.stderr.contains("check failed"), "\(rejected.stderr)")
        #expect(try fixture.destination() == before)
        #expect(try fixture.reloads() == 1)
    }

    @Test("--watch re-renders on a key change, a registration and a failed check; SIGTERM exits 0")
    func watch() throws {
        let fixture = try ConfdFixture(label: "confd-watch")
        defer { fixture.close() }
        try fixture.put("/app/name", "backend")
        try fixture.register(id: "web1", port: 8081)
        let agent = try BackgroundCLI(fixture.arguments(["--watch", "--wait", "0.05"]))
        defer { agent.kill() }
        try waitUntil { (try? fixture.destination())?.contains("web1") == true }
        try fixture.put("/app/name", "renamed")
        try waitUntil { (try? fixture.destination())?.hasPrefix("upstream renamed") == true }
        try fixture.register(id: "web2", port: 8082)
        try waitUntil { (try? fixture.destination())?.contains("web2") == true }
        try fixture.passTTL("web2", status: "fail")
        try waitUntil { (try? fixture.destination())?.contains("web2") == false }
        // A render the check rejects leaves the last good file in place.
        let good = try fixture.destination()
        try fixture.put("/app/name", "broken")
        try waitUntil { agent.output.contains("check failed") }
        #expect(try fixture.destination() == good)
        try fixture.put("/app/name", "fixed")
        try waitUntil { (try? fixture.destination())?.hasPrefix("upstream fixed") == true }
        #expect(agent.terminate() == 0, "\(agent.output)")
    }
}

extension ConfdProcessTests {
    @Test("--watch: services, nodes and services named at run time follow registrations")
    func catalogFunctions() throws {
        let fixture = try ConfdFixture(label: "confd-catalog")
        defer { fixture.close() }
        try fixture.writeResource(
            template: """
                {{range services}}{{.Name}}{{.Tags}} {{end}}
                {{range $s := services}}{{range service $s.Name}}{{.ID}}:{{.Port}} {{end}}{{end}}
                {{range service "primary.db"}}primary={{.ID}}{{end}}
                nodes={{len nodes}}

                """, destination: "catalog.conf", keys: "/app", check: "true", reload: "true")
        try fixture.register(id: "web1", port: 8081)
        try fixture.waitForPassing(["web1"])
        let agent = try BackgroundCLI(fixture.arguments(["--watch", "--wait", "0.05"]))
        defer { agent.kill() }
        try waitUntil {
            let text = (try? fixture.destination()) ?? ""
            return text.contains("web[] ") && text.contains("web1:8081 ")
                && text.contains("nodes=1") && !text.contains("primary=")
        }
        // A new service: the service list's query wakes the agent, which then reads it.
        try fixture.register(id: "db1", port: 5432, name: "db", tags: ["primary"])
        try waitUntil {
            let text = (try? fixture.destination()) ?? ""
            return text.contains("db[primary] ") && text.contains("db1:5432 ")
                && text.contains("primary=db1")
        }
        // Health: web1's check fails, and web1 leaves what `service` returns.
        try fixture.passTTL("web1", status: "fail")
        try waitUntil { (try? fixture.destination())?.contains("web1:8081") == false }
        #expect(try fixture.destination().contains("web[] "), "still registered")
        #expect(agent.terminate() == 0, "\(agent.output)")
    }

    @Test("a blocking health query answers at once past an old index, at the wait's end if none")
    func blockingQuery() throws {
        let fixture = try ConfdFixture(label: "confd-blocking")
        defer { fixture.close() }
        try fixture.register(id: "web1", port: 8081)
        try fixture.waitForPassing(["web1"])
        let path = EtcdClient.serviceHealthPath("web", passingOnly: true)
        #expect(path == "/v1/health/service/web?passing")
        let before = try fixture.client.serviceHealth("web", passingOnly: true).index
        try fixture.register(id: "web2", port: 8082)
        let moved = try fixture.client.consulBlockingIndex(path, index: before, waitSeconds: 30)
        #expect(moved > before)
        // Nothing changes now: the query waits its second (plus jitter) and answers the
        // same index, which is not an error (consul.md §2.1).
        let clock = MonotonicClock()
        let start = clock.nowNanoseconds()
        let same = try fixture.client.consulBlockingIndex(path, index: moved, waitSeconds: 1)
        #expect(same == moved)
        #expect(clock.nowNanoseconds() - start >= 900_000_000)
    }

    @Test("SIGHUP loads a new resource; a dead first endpoint is skipped for the next one")
    func reloadOnSIGHUP() throws {
        let fixture = try ConfdFixture(label: "confd-hup")
        defer { fixture.close() }
        try fixture.put("/app/name", "backend")
        let endpoint = try #require(fixture.server.endpoint).text
        var arguments = try fixture.arguments(["--watch"])
        arguments[arguments.count - 2] = "http://127.0.0.1:1," + endpoint
        let agent = try BackgroundCLI(arguments)
        defer { agent.kill() }
        try waitUntil { (try? fixture.destination())?.hasPrefix("upstream backend") == true }
        let second = """
            [template]
            src = "upstream.tmpl"
            dest = "\(fixture.directory)/second.conf"
            keys = ["/app"]

            """
        try second.write(
            toFile: fixture.directory + "/confd/conf.d/second.toml", atomically: true,
            encoding: .utf8)
        kill(agent.child.pid, SIGHUP)
        try waitUntil { FileManager.default.fileExists(atPath: fixture.directory + "/second.conf") }
        // Both resources follow later changes.
        try fixture.put("/app/name", "after-hup")
        try waitUntil {
            let second = try? String(
                contentsOfFile: fixture.directory + "/second.conf", encoding: .utf8)
            return second?.hasPrefix("upstream after-hup") == true
                && (try? fixture.destination())?.hasPrefix("upstream after-hup") == true
        }
        #expect(agent.terminate() == 0, "\(agent.output)")
    }

    @Test("--interval renders again after the interval without any watch")
    func interval() throws {
        let fixture = try ConfdFixture(label: "confd-interval")
        defer { fixture.close() }
        try fixture.put("/app/name", "first")
        let agent = try BackgroundCLI(fixture.arguments(["--interval", "0.2"]))
        defer { agent.kill() }
        try waitUntil { (try? fixture.destination())?.hasPrefix("upstream first") == true }
        try fixture.put("/app/name", "second")
        try waitUntil { (try? fixture.destination())?.hasPrefix("upstream second") == true }
        #expect(agent.terminate() == 0, "\(agent.output)")
    }
}

/// A server with its agent, a confdir with one resource, and helpers to drive both.
final class ConfdFixture {
    let directory: String
    let server: ServerProcess
    let client: EtcdClient
    let http: HTTPClient
    /// The file the resource renders (a proxy test points its resource elsewhere).
    var renderedPath: String

    init(label: String) throws {
        directory = ServerProcess.temporaryDirectory(label)
        renderedPath = directory + "/upstream.conf"
        server = ServerProcess(dataDirectory: directory + "/data", agent: true)
        try server.start()
        client = try server.client()
        http = HTTPClient(address: try #require(server.endpoint).address)
        let confdir = directory + "/confd"
        try FileManager.default.createDirectory(
            atPath: confdir + "/conf.d", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            atPath: confdir + "/templates", withIntermediateDirectories: true)
        try writeResource(
            template: ConfdProcessTests.template, destination: "upstream.conf", keys: "/app",
            check: "! grep -q broken {{.src}}",
            reload: "echo reload >> \(directory)/reloads.log")
    }

    /// (Re)writes the one resource, `upstream.toml`, and its template.
    func writeResource(
        template: String, destination: String, keys: String, check: String, reload: String
    ) throws {
        let confdir = directory + "/confd"
        renderedPath = directory + "/" + destination
        try template.write(
            toFile: confdir + "/templates/upstream.tmpl", atomically: true, encoding: .utf8)
        let resource = """
            [template]
            src = "upstream.tmpl"
            dest = "\(renderedPath)"
            keys = ["\(keys)"]
            check_cmd = "\(check)"
            reload_cmd = "\(reload)"

            """
        try resource.write(
            toFile: confdir + "/conf.d/upstream.toml", atomically: true, encoding: .utf8)
    }

    func arguments(_ mode: [String]) throws -> [String] {
        let endpoint = try #require(server.endpoint)
        return ["confd", "--confdir", directory + "/confd", "--endpoints", endpoint.text] + mode
    }

    func put(_ key: String, _ value: String) throws {
        _ = try client.put(Array(key.utf8), Array(value.utf8))
    }

    /// Registers instance `id` of `name` on 127.0.0.1 with a TTL check, passing or
    /// critical.
    func register(
        id: String, port: Int, passing: Bool = true, name: String = "web", tags: [String] = []
    ) throws {
        let tagList = tags.map { "\"\($0)\"" }.joined(separator: ",")
        let body =
            #"{"Name":"\#(name)","ID":"\#(id)","Address":"127.0.0.1","Port":\#(port),"#
            + #""Tags":[\#(tagList)],"#
            + #""Check":{"TTL":"300s","Status":"\#(passing ? "passing" : "critical")"}}"#
        let status = try http.send(.put, "/v1/agent/service/register", body: Array(body.utf8))
            .status
        #expect(status == 200)
    }

    /// Waits until exactly `ids` pass: the node's own liveness (serfHealth) is written by
    /// its agent shortly after start, and until then no instance counts as healthy.
    func waitForPassing(_ ids: [String]) throws {
        try waitUntil {
            guard let body = try? http.send(.get, "/v1/health/service/web?passing").bodyText
            else { return false }
            return ids.allSatisfy { body.contains("\"ID\":\"\($0)\"") }
                && body.components(separatedBy: "\"Service\":{").count - 1 == ids.count
        }
    }

    func passTTL(_ id: String, status: String) throws {
        #expect(try http.send(.put, "/v1/agent/check/\(status)/service:\(id)").status == 200)
    }

    func destination() throws -> String {
        try String(contentsOfFile: renderedPath, encoding: .utf8)
    }

    func destinationInode() throws -> UInt64 {
        let attributes = try FileManager.default.attributesOfItem(
            atPath: renderedPath)
        return (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
    }

    func reloads() throws -> Int {
        let log = (try? String(contentsOfFile: directory + "/reloads.log", encoding: .utf8)) ?? ""
        return log.split(separator: "\n").count
    }

    func close() {
        http.close()
        _ = server.terminate()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A `roost` CLI process left running (an agent), with its output captured. Spawned with
/// Platform's ChildProcess rather than Foundation's Process, whose waitUntilExit was seen
/// to miss the exit of a child that had itself started daemons (HAProxy, nginx).
final class BackgroundCLI: @unchecked Sendable {
    let child: ChildProcess
    private let captured = Mutex<String>("")
    private var reader: PlatformThread?

    init(_ arguments: [String]) throws {
        child = try ChildProcess.spawn([ServerProcess.binaryPath] + arguments)
        reader = PlatformThread.spawn(name: "cli-output") { [self] in
            var endOfOutput = false
            while !endOfOutput {
                endOfOutput = child.readAvailable(
                    milliseconds: 100, bytesMax: ChildProcess.drainBytesMax
                ) { bytes in
                    captured.withLock { $0 += String(decoding: bytes, as: UTF8.self) }
                }
            }
        }
    }

    var output: String { captured.withLock { $0 } }

    /// SIGTERM and wait; returns the exit status (128 + signal if killed by one).
    func terminate() -> Int32 {
        Glibc.kill(child.pid, SIGTERM)
        return finish()
    }

    /// The exit status once the process ends by itself within `seconds`, else nil (it is
    /// then still running; `kill` it).
    func exitStatus(withinSeconds seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let termination = child.reap(blocking: false) { return finish(termination) }
            usleep(50_000)
        }
        return nil
    }

    /// SIGKILL unless it already ended, then reap and stop reading.
    func kill() {
        if child.reap(blocking: false) == nil { Glibc.kill(child.pid, SIGKILL) }
        _ = finish()
    }

    private func finish(_ reaped: ChildProcess.Termination? = nil) -> Int32 {
        let termination = reaped ?? child.reap(blocking: true)
        if let reader, !reader.isJoined {
            reader.join()
            close(child.outputDescriptor)
        }
        switch termination {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        case .statusUnavailable, nil: return -1
        }
    }
}
