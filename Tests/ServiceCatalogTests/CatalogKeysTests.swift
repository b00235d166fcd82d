import Testing

@testable import ServiceCatalog

@Suite("Catalog keys")
struct CatalogKeysTests {
    func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test("keys follow the _roost/<kind>/… layout and parse back, IDs may contain '/'")
    func roundTrip() {
        let cases: [([UInt8], String, CatalogKeys.Key)] = [
            (CatalogKeys.node("n1"), "_roost/node/n1", .node("n1")),
            (
                CatalogKeys.service(node: "n1", serviceID: "web/1"), "_roost/service/n1/web/1",
                .service(node: "n1", serviceID: "web/1")
            ),
            (
                CatalogKeys.check(node: "n1", checkID: "service:web:1"),
                "_roost/check/n1/service:web:1", .check(node: "n1", checkID: "service:web:1")
            ),
            (CatalogKeys.session("u-1"), "_roost/session/u-1", .session("u-1")),
            (CatalogKeys.alive("n1"), "_roost/alive/n1", .alive("n1")),
        ]
        for (key, text, parsed) in cases {
            #expect(string(key) == text)
            #expect(CatalogKeys.parse(key) == parsed)
        }
    }

    @Test("non-catalog and malformed keys do not parse")
    func malformed() {
        for text in [
            "app/cfg", "_roost/node/", "_roost/node/a/b", "_roost/service/n1",
            "_roost/service/n1/", "_roost/check//x", "_roost/other/x",
        ] {
            #expect(CatalogKeys.parse(Array(text.utf8)) == nil)
        }
    }

    @Test("prefixes select one node's records and no node whose name extends it")
    func prefixes() {
        #expect(string(CatalogKeys.servicesPrefix(node: "n1")) == "_roost/service/n1/")
        #expect(string(CatalogKeys.checksPrefix(node: "n1")) == "_roost/check/n1/")
        #expect(string(CatalogKeys.nodesPrefix) == "_roost/node/")
        // A node's prefix does not cover a node whose name extends it.
        let other = CatalogKeys.service(node: "n10", serviceID: "x")
        #expect(!other.starts(with: CatalogKeys.servicesPrefix(node: "n1")))
    }
}
