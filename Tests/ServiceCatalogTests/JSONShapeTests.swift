import Platform
import Testing

@testable import ServiceCatalog

@Suite("Consul JSON shapes")
struct JSONShapeTests {
    let nodeJSON =
        #"{"ID":"40e4a748-2192-161a-0510-9bf59fe950b5","Node":"n1","Address":"10.0.0.1","#
        + #""Datacenter":"dc1","TaggedAddresses":{"lan":"10.0.0.1","wan":"1.2.3.4"},"#
        + #""Meta":{"rack":"a"},"CreateIndex":5,"ModifyIndex":6}"#

    @Test("a node encodes as structs.Node with sorted maps and the key's revisions")
    func node() {
        var writer = JSONWriter()
        Fixtures.node1.encode(to: &writer, createIndex: 5, modifyIndex: 6)
        #expect(text(writer.bytes) == nodeJSON)
        #expect(
            text(ConsulJSON.catalogNodes([Fixtures.revisioned(Fixtures.node1, 5)]))
                == "[\(nodeJSON)]")
    }

    @Test("/v1/agent/services is a map of api.AgentService keyed by ID (Tags [] and Meta {})")
    func agentServices() {
        let bare = CatalogService(node: "n1", id: "redis", service: "redis", port: 8000)
        let body = ConsulJSON.agentServices([bare], datacenter: "dc1")
        #expect(
            text(body)
                == #"{"redis":{"ID":"redis","Service":"redis","Tags":[],"Meta":{},"Port":8000,"#
                + #""Address":"","Weights":{"Passing":1,"Warning":1},"EnableTagOverride":false,"#
                + #""Datacenter":"dc1"}}"#)
    }

    @Test("a health check encodes as structs.HealthCheck with Interval/Timeout text and Definition")
    func healthCheck() {
        var check = Fixtures.check("n1", "service:web-1", .passing, service: Fixtures.web1)
        check.name = "Service 'web' check"
        check.definition = CheckDefinition(
            http: "http://10.0.0.1:5000/health", header: ["X-B": ["2"], "X-A": ["1"]],
            intervalNanoseconds: 10_000_000_000, timeoutNanoseconds: 1_000_000_000)
        let body = ConsulJSON.healthChecks([Fixtures.revisioned(check, 7)])
        #expect(
            text(body)
                == #"[{"Node":"n1","CheckID":"service:web-1","Name":"Service 'web' check","#
                + #""Status":"passing","Notes":"","Output":"","ServiceID":"web-1","#
                + #""ServiceName":"web","ServiceTags":["prod","v1"],"Type":"http","#
                + #""Interval":"10s","Timeout":"1s","ExposedPort":0,"Definition":{"#
                + #""Interval":"10s","Timeout":"1s","HTTP":"http://10.0.0.1:5000/health","#
                + #""Header":{"X-A":["1"],"X-B":["2"]}},"CreateIndex":7,"ModifyIndex":8}]"#)
    }

    @Test("a TTL check writes TTL in nanoseconds last in Definition, as Consul's MarshalJSON")
    func ttlDefinition() {
        let definition = CheckDefinition(
            ttlNanoseconds: 15_000_000_000,
            deregisterCriticalServiceAfterNanoseconds: 5_400_000_000_000)
        var writer = JSONWriter()
        definition.encode(to: &writer)
        #expect(
            text(writer.bytes) == #"{"DeregisterCriticalServiceAfter":"1h30m0s","TTL":15000000000}"#
        )
    }

    @Test("/v1/agent/checks is a map by CheckID with zero indexes")
    func agentChecks() {
        let check = Fixtures.check("n1", "mem", .warning)
        #expect(
            text(ConsulJSON.agentChecks([check]))
                == #"{"mem":{"Node":"n1","CheckID":"mem","Name":"mem","Status":"warning","#
                + #""Notes":"","Output":"","ServiceID":"","ServiceName":"","ServiceTags":[],"#
                + #""Type":"","Interval":"","Timeout":"","ExposedPort":0,"Definition":{},"#
                + #""CreateIndex":0,"ModifyIndex":0}}"#)
    }

    @Test("/v1/catalog/services maps each name to the sorted union of its tags")
    func catalogServices() {
        let db = CatalogService(node: "n1", id: "db", service: "db")
        let body = ConsulJSON.catalogServices([Fixtures.web2, Fixtures.web1, db])
        #expect(text(body) == #"{"db":[],"web":["prod","v1"]}"#)
    }

    @Test("/v1/catalog/service/<name> rows flatten node and service (structs.ServiceNode)")
    func catalogServiceNodes() {
        let body = ConsulJSON.catalogServiceNodes([
            (Fixtures.revisioned(Fixtures.node2, 3), Fixtures.revisioned(Fixtures.web2, 9))
        ])
        #expect(
            text(body)
                == #"[{"ID":"","Node":"n2","Address":"10.0.0.2","Datacenter":"dc1","#
                + #""TaggedAddresses":{},"NodeMeta":{},"ServiceKind":"","ServiceID":"web-2","#
                + #""ServiceName":"web","ServiceTags":["v1"],"ServiceAddress":"","#
                + #""ServiceWeights":{"Passing":1,"Warning":1},"ServiceMeta":{},"#
                + #""ServicePort":5001,"ServiceEnableTagOverride":false,"#
                + #""ServiceProxy":{"MeshGateway":{},"Expose":{}},"ServiceConnect":{},"#
                + #""CreateIndex":9,"ModifyIndex":10}]"#)
    }

    let web2NodeService =
        #"{"ID":"web-2","Service":"web","Tags":["v1"],"Address":"","Meta":{},"Port":5001,"#
        + #""Weights":{"Passing":1,"Warning":1},"EnableTagOverride":false,"#
        + #""Proxy":{"MeshGateway":{},"Expose":{}},"Connect":{},"CreateIndex":9,"ModifyIndex":10}"#

    @Test("/v1/catalog/node/<node> is {Node, Services by ID}, or null for an unknown node")
    func catalogNode() {
        let body = ConsulJSON.catalogNode(
            Fixtures.revisioned(Fixtures.node2, 3),
            services: [Fixtures.revisioned(Fixtures.web2, 9)])
        #expect(
            text(body)
                == #"{"Node":{"ID":"","Node":"n2","Address":"10.0.0.2","Datacenter":"dc1","#
                + #""TaggedAddresses":{},"Meta":{},"CreateIndex":3,"ModifyIndex":4},"#
                + #""Services":{"web-2":"# + web2NodeService + "}}")
        #expect(text(ConsulJSON.catalogNode(nil, services: [])) == "null")
    }

    @Test("/v1/health/service/<name> entries are {Node, Service, Checks}")
    func healthService() {
        let entry = ServiceHealthEntry(
            node: Fixtures.revisioned(Fixtures.node2, 3),
            service: Fixtures.revisioned(Fixtures.web2, 9),
            checks: [])
        #expect(
            text(ConsulJSON.healthServiceEntries([entry]))
                == #"[{"Node":{"ID":"","Node":"n2","Address":"10.0.0.2","Datacenter":"dc1","#
                + #""TaggedAddresses":{},"Meta":{},"CreateIndex":3,"ModifyIndex":4},"#
                + #""Service":"# + web2NodeService + #","Checks":[]}]"#)
        #expect(text(ConsulJSON.healthServiceEntries([])) == "[]")
    }

    @Test("tagged service addresses appear only when set (omitempty)")
    func taggedAddresses() {
        var service = Fixtures.web2
        service.taggedAddresses = [
            "lan_ipv4": ServiceTaggedAddress(address: "10.0.0.2", port: 5001)
        ]
        var writer = JSONWriter()
        ConsulJSON.nodeService(Fixtures.revisioned(service, 1), to: &writer)
        #expect(
            text(writer.bytes).contains(
                #""Address":"","TaggedAddresses":{"lan_ipv4":{"Address":"10.0.0.2","Port":5001}},"#
                    + #""Meta""#
            ))
    }

    @Test("sessions: LockDelay in ns, TTL text, empty check lists null (Go nil slices)")
    func sessions() {
        let session = CatalogSession(
            id: "adf4238a-882b-9ddc-4a9d-5b6758e4159e", name: "lock", node: "n1", ttl: "30s")
        let bare = CatalogSession(
            id: "x", node: "n1", nodeChecks: [], serviceChecks: ["service:web"])
        let body = ConsulJSON.sessions([
            Fixtures.revisioned(session, 20), Fixtures.revisioned(bare, 30),
        ])
        #expect(
            text(body)
                == #"[{"ID":"adf4238a-882b-9ddc-4a9d-5b6758e4159e","Name":"lock","Node":"n1","#
                + #""LockDelay":15000000000,"Behavior":"release","TTL":"30s","#
                + #""NodeChecks":["serfHealth"],"ServiceChecks":null,"CreateIndex":20,"#
                + #""ModifyIndex":21},{"ID":"x","Name":"","Node":"n1","LockDelay":15000000000,"#
                + #""Behavior":"release","TTL":"","NodeChecks":null,"#
                + #""ServiceChecks":[{"ID":"service:web","Namespace":""}],"CreateIndex":30,"#
                + #""ModifyIndex":31}]"#)
        #expect(text(ConsulJSON.sessionCreated(id: "abc")) == #"{"ID":"abc"}"#)
    }

    @Test("stored values round-trip through their decoders")
    func storedRoundTrip() throws {
        #expect(try CatalogNode(storedValue: Fixtures.node1.storedValue()) == Fixtures.node1)
        var service = Fixtures.web1
        service.weights = ServiceWeights(passing: 10, warning: 2)
        service.enableTagOverride = true
        service.taggedAddresses = ["wan": ServiceTaggedAddress(address: "1.2.3.4", port: 80)]
        #expect(try CatalogService(storedValue: service.storedValue()) == service)
        var check = Fixtures.check("n1", "service:web-1", .warning, service: Fixtures.web1)
        check.output = "slow"
        check.notes = "n"
        check.definition = CheckDefinition(
            http: "http://x/", method: "POST", header: ["A": ["1", "2"]], body: "{}",
            tlsSkipVerify: true, intervalNanoseconds: 10_000_000_000,
            timeoutNanoseconds: 2_000_000_000,
            deregisterCriticalServiceAfterNanoseconds: 60_000_000_000, outputMaxSize: 100)
        check.successBeforePassing = 2
        check.failuresBeforeWarning = 1
        check.failuresBeforeCritical = 3
        #expect(try CatalogCheck(storedValue: check.storedValue()) == check)
        var ttl = Fixtures.check("n1", "t", .critical)
        ttl.definition = CheckDefinition(ttlNanoseconds: 15_000_000_000)
        ttl.definition.scriptArgs = []
        #expect(try CatalogCheck(storedValue: ttl.storedValue()) == ttl)
        let session = CatalogSession(
            id: "s", name: "n", node: "n1", lockDelayNanoseconds: 0, behavior: .delete,
            ttl: "10s", nodeChecks: ["serfHealth", "mem"], serviceChecks: ["service:web"])
        #expect(try CatalogSession(storedValue: session.storedValue()) == session)
    }
}
