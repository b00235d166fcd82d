import RoostClient
import TemplateEngine
import Testing

@testable import ConfdAgent

@Suite("what templates see of the catalog and of key prefixes")
struct ConfdBackendTests {
    static func check(_ status: ConsulHealthStatus) -> ConsulHealthCheck {
        ConsulHealthCheck(checkID: "c", name: "c", status: status, output: "", serviceID: "")
    }

    @Test("an instance is healthy only when every check, its node's included, passes")
    func health() {
        var entry = ConsulHealthEntry(
            node: "n1", nodeAddress: "10.0.0.1", serviceID: "web1", serviceName: "web",
            serviceAddress: "", port: 80, tags: ["v1"], serviceMeta: ["zone": "a"],
            checks: [Self.check(.passing), Self.check(.passing)])
        let healthy = ConfdBackend.instance(entry)
        #expect(healthy.isHealthy)
        #expect(healthy.address == "10.0.0.1", "no service address: the node's")
        #expect(healthy.meta == ["zone": "a"])
        entry.checks.append(Self.check(.warning))
        #expect(!ConfdBackend.instance(entry).isHealthy)
        entry.serviceAddress = "10.9.9.9"
        #expect(ConfdBackend.instance(entry).address == "10.9.9.9")
    }

    @Test(
        "one watch per covering prefix: covered and repeated prefixes are dropped",
        arguments: [
            (["/app", "/app/db", "/app"], ["/app"]),
            (["/b", "/a/x", "/a"], ["/a", "/b"]),
            (["/app/db", "/apple"], ["/app/db", "/apple"]),
            (["", "/x"], [""]),
            ([], []),
        ] as [([String], [String])])
    func covering(keys: [String], expected: [String]) {
        #expect(KeyPrefixRules.coveringPrefixes(keys) == expected)
    }
}

@Suite("what a pass reads of the catalog")
struct CatalogNeedsTests {
    static func needs(_ text: String) throws -> CatalogNeeds {
        CatalogNeeds(template: try Template.parse(name: "t", text: text))
    }

    @Test("service literals name services; the tag form reads its service; nothing else is read")
    func named() throws {
        let needs = try Self.needs(
            #"{{range service "web"}}{{end}}{{range service "v2.web"}}{{end}}"#
                + #"{{define "d"}}{{service "db.primary.db"}}{{end}}{{getv "/k" ""}}"#)
        #expect(needs.serviceNames == ["web", "db"])
        #expect(!needs.allServices && !needs.serviceList && !needs.nodes)
        #expect(needs.readsCatalog && !needs.readsServiceList)
        #expect(
            try ConfdBackend.healthReads(needs, listed: ["web", "db", "cache"]) == ["db", "web"])
    }

    @Test("a service named at run time reads every listed service (and the list)")
    func unknown() throws {
        let needs = try Self.needs(#"{{range ls "/s"}}{{service .}}{{end}}{{service "extra"}}"#)
        #expect(needs.allServices && needs.readsServiceList)
        #expect(try ConfdBackend.healthReads(needs, listed: ["web", "db"]) == ["db", "web"])
    }

    @Test("services reads only the list and nodes only the nodes; no catalog call reads none")
    func listsAndNodes() throws {
        let services = try Self.needs("{{range services}}{{.Name}}{{end}}")
        #expect(services.serviceList && services.readsServiceList && !services.nodes)
        #expect(try ConfdBackend.healthReads(services, listed: ["web"]).isEmpty)
        let nodes = try Self.needs("{{range nodes}}{{.Node}}{{end}}")
        #expect(nodes.nodes && !nodes.readsServiceList && nodes.serviceNames.isEmpty)
        #expect(!(try Self.needs(#"{{getv "/a"}}"#)).readsCatalog)
    }

    @Test("resources' needs merge into one set of reads")
    func union() throws {
        var needs = try Self.needs(#"{{service "web"}}"#)
        needs.formUnion(try Self.needs(#"{{service "db"}}{{nodes}}"#))
        #expect(needs.serviceNames == ["web", "db"] && needs.nodes && !needs.allServices)
        needs.formUnion(try Self.needs(#"{{service $}}"#))
        #expect(needs.allServices)
    }

    @Test("a pass reads at most catalogServicesMax services: at the limit, and one over it")
    func servicesLimit() throws {
        var needs = CatalogNeeds()
        needs.allServices = true
        let names = (0..<ConfdBackend.catalogServicesMax).map { "s\($0)" }
        #expect(try ConfdBackend.healthReads(needs, listed: names).count == names.count)
        #expect(throws: ConfdBackendError.tooManyServices(count: names.count + 1)) {
            try ConfdBackend.healthReads(needs, listed: names + ["one-more"])
        }
    }

    @Test("more named services than healthQueriesMax also read the list the feed falls back to")
    func fallbackReadsList() {
        var needs = CatalogNeeds()
        needs.serviceNames = Set((0..<ConfdChangeFeed.healthQueriesMax).map { "s\($0)" })
        #expect(!needs.readsServiceList)
        needs.serviceNames.insert("one-more")
        #expect(needs.readsServiceList)
    }
}
