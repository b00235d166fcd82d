import Testing

@testable import ServiceCatalog

@Suite("Health view")
struct HealthViewTests {
    typealias F = Fixtures

    func view(
        checks: [CatalogCheck], alive: Set<String> = ["n1", "n2"],
        services: [CatalogService] = [F.web2, F.web1]
    ) -> HealthView {
        HealthView(
            nodes: [F.revisioned(F.node2, 3), F.revisioned(F.node1, 1)],
            services: services.enumerated().map { F.revisioned($1, UInt64(10 + $0)) },
            checks: checks.map { F.revisioned($0, 20) }, aliveNodes: alive)
    }

    @Test("status aggregates critical > warning > passing; maintenance counts as critical")
    func aggregate() {
        #expect(HealthStatus.aggregate([]) == .passing)
        #expect(HealthStatus.aggregate([.passing, .warning]) == .warning)
        #expect(HealthStatus.aggregate([.warning, .critical, .passing]) == .critical)
        #expect(HealthStatus.aggregate([.passing, .maintenance]) == .maintenance)
        #expect(HealthStatus.maintenance.severity == HealthStatus.critical.severity)
    }

    @Test("entries are sorted by node then service ID, with node and service checks by check ID")
    func entries() {
        let health = view(checks: [
            F.check("n1", "service:web-1", .passing, service: F.web1),
            F.check("n1", "disk", .passing),
            F.check("n2", "service:web-2", .warning, service: F.web2),
        ])
        let entries = health.serviceEntries(name: "web")
        #expect(entries.map(\.service.record.id) == ["web-1", "web-2"])
        #expect(entries[0].checks.map(\.record.checkID) == ["disk", "serfHealth", "service:web-1"])
        #expect(entries[1].aggregateStatus == .warning)
        #expect(entries[1].isHealthy)
    }

    @Test("?passing drops instances with any non-passing check, warning and node checks included")
    func passingOnly() {
        let health = view(checks: [
            F.check("n1", "service:web-1", .passing, service: F.web1),
            F.check("n2", "service:web-2", .warning, service: F.web2),
        ])
        #expect(
            health.serviceEntries(name: "web", passingOnly: true).map(\.service.record.id) == [
                "web-1"
            ])
        let nodeDown = view(
            checks: [F.check("n1", "service:web-1", .passing, service: F.web1)], alive: ["n2"])
        #expect(
            nodeDown.serviceEntries(name: "web", passingOnly: true).map(\.service.record.id) == [
                "web-2"
            ])
    }

    @Test(
        "?tag filters need every tag, compared case-insensitively; names match case-insensitively")
    func tags() {
        let health = view(checks: [])
        #expect(health.serviceEntries(name: "web", tags: ["v1"]).count == 2)
        #expect(
            health.serviceEntries(name: "WEB", tags: ["PROD", "v1"]).map(\.service.record.id) == [
                "web-1"
            ])
        #expect(health.serviceEntries(name: "web", tags: ["prod", "v2"]).isEmpty)
        #expect(health.serviceEntries(name: "db").isEmpty)
    }

    @Test("serfHealth is synthesised: passing with Consul's output if alive, critical if not")
    func serfHealth() throws {
        let health = view(checks: [], alive: ["n1"])
        let up = try #require(health.nodeChecks(node: "n1").first)
        #expect(up.record.checkID == "serfHealth" && up.record.name == "Serf Health Status")
        #expect(up.record.status == .passing && up.record.output == "Agent alive and reachable")
        #expect(up.createIndex == 1 && up.modifyIndex == 2)
        let down = try #require(health.nodeChecks(node: "n2").first)
        #expect(down.record.status == .critical)
        #expect(down.record.output == "Agent not live or unreachable")
        #expect(health.healthyEntries(name: "web").map(\.service.record.id) == ["web-1"])
    }

    @Test("a stored serfHealth check wins over the synthetic one")
    func storedSerf() {
        let health = view(checks: [F.check("n1", "serfHealth", .warning)], alive: [])
        #expect(health.nodeChecks(node: "n1").map(\.record.status) == [.warning])
    }

    @Test("healthy means no critical check: warning instances still serve DNS and confd")
    func healthy() {
        let health = view(checks: [
            F.check("n1", "service:web-1", .warning, service: F.web1),
            F.check("n2", "service:web-2", .critical, service: F.web2),
        ])
        #expect(health.healthyEntries(name: "web").map(\.service.record.id) == ["web-1"])
        #expect(health.instanceStatus(node: "n2", serviceID: "web-2") == .critical)
    }

    @Test("service checks, node checks and state filters select the right checks")
    func checkQueries() throws {
        let health = view(
            checks: [
                F.check("n1", "service:web-1", .warning, service: F.web1),
                F.check("n2", "mem", .critical),
            ], alive: ["n1"])
        #expect(health.serviceChecks(name: "web").map(\.record.checkID) == ["service:web-1"])
        #expect(health.nodeChecks(node: "n2").map(\.record.checkID) == ["mem", "serfHealth"])
        #expect(health.checks(state: .critical).map(\.record.checkID) == ["mem", "serfHealth"])
        #expect(health.checks(state: .warning).count == 1)
        #expect(health.checks(state: .passing).map(\.record.node) == ["n1"])
        #expect(health.checks(state: .any).count == 4)
        #expect(throws: CatalogError.self) { try HealthStateFilter(pathSegment: "bad") }
        #expect(try HealthStateFilter(pathSegment: "any") == .any)
    }

    @Test("an instance whose node is not registered is left out")
    func orphan() {
        let orphan = CatalogService(node: "gone", id: "web-9", service: "web")
        let health = view(checks: [], services: [orphan, F.web1])
        #expect(health.serviceEntries(name: "web").map(\.service.record.id) == ["web-1"])
    }
}
