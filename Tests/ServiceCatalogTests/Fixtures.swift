@testable import ServiceCatalog

/// Shared records for shape and health tests.
enum Fixtures {
    static let node1 = CatalogNode(
        id: "40e4a748-2192-161a-0510-9bf59fe950b5", node: "n1", address: "10.0.0.1",
        datacenter: "dc1", taggedAddresses: ["wan": "1.2.3.4", "lan": "10.0.0.1"],
        meta: ["rack": "a"])
    static let node2 = CatalogNode(node: "n2", address: "10.0.0.2", datacenter: "dc1")

    static let web1 = CatalogService(
        node: "n1", id: "web-1", service: "web", tags: ["prod", "v1"], address: "172.17.0.3",
        port: 5000, meta: ["version": "1"])
    static let web2 = CatalogService(
        node: "n2", id: "web-2", service: "web", tags: ["v1"], port: 5001)

    static func check(
        _ node: String, _ id: String, _ status: HealthStatus, service: CatalogService? = nil
    ) -> CatalogCheck {
        var check = CatalogCheck(node: node, checkID: id, name: id, status: status)
        if let service { check.attach(to: service) }
        return check
    }

    static func revisioned<Record>(_ record: Record, _ index: UInt64) -> Revisioned<Record> {
        Revisioned(record, createIndex: index, modifyIndex: index + 1)
    }
}
