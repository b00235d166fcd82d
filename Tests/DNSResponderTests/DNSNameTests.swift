import DNSResponder
import Testing

@Suite("DNSName")
struct DNSNameTests {
    @Test("names compare and hash case-insensitively but keep their spelling (RFC 4343)")
    func caseInsensitive() throws {
        let upper = try DNSName("WEB.Service.ROOST.")
        let lower = try DNSName("web.service.roost")
        #expect(upper == lower)
        #expect(Set([upper, lower]).count == 1)
        #expect(upper.labels[0] == Array("WEB".utf8))
        #expect(upper.description == "WEB.Service.ROOST.")
        #expect(try DNSName("web.service.roosts") != lower)
    }

    @Test("a label of 63 bytes is accepted and 64 is rejected (RFC 1035 §2.3.4)")
    func labelLimit() throws {
        let ok = String(repeating: "a", count: 63)
        #expect(try DNSName("\(ok).roost").labels[0].count == 63)
        #expect(throws: DNSError.labelTooLong(byteCount: 64)) {
            try DNSName(ok + "a" + ".roost")
        }
    }

    @Test("a name of 255 wire bytes is accepted and 256 is rejected (RFC 1035 §2.3.4)")
    func nameLimit() throws {
        // 3 labels of 63 + one of 61: 3*64 + 62 + 1 root = 255.
        let label63 = String(repeating: "b", count: 63)
        let fits = [label63, label63, label63, String(repeating: "c", count: 61)]
        #expect(try DNSName(fits.joined(separator: ".")).wireLength == 255)
        let tooLong = [label63, label63, label63, String(repeating: "c", count: 62)]
        #expect(throws: DNSError.nameTooLong) { try DNSName(tooLong.joined(separator: ".")) }
    }

    @Test("empty labels are rejected; \".\" is the root")
    func emptyLabels() throws {
        #expect(throws: DNSError.emptyLabel) { try DNSName("a..b") }
        #expect(throws: DNSError.emptyLabel) { try DNSName(".a") }
        #expect(try DNSName(".").isRoot)
        #expect(try DNSName("").isRoot)
    }

    @Test("hasSuffix matches whole labels, case-insensitively")
    func suffix() throws {
        let name = try DNSName("web.service.Roost")
        #expect(name.hasSuffix(try DNSName("ROOST")))
        #expect(name.hasSuffix(try DNSName("service.roost")))
        #expect(!name.hasSuffix(try DNSName("oost")))
        #expect(!(try DNSName("roost")).hasSuffix(name))
    }

    @Test("description escapes dots, backslashes and unprintable bytes (RFC 1035 §5.1)")
    func description() throws {
        let name = try DNSName(labels: [[UInt8(ascii: "a"), UInt8(ascii: "."), 0x07], [0x5C]])
        #expect(name.description == "a\\.\\007.\\\\.")
    }
}
