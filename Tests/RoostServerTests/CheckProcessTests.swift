import Foundation
import Platform
import Testing

/// Health checks run by a real `roost server` agent: HTTP against a server the test runs,
/// TCP against a port it opens and closes, scripts with `--enable-script-checks`, and
/// maintenance mode, each seen through the Consul API and DNS.
@Suite("health checks on a real process", .serialized)
struct CheckProcessTests {
    /// A server with its agent, DNS on a known port, and an HTTP client.
    final class Agent {
        let directory = ServerProcess.temporaryDirectory("checks")
        let server: ServerProcess
        let dns: SocketAddress
        let http: HTTPClient

        init(_ arguments: [String] = []) throws {
            let dnsPort = try #require(try ClusterProcesses.freePorts(1).first)
            dns = try SocketAddress.parse("127.0.0.1:\(dnsPort)")
            server = ServerProcess(
                dataDirectory: directory,
                extraArguments: ["--listen-dns", "127.0.0.1:\(dnsPort)"] + arguments, agent: true)
            try server.start()
            http = HTTPClient(
                address: try #require(server.endpoint).address, timeoutMilliseconds: 10_000)
        }

        func stop() {
            http.close()
            if server.process.isRunning { _ = server.terminate() }
            try? FileManager.default.removeItem(atPath: directory)
        }

        func put(_ path: String, _ body: String = "") throws -> (status: Int, body: String) {
            let response = try http.send(.put, path, body: Array(body.utf8))
            return (response.status, response.bodyText.trimmingCharacters(in: .newlines))
        }

        /// Instances of `service` whose checks all pass (`?passing`).
        func passing(_ service: String) throws -> Int {
            let body = try http.send(.get, "/v1/health/service/\(service)?passing").body
            return try JSONParser.parse(body).arrayValue?.count ?? -1
        }

        /// Status, output and notes of check `id` in `/v1/agent/checks`.
        func check(_ id: String) throws -> (status: String, output: String, notes: String)? {
            let body = try http.send(.get, "/v1/agent/checks").body
            guard case .object(let checks) = try JSONParser.parse(body),
                case .object(let check)? = checks.members.first(where: { $0.key == id })?.value
            else { return nil }
            func text(_ name: String) -> String {
                check.members.first { $0.key == name }?.value.stringValue ?? ""
            }
            return (text("Status"), text("Output"), text("Notes"))
        }

        func status(_ id: String) -> String? { (try? check(id))??.status }

        /// DNS A answers for `name`: -1 for NXDOMAIN.
        func answers(_ name: String) -> Int? {
            try? DiscoveryProcessTests.answers(dns, name)
        }
    }

    @Test("HTTP check: passing within a few intervals; a 500 turns it critical and out of DNS")
    func httpCheck() throws {
        let target = try HealthTarget(status: 200)
        defer { target.stop() }
        let agent = try Agent()
        defer { agent.stop() }
        let register =
            #"{"Name":"web","ID":"web1","Address":"127.0.0.1","Port":\#(target.port),"#
            + #""Check":{"HTTP":"\#(target.url)","Interval":"1s","Timeout":"2s"}}"#
        let registeredAt = Date()
        #expect(try agent.put("/v1/agent/service/register", register).status == 200)
        #expect(agent.status("service:web1") == "critical", "new checks start critical")
        try waitUntil(seconds: 30) { (try? agent.passing("web")) == 1 }
        let elapsed = Date().timeIntervalSince(registeredAt)
        #expect(elapsed < 10, "passing after \(elapsed) s with a 1 s interval")
        try waitUntil(seconds: 10) { agent.answers("web.service.roost") == 1 }
        let passing = try #require(try agent.check("service:web1"))
        #expect(passing.output == "HTTP GET \(target.url): 200 OK Output: status 200")
        target.answer(500)
        try waitUntil(seconds: 30) { (try? agent.passing("web")) == 0 }
        #expect(agent.status("service:web1") == "critical")
        let critical = try #require(try agent.check("service:web1"))
        #expect(critical.output.contains(": 500 Internal Server Error Output: status 500"))
        try waitUntil(seconds: 10) { agent.answers("web.service.roost") == -1 }
        target.answer(200)
        try waitUntil(seconds: 30) { (try? agent.passing("web")) == 1 }
    }

    @Test("TCP check: passing while the port listens, critical once it is closed")
    func tcpCheck() throws {
        let target = try HealthTarget()
        let agent = try Agent()
        defer { agent.stop() }
        let register =
            #"{"Name":"db","ID":"db1","Port":\#(target.port),"#
            + #""Check":{"CheckID":"db-tcp","TCP":"\#(target.address)","Interval":"1s"}}"#
        #expect(try agent.put("/v1/agent/service/register", register).status == 200)
        try waitUntil(seconds: 30) { agent.status("db-tcp") == "passing" }
        #expect(try agent.check("db-tcp")?.output == "TCP connect \(target.address): Success")
        target.stop()
        try waitUntil(seconds: 30) { agent.status("db-tcp") == "critical" }
        #expect(try agent.passing("db") == 0)
    }

    @Test("script check: refused without --enable-script-checks; with it, exit 1 is warning")
    func scriptCheck() throws {
        let script =
            #"{"Name":"disk","CheckID":"disk","Interval":"1s","#
            + #""Args":["/bin/sh","-c","echo degraded; exit 1"]}"#
        let closed = try Agent()
        let refused = try closed.put("/v1/agent/check/register", script)
        closed.stop()
        #expect(refused.status == 500)
        #expect(
            refused.body
                == "Scripts are disabled on this agent from remote calls; to enable, configure "
                + "'enable_script_checks' to true")
        let agent = try Agent(["--enable-script-checks"])
        defer { agent.stop() }
        #expect(try agent.put("/v1/agent/check/register", script).status == 200)
        try waitUntil(seconds: 30) { agent.status("disk") == "warning" }
        #expect(try agent.check("disk")?.output == "degraded\n")
    }

    @Test(
        "a server stopping during a 60 s script check stops in seconds, its process group reaped"
    )
    func stopDuringScript() throws {
        let sleep = ProcessScan.uniqueSleep(seconds: 60)
        let agent = try Agent(["--enable-script-checks"])
        defer { agent.stop() }
        // The script leaves a grandchild in the background: only a group kill reaches it.
        let check =
            #"{"Name":"slow","CheckID":"slow","Interval":"1s","Timeout":"60s","#
            + #""Args":["/bin/sh","-c","sleep \#(sleep) & sleep \#(sleep); wait"]}"#
        #expect(try agent.put("/v1/agent/check/register", check).status == 200)
        try waitUntil(seconds: 30) { ProcessScan.pids(withArgument: sleep).count == 2 }
        let stoppingAt = Date()
        let status = agent.server.terminate()
        let elapsed = Date().timeIntervalSince(stoppingAt)
        #expect(status == 0, "\(agent.server.log)")
        // The check's timeout is 60 s; a stop that waits for it takes that long.
        #expect(elapsed < 20, "stopped after \(elapsed) s")
        try waitUntil(seconds: 10) { ProcessScan.pids(withArgument: sleep).isEmpty }
    }

    @Test("maintenance mode: node and service checks take the instance out of DNS and back")
    func maintenance() throws {
        let agent = try Agent()
        defer { agent.stop() }
        let register =
            #"{"Name":"api","ID":"api1","Address":"127.0.0.1","Port":9000,"#
            + #""Check":{"TTL":"300s","Status":"passing"}}"#
        #expect(try agent.put("/v1/agent/service/register", register).status == 200)
        try waitUntil(seconds: 30) { (try? agent.passing("api")) == 1 }
        #expect(
            try agent.put("/v1/agent/maintenance?enable=true&reason=kernel+upgrade") == (200, ""))
        #expect(try agent.check("_node_maintenance")?.notes == "kernel upgrade")
        #expect(try agent.passing("api") == 0)
        try waitUntil(seconds: 10) { agent.answers("api.service.roost") == -1 }
        #expect(try agent.put("/v1/agent/maintenance?enable=false").status == 200)
        #expect(try agent.check("_node_maintenance") == nil)
        #expect(try agent.passing("api") == 1)
        try waitUntil(seconds: 10) { agent.answers("api.service.roost") == 1 }
        let service = "/v1/agent/service/maintenance/api1"
        #expect(try agent.put(service + "?enable=true").status == 200)
        #expect(try agent.check("_service_maintenance:api1")?.status == "critical")
        #expect(try agent.passing("api") == 0)
        try waitUntil(seconds: 10) { agent.answers("api.service.roost") == -1 }
        #expect(try agent.put(service + "?enable=false").status == 200)
        #expect(try agent.passing("api") == 1)
        #expect(
            try agent.put("/v1/agent/service/maintenance/nope?enable=true")
                == (404, "No service registered with ID \"nope\""))
    }
}
