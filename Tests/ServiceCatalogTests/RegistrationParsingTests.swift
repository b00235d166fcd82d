import Platform
import Testing

@testable import ServiceCatalog

@Suite("Registration input")
struct RegistrationParsingTests {
    func register(
        _ body: String, scripts: Bool = false
    ) throws(CatalogError) -> AgentServiceDefinition {
        try AgentServiceDefinition(body: Array(body.utf8), node: "n1", scriptChecksEnabled: scripts)
    }

    @Test(
        "PascalCase, lowercase and snake_case keys decode alike (Consul decodes case-insensitively)"
    )
    func keyForms() throws {
        let pascal = try register(
            #"{"Name":"web","ID":"web-1","Tags":["a"],"Port":80,"EnableTagOverride":true,"#
                + #""Meta":{"k":"v"},"Weights":{"Passing":3,"Warning":2}}"#)
        let lower = try register(
            #"{"name":"web","id":"web-1","tags":["a"],"port":80,"enabletagoverride":true,"#
                + #""meta":{"k":"v"},"weights":{"passing":3,"warning":2}}"#)
        let snake = try register(
            #"{"name":"web","id":"web-1","tags":["a"],"port":80,"enable_tag_override":true,"#
                + #""meta":{"k":"v"},"weights":{"passing":3,"warning":2}}"#)
        #expect(pascal == lower)
        #expect(pascal == snake)
        #expect(pascal.service.weights == ServiceWeights(passing: 3, warning: 2))
        #expect(pascal.service.node == "n1")
    }

    @Test("ID defaults to Name; one check gets service:<id>, a critical status and a default name")
    func singleCheckDefaults() throws {
        let definition = try register(#"{"name":"redis","check":{"ttl":"15s"}}"#)
        #expect(definition.service.id == "redis")
        #expect(definition.checks.count == 1)
        let check = try #require(definition.checks.first)
        #expect(check.checkID == "service:redis")
        #expect(check.name == "Service 'redis' check")
        #expect(check.status == .critical)
        #expect(check.type == .ttl)
        #expect(check.serviceID == "redis" && check.serviceName == "redis")
    }

    @Test("several checks get service:<id>:<n>, 1-based across Check then Checks")
    func numberedChecks() throws {
        let definition = try register(
            #"{"Name":"web","ID":"w","Check":{"TTL":"10s"},"Checks":[{"TCP":"127.0.0.1:1","#
                + #""Interval":"5s","Status":"passing"},{"CheckID":"mine","Name":"custom","#
                + #""HTTP":"http://x/","Interval":"10s","Header":{"X":["1"]},"Method":"POST","#
                + #""tls_skip_verify":true,"success_before_passing":2,"#
                + #""FailuresBeforeCritical":3}]}"#
        )
        #expect(definition.checks.map(\.checkID) == ["service:w:1", "service:w:2", "mine"])
        #expect(definition.checks.map(\.status) == [.critical, .passing, .critical])
        let http = definition.checks[2]
        #expect(http.name == "custom")
        #expect(http.definition.method == "POST" && http.definition.header == ["X": ["1"]])
        #expect(http.definition.tlsSkipVerify)
        #expect(http.successBeforePassing == 2 && http.failuresBeforeCritical == 3)
        #expect(http.failuresBeforeWarning == 3)
    }

    @Test("Args and ScriptArgs are the same field; script checks need enable_script_checks")
    func scriptChecks() throws {
        let body = #"{"Name":"s","Check":{"Args":["/bin/true"],"Interval":"10s"}}"#
        #expect(
            try register(body, scripts: true).checks.first?.definition.scriptArgs == ["/bin/true"])
        let alias = #"{"Name":"s","Check":{"script_args":["/bin/true"],"Interval":"10s"}}"#
        #expect(try register(alias, scripts: true).checks.first?.type == .script)
        #expect(throws: CatalogError.self) { try register(body, scripts: false) }
    }

    @Test("an interval below Consul's 1s minimum is raised to 1s")
    func intervalMinimum() throws {
        let definition = try register(#"{"Name":"t","Check":{"TCP":"h:1","Interval":"100ms"}}"#)
        #expect(definition.checks.first?.definition.intervalNanoseconds == 1_000_000_000)
    }

    @Test(
        "invalid service bodies answer Consul's messages with 400",
        arguments: [
            (#"{"Port":1}"#, "Missing service name"),
            (
                #"{"Name":"a","Check":{"Interval":"10s"}}"#,
                "Invalid check: TTL must be > 0 for TTL checks"
            ),
            (
                #"{"Name":"a","Check":{"HTTP":"http://x/"}}"#,
                "Invalid check: Interval must be > 0 for Script, HTTP, H2PING, TCP or UDP checks"
            ),
            (
                #"{"Name":"a","Check":{"TTL":"1s","Interval":"1s"}}"#,
                "Invalid check: Interval and TTL cannot both be specified"
            ),
            (
                #"{"Name":"a","Check":{"TTL":"1s","Status":"ok"}}"#,
                "Status for checks must 'passing', 'warning', 'critical'"
            ),
            (
                #"{"Name":"a","Weights":{"Passing":0}}"#,
                "Invalid Weights: Passing must be greater than 0"
            ),
            (
                #"{"Name":"a","Meta":{"consul-x":"1"}}"#,
                "Invalid Service Meta: Couldn't load metadata pair ('consul-x', '1'): "
                    + "Key prefix 'consul-' is reserved for internal use"
            ),
            (
                #"{"Name":"a","Check":{"GRPC":"x:1","Interval":"1s"}}"#,
                "Invalid check: GRPC checks are not supported by this server"
            ),
            (
                #"{"Name":"a","Check":{"TTL":"soon"}}"#,
                "Request decode failed: time: invalid duration \"soon\""
            ),
            (#"{"Name":5}"#, "Request decode failed: Service.Service must be a string"),
            ("[1]", "Request decode failed: Service must be a JSON object"),
        ])
    func invalidService(body: String, message: String) {
        #expect(throws: CatalogError.badRequest(message)) { try register(body) }
    }

    @Test("a registration may carry checksPerRegistrationMax checks, not one more")
    func checkCountLimit() throws {
        func body(_ count: Int) -> String {
            let checks = Array(repeating: #"{"TTL":"10s"}"#, count: count).joined(separator: ",")
            return #"{"Name":"a","Checks":["# + checks + "]}"
        }
        let max = CatalogLimits.checksPerRegistrationMax
        #expect(try register(body(max)).checks.count == max)
        #expect(throws: CatalogError.self) { try register(body(max + 1)) }
    }

    @Test("meta may hold metaPairsMax pairs, not one more")
    func metaLimit() throws {
        func body(_ count: Int) -> String {
            let pairs = (0..<count).map { "\"k\($0)\":\"v\"" }.joined(separator: ",")
            return #"{"Name":"a","Meta":{"# + pairs + "}}"
        }
        #expect(try register(body(CatalogLimits.metaPairsMax)).service.meta.count == 64)
        #expect(throws: CatalogError.self) { try register(body(CatalogLimits.metaPairsMax + 1)) }
    }

    @Test("agent check register: ID defaults to Name, Name is required, bad status is refused")
    func agentCheckRegister() throws {
        let registration = try AgentCheckRegistration(
            body: Array(#"{"name":"mem","ttl":"30s","serviceid":"web-1","notes":"n"}"#.utf8),
            node: "n1", scriptChecksEnabled: false)
        #expect(registration.check.checkID == "mem")
        #expect(registration.check.serviceID == "web-1")
        #expect(registration.check.notes == "n")
        #expect(registration.check.status == .critical)
        #expect(throws: CatalogError.badRequest("Missing check name")) {
            try AgentCheckRegistration(
                body: Array(#"{"ttl":"30s"}"#.utf8), node: "n1", scriptChecksEnabled: false)
        }
        #expect(
            throws: CatalogError.badRequest(
                "Status for checks must 'passing', 'warning', 'critical'")
        ) {
            try AgentCheckRegistration(
                body: Array(#"{"Name":"x","TTL":"3s","Status":"bad"}"#.utf8), node: "n1",
                scriptChecksEnabled: false)
        }
    }

    @Test("catalog register: node, service (ID defaults to Service) and checks in Consul's shape")
    func catalogRegister() throws {
        let body =
            #"{"Datacenter":"dc1","ID":"40e4a748-2192-161a-0510-9bf59fe950b5","Node":"t2","#
            + #""Address":"192.168.10.10","#
            + #""TaggedAddresses":{"lan":"192.168.10.10"},"NodeMeta":{"somekey":"somevalue"},"#
            + #""Service":{"Service":"redis","Tags":["primary"],"Port":8000},"#
            + #""Check":{"CheckID":"service:redis","Name":"Redis health check","Status":"passing","#
            + #""ServiceID":"redis","Definition":{"TCP":"localhost:8888","Interval":"5s"}},"#
            + #""Checks":[{"Name":"disk"}]}"#
        let registration = try CatalogRegistration(body: Array(body.utf8), datacenter: "dc1")
        #expect(
            registration.node
                == CatalogNode(
                    id: "40e4a748-2192-161a-0510-9bf59fe950b5", node: "t2",
                    address: "192.168.10.10", datacenter: "dc1",
                    taggedAddresses: ["lan": "192.168.10.10"], meta: ["somekey": "somevalue"]))
        #expect(registration.service?.id == "redis")
        #expect(registration.checks.count == 2)
        #expect(registration.checks[0].serviceName == "redis")
        #expect(registration.checks[0].serviceTags == ["primary"])
        #expect(registration.checks[0].definition.tcp == "localhost:8888")
        #expect(registration.checks[1].checkID == "disk")
        #expect(registration.checks[1].status == .critical)
        #expect(registration.checks[1].node == "t2")
        #expect(registration.checks.allSatisfy { $0.catalogRegistered })
    }

    @Test(
        "the stored-only markers round-trip through the stored value and are never read from a body"
    )
    func storedMarkers() throws {
        var node = CatalogNode(node: "ext", address: "1.1.1.1", datacenter: "dc1")
        node.external = true
        #expect(try CatalogNode(storedValue: node.storedValue()) == node)
        var check = CatalogCheck(node: "ext", checkID: "c", name: "c")
        check.catalogRegistered = true
        #expect(try CatalogCheck(storedValue: check.storedValue()) == check)
        let maintenance = CatalogCheck(
            node: "n", checkID: "_node_maintenance", name: "m", maintenance: true)
        #expect(try CatalogCheck(storedValue: maintenance.storedValue()) == maintenance)
        #expect(maintenance.type == .maintenance)
        let body = #"{"Node":"ext","RoostExternal":true}"#
        let parsed = try CatalogNode(json: JSONParser.parse(Array(body.utf8)))
        #expect(!parsed.external)
        let checkBody = #"{"CheckID":"c","Type":"maintenance"}"#
        let parsedCheck = try CatalogCheck(json: JSONParser.parse(Array(checkBody.utf8)), node: "n")
        #expect(!parsedCheck.maintenance && parsedCheck.type == .none)
    }

    @Test(
        "catalog register errors are Consul's RPC errors (500)",
        arguments: [
            (#"{"Address":"1.2.3.4"}"#, "Must provide node"),
            (#"{"Node":"a"}"#, "Must provide address if SkipNodeUpdate is not set"),
            (
                #"{"Node":"a","Address":"1","Service":{"Port":1}}"#,
                "Must provide service name (Service.Service) with ID (Service.ID)"
            ),
            (#"{"Node":"a","Address":"1","Datacenter":"dc9"}"#, "No path to datacenter"),
        ])
    func catalogRegisterErrors(body: String, message: String) {
        #expect(throws: CatalogError.serverError(message)) {
            try CatalogRegistration(body: Array(body.utf8), datacenter: "dc1")
        }
    }

    @Test("SkipNodeUpdate lets a registration omit the address")
    func skipNodeUpdate() throws {
        let registration = try CatalogRegistration(
            body: Array(#"{"node":"a","skipnodeupdate":true,"service":{"service":"x"}}"#.utf8),
            datacenter: "dc1")
        #expect(registration.skipNodeUpdate)
        #expect(registration.service?.node == "a")
    }
}
