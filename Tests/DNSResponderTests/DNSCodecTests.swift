import DNSResponder
import Testing

@Suite("DNS message codec")
struct DNSCodecTests {
    static let owner = DNSName.fromLiteral("web.service.roost")

    static let recordData: [DNSRecordData] = [
        .a(DNSIPv4Address(10, 0, 0, 1)),
        .aaaa(DNSIPv6Address(high: 0x2001_0db8_0000_0000, low: 1)),
        .ns(.fromLiteral("ns.roost")),
        .cname(.fromLiteral("other.service.roost")),
        .soa(DNSSOA(
            primaryServer: .fromLiteral("ns.roost"),
            responsibleMailbox: .fromLiteral("hostmaster.roost"), serial: 7,
            refreshSeconds: 3600, retrySeconds: 600, expireSeconds: 86_400,
            minimumSeconds: 0)),
        .txt([Array("a=b".utf8), [], Array(repeating: 0x41, count: 255)]),
        .srv(DNSSRV(
            priority: 1, weight: 2, port: 8080, target: .fromLiteral("alpha.node.dc1.roost"))),
        .unknown(type: DNSRecordType(rawValue: 99), bytes: [1, 2, 3]),
        .unknown(type: DNSRecordType(rawValue: 1234), bytes: []),
    ]

    @Test("every record type survives encode then decode unchanged", arguments: recordData)
    func roundTrip(data: DNSRecordData) throws {
        let message = DNSMessage(
            header: DNSHeader(id: 9, isResponse: true, isAuthoritative: true),
            questions: [DNSQuestion(name: Self.owner, type: data.type)],
            answers: [DNSRecord(name: Self.owner, ttlSeconds: 30, data: data)],
            authorities: [DNSRecord(name: .fromLiteral("roost"), ttlSeconds: 5, data: data)],
            additionals: [DNSRecord(name: .fromLiteral("x.roost"), ttlSeconds: 1, data: data)])
        let encoded = message.encode()
        #expect(!encoded.isTruncated)
        var expected = message
        expected.header.questionCount = 1
        expected.header.answerCount = 1
        expected.header.authorityCount = 1
        expected.header.additionalCount = 1
        #expect(try DNSMessage(decoding: encoded.bytes) == expected)
    }

    @Test("header flags round-trip bit for bit, except the reserved Z bit (RFC 1035 §4.1.1)")
    func headerFlags() throws {
        var wire = Wire.header(id: 0xBEEF, flags: 0xFFFF & ~0x0040, qd: 0)
        let header = try wire.bytes.withUnsafeBytes { try DNSHeader(decoding: $0) }
        #expect(header.flags == 0xFFBF)
        #expect(header.opcode == 15 && header.rcodeLow == 15 && header.isResponse)
        wire = Wire.header(flags: 0x0040, qd: 0)
        #expect(try wire.bytes.withUnsafeBytes { try DNSHeader(decoding: $0) }.flags == 0)
    }

    /// The expected bytes of `compressionMessage`, offsets in the comments.
    static let compressedBytes: [UInt8] =
        [0x12, 0x34, 0x84, 0x00, 0, 1, 0, 1, 0, 1, 0, 0]  // header: QR AA, 1/1/1/0
        + [3] + Array("web".utf8) + [7] + Array("service".utf8)  // 12: web, 16: service
        + [5] + Array("roost".utf8) + [0] + [0, 1, 0, 1]  // 24: roost, 30: root, type/class
        + [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1]  // 35: A, owner -> 12
        + [0xC0, 24, 0, 6, 0, 1, 0, 0, 0, 0, 0, 38]  // 51: SOA, owner -> 24 (roost)
        + [2] + Array("ns".utf8) + [0xC0, 24]  // 63: ns.roost
        + [10] + Array("hostmaster".utf8) + [0xC0, 24]  // 68: hostmaster.roost
        + [0, 0, 0, 1, 0, 0, 0x0E, 0x10, 0, 0, 2, 0x58, 0, 1, 0x51, 0x80, 0, 0, 0, 0]

    @Test("names are compressed to earlier occurrences, case-insensitively (RFC 1035 §4.1.4)")
    func compressionIsByteExact() {
        let soa = DNSSOA(
            primaryServer: .fromLiteral("ns.roost"),
            responsibleMailbox: .fromLiteral("hostmaster.roost"), serial: 1,
            refreshSeconds: 3600, retrySeconds: 600, expireSeconds: 86_400,
            minimumSeconds: 0)
        let message = DNSMessage(
            header: DNSHeader(id: 0x1234, isResponse: true, isAuthoritative: true),
            questions: [DNSQuestion(name: Self.owner, type: .a)],
            answers: [DNSRecord(
                name: .fromLiteral("WEB.SERVICE.ROOST"), ttlSeconds: 60,
                data: .a(DNSIPv4Address(10, 0, 0, 1)))],
            authorities: [DNSRecord(name: .fromLiteral("roost"), ttlSeconds: 0, data: .soa(soa))])
        #expect(message.encode().bytes == Self.compressedBytes)
    }

    @Test("an SRV target is never compressed, but later names may point into it (RFC 2782)")
    func srvTargetUncompressed() throws {
        let target = DNSName.fromLiteral("alpha.node.dc1.roost")
        let message = DNSMessage(
            header: DNSHeader(isResponse: true),
            questions: [DNSQuestion(name: Self.owner, type: .srv)],
            answers: [DNSRecord(name: Self.owner, ttlSeconds: 0, data: .srv(DNSSRV(
                priority: 1, weight: 1, port: 80, target: target)))],
            additionals: [DNSRecord(
                name: target, ttlSeconds: 0, data: .a(DNSIPv4Address(10, 0, 0, 1)))])
        let bytes = message.encode().bytes
        var full = Wire()
        full.name("alpha.node.dc1.roost")
        // Question 12..<31, type/class to 35, SRV owner pointer 35, fixed fields to 47,
        // priority/weight/port to 53, then the whole target.
        #expect(Array(bytes[53..<53 + full.bytes.count]) == full.bytes)
        let additionalOwner = 53 + full.bytes.count
        #expect(Array(bytes[additionalOwner..<additionalOwner + 2]) == [0xC0, 53])
        #expect(try DNSMessage(decoding: bytes).additionals.first?.name == target)
    }

    @Test("EDNS: the OPT record's fields decode and re-encode exactly (RFC 6891 §6.1)")
    func ednsRoundTrip() throws {
        var wire = Wire.header(ar: 1)
        wire.question("web.service.roost")
        wire.opt(payload: 4096, ttl: 0x0100_8000, rdata: [0, 10, 0, 2, 0xAB, 0xCD])
        let message = try DNSMessage(decoding: wire.bytes)
        let edns = try #require(message.edns)
        #expect(edns.udpPayloadBytes == 4096)
        #expect(edns.extendedRCodeHigh == 1 && edns.version == 0 && edns.dnssecOK)
        #expect(edns.options == [DNSEDNSOption(code: 10, data: [0xAB, 0xCD])])
        #expect(message.additionals.isEmpty)
        #expect(message.responseCode.rawValue == 16)
        #expect(message.encode().bytes == wire.bytes)
    }

    /// A response with `count` A records under one owner.
    private func manyAnswers(_ count: Int, edns: DNSEDNS? = nil) -> DNSMessage {
        DNSMessage(
            header: DNSHeader(isResponse: true),
            questions: [DNSQuestion(name: Self.owner, type: .a)],
            answers: (0..<count).map {
                DNSRecord(
                    name: Self.owner, ttlSeconds: 0, data: .a(DNSIPv4Address(value: UInt32($0))))
            },
            additionals: [
                DNSRecord(name: .fromLiteral("x.roost"), ttlSeconds: 0, data: .txt([[1]]))
            ],
            edns: edns)
    }

    @Test("a message exactly at the budget is whole; one byte less drops whole records")
    func truncationAtLimit() throws {
        for edns in [nil, DNSEDNS(udpPayloadBytes: 1232)] {
            let message = manyAnswers(30, edns: edns)
            let full = message.encode()
            #expect(!full.isTruncated)
            let exact = message.encode(byteBudget: full.bytes.count)
            #expect(exact == full)
            // The budget one byte short: the additional record goes first, without TC.
            let noAdditional = message.encode(byteBudget: full.bytes.count - 1)
            #expect(!noAdditional.isTruncated && noAdditional.additionalCount == 0)
            // One byte short of all answers: the last answer is dropped whole, TC is set.
            let answersOnly = noAdditional.bytes.count
            let short = message.encode(byteBudget: answersOnly - 1)
            #expect(short.isTruncated && short.answerCount == 29)
            #expect(short.bytes.count == answersOnly - 16)
            let decoded = try DNSMessage(decoding: short.bytes)
            #expect(decoded.header.isTruncated && decoded.answers.count == 29)
            #expect(decoded.edns == edns)
        }
    }

    @Test("the 512-byte classic budget holds exactly 29 compressed A answers here")
    func classicBudget() {
        // 12 header + 23 question + 16 per A record: 35 + 29*16 = 499 <= 512 < 515.
        let encoded = manyAnswers(40).encode(byteBudget: DNSLimits.udpPayloadBytesClassic)
        #expect(encoded.isTruncated && encoded.answerCount == 29 && encoded.bytes.count == 499)
    }
}
