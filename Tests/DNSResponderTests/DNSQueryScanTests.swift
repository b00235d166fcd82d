import Testing

@testable import DNSResponder

/// The in-place scan that lets a cached answer skip decoding: it must accept only queries
/// the full decoder accepts and the cache could answer, and read them the same way.
@Suite("DNS query scan")
struct DNSQueryScanTests {
    private func scan(_ bytes: [UInt8]) -> DNSQueryScan? {
        bytes.withUnsafeBytes { DNSQueryScan($0) }
    }

    /// A query built by hand: header counts, one question, then `tail`.
    private func wire(
        flags: UInt16 = 0x0100, qd: UInt16 = 1, an: UInt16 = 0, ns: UInt16 = 0, ar: UInt16 = 0,
        name: String = "web.service.roost", type: UInt16 = 1, qclass: UInt16 = 1,
        tail: (inout Wire) -> Void = { _ in }
    ) -> [UInt8] {
        var wire = Wire.header(flags: flags, qd: qd, an: an, ns: ns, ar: ar)
        wire.question(name, type: type, qclass: qclass)
        tail(&wire)
        return wire.bytes
    }

    @Test("a plain query and an EDNS query with options are read as the decoder reads them")
    func accepts() throws {
        let plain = try #require(scan(makeQuery("WEB.service.roost", .srv, id: 77)))
        #expect(plain.id == 77 && plain.type == .srv && plain.recursionDesired)
        #expect(plain.nameEnd == 12 + 19 && plain.questionEnd == 12 + 23)
        #expect(plain.ednsFlags == nil && plain.ednsPayloadBytes == nil)
        let edns = wire(ar: 1) { $0.opt(payload: 4096, ttl: 0x0000_8000, rdata: [0, 10, 0, 1, 7]) }
        let scanned = try #require(scan(edns))
        let decoded = try DNSMessage(decoding: edns)
        #expect(scanned.ednsPayloadBytes == decoded.edns?.udpPayloadBytes)
        #expect(scanned.ednsFlags == decoded.edns?.flags)
        #expect(scan(wire(qclass: 255)) != nil)
    }

    @Test(
        "shapes the cache never answers directly go to the full path",
        arguments: [
            ("QR set", 0),
            ("opcode 1", 1),
            ("no question", 2),
            ("two questions", 3),
            ("an answer record", 4),
            ("an authority record", 5),
            ("two additional records", 6),
            ("class CH", 7),
            ("AXFR", 8),
            ("IXFR", 9),
            ("a byte after the question", 10),
            ("OPT version 1", 11),
            ("OPT with a non-root owner", 12),
            ("an additional record that is not OPT", 13),
            ("OPT option longer than the RDATA", 14),
            ("a byte after the OPT record", 15),
            ("OPT RDATA with 3 stray bytes", 16),
            ("compressed question name", 17),
        ])
    func rejects(_ label: String, _ index: Int) {
        let cases: [[UInt8]] = [
            wire(flags: 0x8100),
            wire(flags: 0x0900),
            Wire.header(qd: 0).bytes,
            wire(qd: 2) { $0.question("b.roost") },
            wire(an: 1),
            wire(ns: 1),
            wire(ar: 2) { $0.opt() },
            wire(qclass: 3),
            wire(type: 252),
            wire(type: 251),
            wire { $0.u8(0) },
            wire(ar: 1) { $0.opt(ttl: 0x0001_0000) },
            wire(ar: 1) { wire in
                wire.name("x")
                wire.u16(41)
                wire.u16(1232)
                wire.u32(0)
                wire.u16(0)
            },
            wire(ar: 1) { wire in
                wire.u8(0)
                wire.u16(1)
                wire.u16(1)
                wire.u32(0)
                wire.u16(4)
                wire.u32(0)
            },
            wire(ar: 1) { $0.opt(rdata: [0, 10, 0, 5, 1, 2]) },
            wire(ar: 1) { wire in
                wire.opt()
                wire.u8(0)
            },
            wire(ar: 1) { $0.opt(rdata: [0, 10, 0]) },
            {
                var wire = Wire.header()
                wire.raw([3] + Array("web".utf8) + [0xC0, 12])
                wire.u16(1)
                wire.u16(1)
                return wire.bytes
            }(),
        ]
        #expect(scan(cases[index]) == nil, "\(label)")
    }

    @Test("every prefix of a query is rejected; only the whole query is read (each split)")
    func everyPrefix() throws {
        let query = wire(ar: 1) { $0.opt(payload: 1232, rdata: [0, 8, 0, 2, 0, 1]) }
        for length in 0..<query.count {
            #expect(scan(Array(query[..<length])) == nil, "prefix of \(length) bytes")
        }
        #expect(scan(query) != nil)
    }

    @Test("labels of 63 bytes and names of 255 bytes are read; 64 and 256 are not (RFC 1035)")
    func nameLimits() throws {
        let label63 = String(repeating: "a", count: 63)
        #expect(scan(wire(name: "\(label63).roost")) != nil)
        #expect(scan(wire(name: "\(label63)a.roost")) == nil)
        // 3 labels of 63 and one of 61: 255 bytes with the root; 62 makes 256.
        let fits = [label63, label63, label63, String(repeating: "c", count: 61)]
        let query = wire(name: fits.joined(separator: "."))
        #expect(try #require(scan(query)).nameEnd == 12 + 255)
        #expect(try DNSMessage(decoding: query).questions.count == 1)
        let tooLong = [label63, label63, label63, String(repeating: "c", count: 62)]
        #expect(scan(wire(name: tooLong.joined(separator: "."))) == nil)
    }
}
