import Foundation
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

/// A server with its agent, a confdir with one resource, and helpers to drive both.
final class ConfdFixture {
    let directory: String
    let server: ServerProcess
    let client: EtcdClient
    let http: HTTPClient

    init(label: String) throws {
        directory = ServerProcess.temporaryDirectory(label)
        server = ServerProcess(dataDirectory: directory + "/data", agent: true)
        try server.start()
        client = try server.client()
        http = HTTPClient(address: try #require(server.endpoint).address)
        let confdir = directory + "/confd"
        try FileManager.default.createDirectory(
            atPath: confdir + "/conf.d", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            atPath: confdir + "/templates", withIntermediateDirectories: true)
        try ConfdProcessTests.template.write(
            toFile: confdir + "/templates/upstream.tmpl", atomically: true, encoding: .utf8)
        let resource = """
            [template]
            src = "upstream.tmpl"
            dest = "\(directory)/upstream.conf"
            keys = ["/app"]
            check_cmd = "! grep -q broken {{.src}}"
            reload_cmd = "echo reload >> \(directory)/reloads.log"

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

    /// Registers `web` instance `id` on 127.0.0.1 with a TTL check, passing or critical.
    func register(id: String, port: Int, passing: Bool = true) throws {
        let body =
            #"{"Name":"web","ID":"\#(id)","Address":"127.0.0.1","Port":\#(port),"#
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
        try String(contentsOfFile: directory + "/upstream.conf", encoding: .utf8)
    }

    func destinationInode() throws -> UInt64 {
        let attributes = try FileManager.default.attributesOfItem(
            atPath: directory + "/upstream.conf")
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

/// A `roost` CLI process left running (an agent), with its output captured.
final class BackgroundCLI: @unchecked Sendable {
    let process = Process()
    private let captured = Mutex<String>("")

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: ServerProcess.binaryPath)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            guard !data.isEmpty else { return }
            captured.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    var output: String { captured.withLock { $0 } }

    /// SIGTERM and wait; returns the exit status.
    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    func kill() {
        if process.isRunning { _ = terminate() }
    }
}
