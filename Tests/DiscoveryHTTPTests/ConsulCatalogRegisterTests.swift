import DiscoveryHTTP
import Foundation
import Platform
import Testing

/// `PUT /v1/catalog/register` and `/v1/catalog/deregister` over an in-memory key space
/// (reference/consul.md §4; Consul agent/consul/catalog_endpoint.go `Register`,
/// `Deregister`; fsm `applyDeregister`).
@Suite("Consul catalog register and deregister")
struct ConsulCatalogRegisterTests {
    static let fullBody =
        #"{"Datacenter":"dc1","ID":"40e4a748-2192-161a-0510-9bf59fe950b5","Node":"t2.320","#
        + #""Address":"192.168.10.10","TaggedAddresses":{"lan":"192.168.10.10"},"#
        + #""NodeMeta":{"somekey":"somevalue"},"#
        + #""Service":{"ID":"redis1","Service":"redis","Tags":["primary","v1"],"#
        + #""Address":"127.0.0.1","Meta":{"redis_version":"4.0"},"Port":8000},"#
        + #""Check":{"Node":"t2.320","CheckID":"service:redis1","Name":"Redis health check","#
        + #""Status":"passing","ServiceID":"redis1","#
        + #""Definition":{"TCP":"localhost:8888","Interval":"5s","Timeout":"1s"}},"#
        + #""SkipNodeUpdate":false}"#

    func put(_ server: TestServer, _ path: String, _ body: String) throws -> (Int, String) {
        let response = try server.consul(.put, path, body)
        var text = response.bodyText
        if text.hasSuffix("\n") { text.removeLast() }
        return (response.status, text)
    }

    func json(_ server: TestServer, _ path: String) throws -> Any {
        let response = try server.consul(.get, path)
        #expect(response.status == 200)
        return try JSONSerialization.jsonObject(
            with: Data(response.body), options: .fragmentsAllowed)
    }

    func objects(_ server: TestServer, _ path: String) throws -> [[String: Any]] {
        try #require(try json(server, path) as? [[String: Any]])
    }

    /// The check IDs of `/v1/health/node/<node>`.
    func nodeCheckIDs(_ server: TestServer, _ node: String) throws -> [String] {
        try objects(server, "/v1/health/node/\(node)").compactMap { $0["CheckID"] as? String }
    }

    /// The service IDs of `/v1/catalog/node/<node>`; nil when the node is unknown.
    func nodeServiceIDs(_ server: TestServer, _ node: String) throws -> [String]? {
        guard let object = try json(server, "/v1/catalog/node/\(node)") as? [String: Any],
            let services = object["Services"] as? [String: Any]
        else { return nil }
        return services.keys.sorted()
    }

    @Test("register answers true and the node, service and check read back as Consul shows them")
    func registerAndRead() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try put(server, "/v1/catalog/register", Self.fullBody) == (200, "true"))
        let rows = try objects(server, "/v1/catalog/service/redis")
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row["Node"] as? String == "t2.320")
        #expect(row["Address"] as? String == "192.168.10.10")
        #expect(row["ID"] as? String == "40e4a748-2192-161a-0510-9bf59fe950b5")
        #expect(row["ServiceID"] as? String == "redis1")
        #expect(row["ServiceAddress"] as? String == "127.0.0.1")
        #expect(row["ServicePort"] as? Int == 8000)
        #expect(row["ServiceTags"] as? [String] == ["primary", "v1"])
        #expect(row["NodeMeta"] as? [String: String] == ["somekey": "somevalue"])
        let health = try objects(server, "/v1/health/service/redis?passing")
        #expect(health.count == 1, "an external node has no serfHealth to fail ?passing")
        let checks = try #require(health.first?["Checks"] as? [[String: Any]])
        #expect(checks.map { $0["CheckID"] as? String } == ["service:redis1"])
        #expect(checks.first?["Status"] as? String == "passing")
        #expect(checks.first?["Type"] as? String == "tcp")
        #expect(checks.first?["ServiceName"] as? String == "redis")
        #expect(checks.first?["ServiceTags"] as? [String] == ["primary", "v1"])
        let definition = checks.first?["Definition"] as? [String: Any]
        #expect(definition?["TCP"] as? String == "localhost:8888")
        #expect(try nodeCheckIDs(server, "t2.320") == ["service:redis1"])
        let nodes = try objects(server, "/v1/catalog/nodes")
        #expect(nodes.compactMap { $0["Node"] as? String } == ["t2.320"])
        #expect(nodes.first?["Datacenter"] as? String == "dc1")
        #expect(nodes.first?["RoostExternal"] == nil, "the stored-only marker is not shown")
        #expect(
            try json(server, "/v1/catalog/services") as? [String: [String]]
                == ["redis": ["primary", "v1"]])
    }

    @Test("py-consul's lowercase keys register too; the Check defaults its ID to its Name")
    func lowercaseKeys() throws {
        let server = try TestServer()
        defer { server.stop() }
        let body =
            #"{"node":"ext","address":"10.0.0.9","service":{"service":"db","port":5432},"#
            + #""check":{"name":"disk","status":"warning"}}"#
        #expect(try put(server, "/v1/catalog/register", body) == (200, "true"))
        let checks = try objects(server, "/v1/health/node/ext")
        #expect(checks.map { $0["CheckID"] as? String } == ["disk"])
        #expect(checks.first?["Status"] as? String == "warning")
        #expect(checks.first?["ServiceID"] as? String == "")
        #expect(try nodeServiceIDs(server, "ext") == ["db"])
    }

    @Test("a catalog check without Status is critical and stays so: no agent runs or expires it")
    func checksAreStoredNotRun() throws {
        let server = try TestServer()
        defer { server.stop() }
        let body =
            #"{"Node":"test","Address":"127.0.0.1","Checks":[{"Name":"ttl","Definition":"#
            + #"{"TTL":"10s"}},{"Name":"other","Status":"passing"}]}"#
        #expect(try put(server, "/v1/catalog/register", body) == (200, "true"))
        let checks = try objects(server, "/v1/health/node/test")
        #expect(
            checks.map { $0["CheckID"] as? String } == ["other", "serfHealth", "ttl"])
        #expect(checks.last?["Status"] as? String == "critical")
        // The agent endpoints do not know catalog checks, even on the agent's own node.
        let agentChecks = try #require(try json(server, "/v1/agent/checks") as? [String: Any])
        #expect(agentChecks.keys.sorted() == ["serfHealth"])
        let pass = try put(server, "/v1/agent/check/pass/ttl", "")
        #expect(pass.0 == 404)
    }

    @Test("a cluster member's node keeps its synthetic serfHealth; an external node has none")
    func serfHealthOnlyForMembers() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(
            try put(server, "/v1/catalog/register", #"{"Node":"test","Address":"127.0.0.1"}"#)
                == (200, "true"))
        #expect(
            try put(server, "/v1/catalog/register", #"{"Node":"ext","Address":"10.0.0.1"}"#)
                == (200, "true"))
        #expect(try nodeCheckIDs(server, "test") == ["serfHealth"])
        #expect(try nodeCheckIDs(server, "ext") == [])
        let critical = try objects(server, "/v1/health/state/critical")
        #expect(critical.map { $0["Node"] as? String } == ["test"])
    }

    @Test("SkipNodeUpdate keeps the stored node and adds only the service")
    func skipNodeUpdate() throws {
        let server = try TestServer()
        defer { server.stop() }
        let node = #"{"Node":"ext","Address":"10.0.0.1","NodeMeta":{"k":"v"}}"#
        #expect(try put(server, "/v1/catalog/register", node) == (200, "true"))
        let body = #"{"Node":"ext","SkipNodeUpdate":true,"Service":{"Service":"web"}}"#
        #expect(try put(server, "/v1/catalog/register", body) == (200, "true"))
        let nodes = try objects(server, "/v1/catalog/nodes")
        #expect(nodes.first?["Address"] as? String == "10.0.0.1")
        #expect(nodes.first?["Meta"] as? [String: String] == ["k": "v"])
        #expect(try nodeServiceIDs(server, "ext") == ["web"])
        #expect(try nodeCheckIDs(server, "ext") == [])
    }

    @Test("registering the same thing again changes no index (Consul skips identical records)")
    func idempotent() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try put(server, "/v1/catalog/register", Self.fullBody) == (200, "true"))
        let first = try server.consul(.get, "/v1/catalog/nodes").headers.first("X-Consul-Index")
        #expect(try put(server, "/v1/catalog/register", Self.fullBody) == (200, "true"))
        let second = try server.consul(.get, "/v1/catalog/nodes").headers.first("X-Consul-Index")
        #expect(first != nil)
        #expect(first == second)
    }

    @Test("a check may name a service already on the node; its name and tags are copied")
    func checkOnStoredService() throws {
        let server = try TestServer()
        defer { server.stop() }
        let service =
            #"{"Node":"ext","Address":"1.1.1.1","Service":{"Service":"web","Tags":["a"]}}"#
        #expect(try put(server, "/v1/catalog/register", service) == (200, "true"))
        let check = #"{"Node":"ext","Address":"1.1.1.1","Check":{"Name":"c","ServiceID":"web"}}"#
        #expect(try put(server, "/v1/catalog/register", check) == (200, "true"))
        let checks = try objects(server, "/v1/health/checks/web")
        #expect(checks.first?["ServiceName"] as? String == "web")
        #expect(checks.first?["ServiceTags"] as? [String] == ["a"])
    }

    @Test(
        "register errors: Consul's decode errors are 400, its RPC validation errors 500",
        arguments: [
            ("", 400, "Request decode failed: EOF"),
            (#"{"Address":"1.2.3.4"}"#, 500, "Must provide node"),
            (#"{"Node":"a"}"#, 500, "Must provide address if SkipNodeUpdate is not set"),
            (
                #"{"Node":"a","Address":"1","ID":"abc"}"#, 500,
                "Bad node ID: uuid string is wrong length"
            ),
            (
                #"{"Node":"a","Address":"1","ID":"40e4a748x2192-161a-0510-9bf59fe950b5"}"#, 500,
                "Bad node ID: uuid is improperly formatted"
            ),
            (
                #"{"Node":"a","Address":"1","ID":"g0e4a748-2192-161a-0510-9bf59fe950b5"}"#, 500,
                "Bad node ID: encoding/hex: invalid byte: U+0067 'g'"
            ),
            (
                #"{"Node":"a","Address":"1","Service":{"ID":"x"}}"#, 500,
                "Must provide service name (Service.Service) with ID (Service.ID)"
            ),
            (
                #"{"Node":"a","Address":"1","Service":{"Service":"x","Address":"0.0.0.0"}}"#, 500,
                "Invalid service address"
            ),
            (#"{"Node":"a","Address":"1","Datacenter":"dc9"}"#, 500, "No path to datacenter"),
            (
                #"{"Node":"a","SkipNodeUpdate":true,"Service":{"Service":"x"}}"#, 500,
                "Missing node registration"
            ),
            (
                #"{"Node":"a","Address":"1","Check":{"Name":"c","ServiceID":"nope"}}"#, 500,
                "Missing service registration"
            ),
            (
                #"{"Node":"a","Address":"1","Check":{"Name":"c","Status":"up"}}"#, 400,
                "Bad check status"
            ),
        ])
    func registerErrors(body: String, status: Int, message: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try put(server, "/v1/catalog/register", body) == (status, message))
        #expect(try objects(server, "/v1/catalog/nodes").isEmpty, "nothing was written")
    }

    @Test("a body that is not JSON is 400 Request decode failed; GET on a write route is 405")
    func malformedAndMethod() throws {
        let server = try TestServer()
        defer { server.stop() }
        let bad = try put(server, "/v1/catalog/register", "{")
        #expect(bad.0 == 400)
        #expect(bad.1.hasPrefix("Request decode failed: "))
        for path in ["/v1/catalog/register", "/v1/catalog/deregister"] {
            let response = try server.consul(.get, path)
            #expect(response.status == 405)
            #expect(response.headers.first("Allow") == "PUT")
        }
    }

    @Test(
        "deregister errors: no node is 500 Must provide node; an empty body 400 (Consul)",
        arguments: [
            ("", 400, "Request decode failed: EOF"),
            ("{}", 500, "Must provide node"),
            (#"{"Node":"a","Datacenter":"dc9"}"#, 500, "No path to datacenter"),
            (#"{"Node":"a/b"}"#, 400, "Invalid node name: must not contain '/'"),
        ])
    func deregisterErrors(body: String, status: Int, message: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try put(server, "/v1/catalog/deregister", body) == (status, message))
    }

    /// Node `ext` with services s1 (check c1) and s2 (check c2) and node check n1.
    func registerExt(_ server: TestServer) throws {
        let first =
            #"{"Node":"ext","Address":"10.0.0.1","Service":{"Service":"web","ID":"s1"},"#
            + #""Checks":[{"CheckID":"c1","ServiceID":"s1"},{"CheckID":"n1","Status":"passing"}]}"#
        let second =
            #"{"Node":"ext","Address":"10.0.0.1","Service":{"Service":"web","ID":"s2"},"#
            + #""Check":{"CheckID":"c2","ServiceID":"s2"}}"#
        for body in [first, second] {
            #expect(try put(server, "/v1/catalog/register", body) == (200, "true"))
        }
        #expect(
            try put(server, "/v1/catalog/register", #"{"Node":"other","Address":"10.0.0.2"}"#)
                == (200, "true"))
    }

    @Test("deregister with ServiceID removes that service and its checks only")
    func deregisterService() throws {
        let server = try TestServer()
        defer { server.stop() }
        try registerExt(server)
        let body = #"{"Node":"ext","ServiceID":"s1"}"#
        #expect(try put(server, "/v1/catalog/deregister", body) == (200, "true"))
        #expect(try nodeServiceIDs(server, "ext") == ["s2"])
        #expect(try nodeCheckIDs(server, "ext") == ["c2", "n1"])
        #expect(try objects(server, "/v1/health/service/web").count == 1)
    }

    @Test("deregister with CheckID removes that check only")
    func deregisterCheck() throws {
        let server = try TestServer()
        defer { server.stop() }
        try registerExt(server)
        #expect(
            try put(server, "/v1/catalog/deregister", #"{"Node":"ext","CheckID":"n1"}"#)
                == (200, "true"))
        #expect(try nodeServiceIDs(server, "ext") == ["s1", "s2"])
        #expect(try nodeCheckIDs(server, "ext") == ["c1", "c2"])
    }

    @Test("deregister with ServiceID and CheckID removes the service: ServiceID comes first")
    func deregisterPrecedence() throws {
        let server = try TestServer()
        defer { server.stop() }
        try registerExt(server)
        let body = #"{"Node":"ext","ServiceID":"s2","CheckID":"n1"}"#
        #expect(try put(server, "/v1/catalog/deregister", body) == (200, "true"))
        #expect(try nodeServiceIDs(server, "ext") == ["s1"])
        #expect(try nodeCheckIDs(server, "ext") == ["c1", "n1"])
    }

    @Test("deregister with only Node removes the node with its services and checks")
    func deregisterNode() throws {
        let server = try TestServer()
        defer { server.stop() }
        try registerExt(server)
        #expect(try put(server, "/v1/catalog/deregister", #"{"Node":"ext"}"#) == (200, "true"))
        #expect(try nodeServiceIDs(server, "ext") == nil)
        #expect(try json(server, "/v1/catalog/node/ext") is NSNull)
        #expect(try nodeCheckIDs(server, "ext") == [])
        #expect(try objects(server, "/v1/health/service/web").isEmpty)
        let nodes = try objects(server, "/v1/catalog/nodes")
        #expect(nodes.compactMap { $0["Node"] as? String } == ["other"])
    }

    @Test("deregistering what does not exist answers true and changes nothing")
    func deregisterMissing() throws {
        let server = try TestServer()
        defer { server.stop() }
        try registerExt(server)
        for body in [
            #"{"Node":"nobody"}"#, #"{"Node":"ext","ServiceID":"zz"}"#,
            #"{"Node":"ext","CheckID":"zz"}"#,
        ] {
            #expect(try put(server, "/v1/catalog/deregister", body) == (200, "true"))
        }
        #expect(try nodeServiceIDs(server, "ext") == ["s1", "s2"])
        #expect(try nodeCheckIDs(server, "ext") == ["c1", "c2", "n1"])
    }

    /// Registers service `big` on `ext` with `count` checks, 32 per request.
    func registerBigService(_ server: TestServer, checks count: Int) throws {
        let service = #"{"Node":"ext","Address":"10.0.0.1","Service":{"Service":"big"}}"#
        #expect(try put(server, "/v1/catalog/register", service) == (200, "true"))
        var next = 0
        while next < count {
            let batch = (next..<min(next + 32, count)).map {
                #"{"CheckID":"k\#($0)","ServiceID":"big"}"#
            }
            let body =
                #"{"Node":"ext","Address":"10.0.0.1","Checks":["#
                + batch.joined(separator: ",") + "]}"
            #expect(try put(server, "/v1/catalog/register", body) == (200, "true"))
            next += batch.count
        }
    }

    @Test("a service deregistration removes up to deregisterChecksMax (127) checks with it")
    func deregisterAtCheckLimit() throws {
        let server = try TestServer()
        defer { server.stop() }
        try registerBigService(server, checks: 127)
        let body = #"{"Node":"ext","ServiceID":"big"}"#
        #expect(try put(server, "/v1/catalog/deregister", body) == (200, "true"))
        #expect(try nodeCheckIDs(server, "ext") == [])
    }

    @Test("a service with 128 checks is refused whole (500), not half removed")
    func deregisterPastCheckLimit() throws {
        let server = try TestServer()
        defer { server.stop() }
        try registerBigService(server, checks: 128)
        let (status, message) = try put(
            server, "/v1/catalog/deregister", #"{"Node":"ext","ServiceID":"big"}"#)
        #expect(status == 500)
        #expect(message.contains("at most 127"))
        #expect(try nodeServiceIDs(server, "ext") == ["big"])
        #expect(try nodeCheckIDs(server, "ext").count == 128)
        #expect(try put(server, "/v1/catalog/deregister", #"{"Node":"ext"}"#) == (200, "true"))
        #expect(try nodeCheckIDs(server, "ext") == [])
    }
}
