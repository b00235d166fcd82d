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
