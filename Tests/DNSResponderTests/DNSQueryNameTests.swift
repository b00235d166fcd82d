import DNSResponder
import Testing

@Suite("DNS query names")
struct DNSQueryNameTests {
    static let roost = DNSName.fromLiteral("roost")
    static let consul = DNSName.fromLiteral("consul")

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static let table: [(String, DNSQueryName)] = [
        ("roost", .inZone(.apex, domain: roost)),
        ("ROOST.", .inZone(.apex, domain: roost)),
        ("consul", .inZone(.apex, domain: consul)),
        ("ns.roost", .inZone(.nameServer, domain: roost)),
        ("web.service.roost", .inZone(.service(name: bytes("web"), tag: nil), domain: roost)),
        ("Web.SERVICE.Roost", .inZone(.service(name: bytes("web"), tag: nil), domain: roost)),
        ("web.service.consul", .inZone(.service(name: bytes("web"), tag: nil), domain: consul)),
        ("web.service.dc1.roost", .inZone(.service(name: bytes("web"), tag: nil), domain: roost)),
        ("web.service.DC1.consul", .inZone(.service(name: bytes("web"), tag: nil), domain: consul)),
        ("web.service.dc2.roost", .inZone(.nonexistent, domain: roost)),
        ("v1.web.service.roost",
         .inZone(.service(name: bytes("web"), tag: bytes("v1")), domain: roost)),
        ("a.b.web.service.roost",
         .inZone(.service(name: bytes("web"), tag: bytes("a.b")), domain: roost)),
        ("_web._tcp.service.roost",
         .inZone(.rfc2782(service: bytes("web"), tag: nil), domain: roost)),
        ("_web._v1.service.roost",
         .inZone(.rfc2782(service: bytes("web"), tag: bytes("v1")), domain: roost)),
        ("_web._tcp.roost", .inZone(.rfc2782(service: bytes("web"), tag: nil), domain: roost)),
        ("_web._tcp.service.dc1.roost",
         .inZone(.rfc2782(service: bytes("web"), tag: nil), domain: roost)),
        ("_web._tcp.dc1.roost", .inZone(.rfc2782(service: bytes("web"), tag: nil), domain: roost)),
        ("_web._tcp.service.dc9.roost", .inZone(.nonexistent, domain: roost)),
        ("_._tcp.service.roost", .inZone(.nonexistent, domain: roost)),
        ("alpha.node.roost", .inZone(.node(name: bytes("alpha")), domain: roost)),
        ("a.b.node.dc1.roost", .inZone(.node(name: bytes("a.b")), domain: roost)),
        ("c000020a.addr.dc1.roost",
         .inZone(.address(.v4(DNSIPv4Address(192, 0, 2, 10))), domain: roost)),
        ("20010db8000000000000000000000001.addr.roost",
         .inZone(
            .address(.v6(DNSIPv6Address(high: 0x2001_0db8_0000_0000, low: 1))), domain: roost)),
        ("c000020.addr.roost", .inZone(.nonexistent, domain: roost)),
        ("c000020g.addr.roost", .inZone(.nonexistent, domain: roost)),
        ("service.roost", .inZone(.emptyNonTerminal, domain: roost)),
        ("node.dc1.roost", .inZone(.emptyNonTerminal, domain: roost)),
        ("dc1.roost", .inZone(.emptyNonTerminal, domain: roost)),
        ("q.query.roost", .inZone(.nonexistent, domain: roost)),
        ("something.roost", .inZone(.nonexistent, domain: roost)),
        ("example.com", .outside),
        ("roost.example", .outside),
        ("xroost", .outside),
    ]

    @Test("query names classify case-insensitively, with the consul alias and dc (consul.md §9.1)",
          arguments: table.map { $0.0 })
    func classify(text: String) throws {
        let expected = try #require(Self.table.first { $0.0 == text }?.1)
        let parsed = DNSQueryName.parse(
            try DNSName(text), domains: [Self.roost, Self.consul], datacenter: Self.bytes("dc1"))
        #expect(parsed == expected)
    }
}
