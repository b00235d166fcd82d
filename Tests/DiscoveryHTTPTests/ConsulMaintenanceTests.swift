import DiscoveryHTTP
import Foundation
import Platform
import Testing

/// Maintenance mode and the script-check gate of the agent endpoints, over an in-memory
/// key space (Consul agent_endpoint.go `AgentNodeMaintenance`, `AgentServiceMaintenance`;
/// agent.go `addCheck`).
@Suite("Consul agent maintenance mode and script gate")
struct ConsulMaintenanceTests {
    static let nodeDefault =
        "Maintenance mode is enabled for this node, but no reason was provided. "
        + "This is a default message."
    static let serviceDefault =
        "Maintenance mode is enabled for this service, but no reason was provided. "
        + "This is a default message."

    func put(
        _ server: TestServer, _ path: String, _ body: String = ""
    ) throws -> (
        status: Int, body: String
    ) {
        let client = server.client()
        defer { client.close() }
        let response = try client.send(.put, path, body: Array(body.utf8))
        // Errors are plain text ending in a newline, as Go's http.Error writes them.
        var text = response.bodyText
        if text.hasSuffix("\n") { text.removeLast() }
        return (response.status, text)
    }

    func get(_ server: TestServer, _ path: String) throws -> JSONValue {
        let client = server.client()
        defer { client.close() }
        return try JSONParser.parse(try client.send(.get, path).body)
    }

    /// The agent's checks by ID.
    func checks(_ server: TestServer) throws -> [String: JSONValue] {
        guard case .object(let object) = try get(server, "/v1/agent/checks") else { return [:] }
        var result: [String: JSONValue] = [:]
        for member in object.members { result[member.key] = member.value }
        return result
    }

    func field(_ value: JSONValue?, _ name: String) -> String? {
        guard case .object(let object)? = value else { return nil }
        return object.members.first { $0.key == name }?.value.stringValue
    }

    /// The check IDs of each `web` instance in `/v1/health/service/web` (node checks
    /// included: the in-memory key space has no liveness lease, so serfHealth is critical
    /// and `?passing` is always empty here).
    func webInstanceChecks(_ server: TestServer) throws -> [[String]] {
        try get(server, "/v1/health/service/web").arrayValue?.map { entry in
            guard case .object(let object) = entry,
                let checks = object.members.first(where: { $0.key == "Checks" })?.value
                    .arrayValue
            else { return [] }
            return checks.compactMap { field($0, "CheckID") }
        } ?? []
    }

    func registerWeb(_ server: TestServer) throws {
        let body = #"{"Name":"web","ID":"web1","Port":80,"Check":{"TTL":"60s","Status":"passing"}}"#
        #expect(try put(server, "/v1/agent/service/register", body).status == 200)
    }

    @Test("node maintenance adds the critical check _node_maintenance with Consul's default notes")
    func nodeMaintenanceDefault() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try put(server, "/v1/agent/maintenance?enable=true") == (200, ""))
        let check = try checks(server)["_node_maintenance"]
        #expect(field(check, "Name") == "Node Maintenance Mode")
        #expect(field(check, "Status") == "critical")
        #expect(field(check, "Notes") == ConsulMaintenanceTests.nodeDefault)
        #expect(field(check, "ServiceID") == "")
    }

    @Test("a reason becomes the notes; enabling again keeps the first reason (Consul no-op)")
    func nodeMaintenanceReason() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(
            try put(server, "/v1/agent/maintenance?enable=True&reason=kernel+upgrade").status == 200
        )
        #expect(try put(server, "/v1/agent/maintenance?enable=1&reason=other").status == 200)
        #expect(field(try checks(server)["_node_maintenance"], "Notes") == "kernel upgrade")
    }

    @Test("disabling removes the check; disabling again is a 200 no-op")
    func nodeMaintenanceDisable() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try put(server, "/v1/agent/maintenance?enable=true").status == 200)
        #expect(try put(server, "/v1/agent/maintenance?enable=false").status == 200)
        #expect(try checks(server)["_node_maintenance"] == nil)
        #expect(try put(server, "/v1/agent/maintenance?enable=f") == (200, ""))
    }

    @Test(
        "enable is required and parsed like Go's ParseBool (400 with Consul's text)",
        arguments: [
            ("", "Missing value for enable"), ("?reason=x", "Missing value for enable"),
            ("?enable", "Invalid value for enable: \"\""),
            ("?enable=yes", "Invalid value for enable: \"yes\""),
        ])
    func enableParsing(query: String, message: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try put(server, "/v1/agent/maintenance" + query) == (400, message))
        #expect(try put(server, "/v1/agent/service/maintenance/web1" + query) == (400, message))
    }

    @Test("maintenance endpoints take PUT only (405 with Allow: PUT)")
    func methods() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = server.client()
        defer { client.close() }
        let response = try client.send(.get, "/v1/agent/maintenance?enable=true")
        #expect(response.status == 405)
        #expect(response.headers.values("Allow") == ["PUT"])
    }

    @Test("service maintenance adds the critical check _service_maintenance:<id> to the instance")
    func serviceMaintenance() throws {
        let server = try TestServer()
        defer { server.stop() }
        try registerWeb(server)
        #expect(try webInstanceChecks(server) == [["serfHealth", "service:web1"]])
        #expect(try put(server, "/v1/agent/service/maintenance/web1?enable=true") == (200, ""))
        let check = try checks(server)["_service_maintenance:web1"]
        #expect(field(check, "Name") == "Service Maintenance Mode")
        #expect(field(check, "Status") == "critical")
        #expect(field(check, "Notes") == ConsulMaintenanceTests.serviceDefault)
        #expect(field(check, "ServiceID") == "web1")
        #expect(field(check, "ServiceName") == "web")
        #expect(
            try webInstanceChecks(server)
                == [["_service_maintenance:web1", "serfHealth", "service:web1"]])
        #expect(try put(server, "/v1/agent/service/maintenance/web1?enable=false").status == 200)
        #expect(try webInstanceChecks(server) == [["serfHealth", "service:web1"]])
    }

    @Test("the node maintenance check is a node check: every instance of the node carries it")
    func nodeMaintenanceReachesInstances() throws {
        let server = try TestServer()
        defer { server.stop() }
        try registerWeb(server)
        #expect(try put(server, "/v1/agent/maintenance?enable=true&reason=r").status == 200)
        #expect(
            try webInstanceChecks(server) == [["_node_maintenance", "serfHealth", "service:web1"]])
    }

    /// The `Type` of each check listed by `path` (an array of HealthCheck), by CheckID.
    func listedTypes(_ server: TestServer, _ path: String) throws -> [String: String] {
        var types: [String: String] = [:]
        for check in try get(server, path).arrayValue ?? [] {
            if let id = field(check, "CheckID") { types[id] = field(check, "Type") }
        }
        return types
    }

    @Test("maintenance checks have Type \"maintenance\" in every listing (Consul agent.go)")
    func maintenanceType() throws {
        let server = try TestServer()
        defer { server.stop() }
        try registerWeb(server)
        #expect(try put(server, "/v1/agent/maintenance?enable=true").status == 200)
        #expect(try put(server, "/v1/agent/service/maintenance/web1?enable=true").status == 200)
        let agent = try checks(server)
        #expect(field(agent["_node_maintenance"], "Type") == "maintenance")
        #expect(field(agent["_service_maintenance:web1"], "Type") == "maintenance")
        #expect(field(agent["service:web1"], "Type") == "ttl")
        let critical = try listedTypes(server, "/v1/health/state/critical")
        #expect(critical["_node_maintenance"] == "maintenance")
        #expect(critical["_service_maintenance:web1"] == "maintenance")
        #expect(
            try listedTypes(server, "/v1/health/checks/web")["_service_maintenance:web1"]
                == "maintenance")
    }

    @Test("a maintenance check cannot be updated as a TTL check (Consul: no associated TTL)")
    func maintenanceIsNotTTL() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try put(server, "/v1/agent/maintenance?enable=true").status == 200)
        #expect(try put(server, "/v1/agent/check/pass/_node_maintenance").status == 500)
        #expect(field(try checks(server)["_node_maintenance"], "Status") == "critical")
    }

    @Test("an unknown service is 404 `No service registered with ID`; a missing ID is 400")
    func serviceMaintenanceErrors() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(
            try put(server, "/v1/agent/service/maintenance/nope?enable=true")
                == (404, "No service registered with ID \"nope\""))
        #expect(
            try put(server, "/v1/agent/service/maintenance/nope?enable=false")
                == (404, "No service registered with ID \"nope\""))
        #expect(
            try put(server, "/v1/agent/service/maintenance/?enable=true")
                == (400, "Missing service ID"))
    }

    @Test("deregistering the service removes its maintenance check too")
    func deregisterRemovesMaintenance() throws {
        let server = try TestServer()
        defer { server.stop() }
        try registerWeb(server)
        #expect(try put(server, "/v1/agent/service/maintenance/web1?enable=true").status == 200)
        #expect(try put(server, "/v1/agent/service/deregister/web1").status == 200)
        #expect(try checks(server)["_service_maintenance:web1"] == nil)
    }

    static let scriptMessage =
        "Scripts are disabled on this agent from remote calls; to enable, configure "
        + "'enable_script_checks' to true"

    @Test("script checks are refused with 500 and Consul's text unless enable_script_checks")
    func scriptGate() throws {
        let server = try TestServer()
        defer { server.stop() }
        let service = #"{"Name":"job","Check":{"Args":["/bin/true"],"Interval":"10s"}}"#
        #expect(
            try put(server, "/v1/agent/service/register", service)
                == (500, ConsulMaintenanceTests.scriptMessage))
        let check = #"{"Name":"disk","Args":["/bin/true"],"Interval":"10s"}"#
        #expect(
            try put(server, "/v1/agent/check/register", check)
                == (500, ConsulMaintenanceTests.scriptMessage))
        // Validation comes first, as in Consul: a bad check is 400 either way.
        let invalid = #"{"Name":"disk","Args":["/bin/true"]}"#
        #expect(try put(server, "/v1/agent/check/register", invalid).status == 400)
        #expect(try checks(server).isEmpty)
    }

    @Test("with enable_script_checks a script check registers")
    func scriptGateOpen() throws {
        let keySpace = InMemoryKeySpace()
        let group = try EventLoopGroup(loopCount: 1, namePrefix: "test-http")
        let server = HTTPServer(
            group: group, handler: Router(keySpace: keySpace, scriptChecksEnabled: true))
        try server.start(address: SocketAddress.parse("127.0.0.1:0"))
        defer {
            server.shutdown()
            group.shutdown()
        }
        let client = HTTPClient(
            address: try #require(server.boundAddress), timeoutMilliseconds: 10_000)
        defer { client.close() }
        let check = #"{"Name":"disk","Args":["/bin/true"],"Interval":"10s"}"#
        #expect(
            try client.send(.put, "/v1/agent/check/register", body: Array(check.utf8)).status
                == 200)
    }
}
