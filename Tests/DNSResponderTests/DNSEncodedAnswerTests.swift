import Platform
import Testing

@testable import DNSResponder

/// The cached path: answers encoded once per catalog generation, served by copying record
/// bytes in a per-query order. Checked against the whole-message encoder.
@Suite("DNS encoded answers and the answer cache")
struct DNSEncodedAnswerTests {
    static let configuration = DNSAnswererConfiguration()
    static let answerer = DNSAnswerer(configuration: configuration)

    /// The response the whole-message encoder gives: resolve, shuffle the records with a
    /// generator seeded `seed`, encode with name compression across the whole message.
    static func reference(
        _ query: [UInt8], catalog: DNSCatalogView, transport: DNSTransport, seed: UInt64
    ) throws -> [UInt8] {
        let message = try DNSMessage(decoding: query)
        let question = try #require(message.questions.first)
        let parsed = DNSQueryName.parse(
            question.name, domains: configuration.domains, datacenter: configuration.datacenter)
        guard case .inZone(let zoneQuery, let domain) = parsed else {
            Issue.record("\(question.name) is not in the zone")
            return []
        }
        var resolution = DNSZoneResolver(
            configuration: configuration, catalog: catalog, domain: domain, owner: question.name
        ).resolve(zoneQuery, type: question.type)
        var random = SeededGenerator(seed: seed)
        resolution.answers.shuffle(using: &random)
        var header = DNSHeader(
            id: message.header.id, isResponse: true,
            recursionDesired: message.header.recursionDesired)
        header.isAuthoritative = true
        var response = DNSMessage(
            header: header, questions: message.questions, answers: resolution.answers,
            authorities: resolution.authorities, additionals: resolution.additionals,
            edns: message.edns.map {
                DNSEDNS(udpPayloadBytes: 1232, flags: $0.flags & DNSEDNS.dnssecOKFlag)
            })
        response.setResponseCode(resolution.responseCode)
        let budget = answerer.byteBudget(
            ednsPayloadBytes: message.edns?.udpPayloadBytes, transport: transport)
        return response.encode(byteBudget: budget).bytes
    }

    /// Answers through `cache` with a generator seeded `seed`.
    static func ask(
        _ query: [UInt8], cache: inout DNSAnswerCache, catalog: DNSCatalogView = fixtureCatalog,
        transport: DNSTransport = .udp, seed: UInt64
    ) -> [UInt8]? {
        var random = SeededGenerator(seed: seed)
        return query.withUnsafeBytes {
            answerer.respond(
                to: $0, transport: transport, catalog: catalog, cache: &cache, random: &random)
        }.bytes
    }

    static let queries: [(String, DNSRecordType)] = [
        ("web.service.roost", .a), ("WEB.Service.roost", .srv), ("_web._tcp.service.roost", .srv),
        ("web.service.dc1.consul", .srv), ("v1.web.service.roost", .a),
        ("api.service.roost", .aaaa), ("api.service.roost", .txt), ("api.service.roost", .srv),
        ("alpha.node.roost", .a), ("alpha.node.dc1.roost", .any), ("c000020a.addr.dc1.roost", .a),
        ("db.service.roost", .a), ("nothere.service.roost", .srv), ("service.roost", .a),
        ("web.service.roost", .aaaa), ("roost", .soa), ("ROOST", .ns), ("roost", .any),
        ("ns.roost", .a),
    ]

    @Test("miss and hit give the whole-message encoder's response, byte for byte off the apex")
    func matchesWholeMessageEncoder() throws {
        for (name, type) in Self.queries {
            for edns in [nil, DNSEDNS(udpPayloadBytes: 4096, flags: DNSEDNS.dnssecOKFlag)] {
                for transport in [DNSTransport.udp, .tcp] {
                    let query = makeQuery(name, type, id: 0x7171, edns: edns)
                    let expected = try Self.reference(
                        query, catalog: fixtureCatalog, transport: transport, seed: 5)
                    var cache = DNSAnswerCache()
                    let miss = Self.ask(query, cache: &cache, transport: transport, seed: 5)
                    let hit = Self.ask(query, cache: &cache, transport: transport, seed: 5)
                    #expect(cache.hits == 1 && cache.misses == 1, "\(name) \(type)")
                    #expect(miss == hit, "\(name) \(type)")
                    let label = "\(name) \(type) \(transport) edns \(edns != nil)"
                    if DNSName.fromLiteral(name).labels.count > 1 {
                        #expect(hit == expected, "\(label)")
                    } else {
                        // At the apex the whole-message encoder also points an NS name at
                        // the SOA record's copy; ours only at the question.
                        let decoded = try DNSMessage(decoding: try #require(hit))
                        #expect(decoded == (try DNSMessage(decoding: expected)), "\(label)")
                    }
                }
            }
        }
    }

    @Test("a hit echoes the new query's ID, question spelling, RD and DO, not the first one's")
    func hitEchoesQuery() throws {
        var cache = DNSAnswerCache()
        _ = Self.ask(makeQuery("web.service.roost", .srv, id: 1), cache: &cache, seed: 1)
        var query = makeQuery(
            "wEb.SeRvIcE.rOoSt", .srv, id: 0xBEEF,
            edns: DNSEDNS(udpPayloadBytes: 600, flags: DNSEDNS.dnssecOKFlag | 0x0001))
        query[2] &= ~0x01  // RD off
        let reply = try #require(Self.ask(query, cache: &cache, seed: 1))
        #expect(cache.hits == 1)
        #expect(Array(reply[0..<2]) == [0xBE, 0xEF])
        let questionEnd = 12 + 19 + 4
        #expect(Array(reply[12..<questionEnd]) == Array(query[12..<questionEnd]))
        let decoded = try DNSMessage(decoding: reply)
        #expect(!decoded.header.recursionDesired && decoded.header.isAuthoritative)
        #expect(decoded.edns == DNSEDNS(udpPayloadBytes: 1232, flags: DNSEDNS.dnssecOKFlag))
        #expect(decoded.answers.allSatisfy { $0.name.labels[0] == Array("wEb".utf8) })
    }

    @Test("the answer order is drawn per query: seeded, every order of 3 records appears")
    func permutes() throws {
        let catalog = bigCatalog(count: 3)
        let query = makeQuery("big.service.roost", .srv)
        var cache = DNSAnswerCache()
        var random = SeededGenerator(seed: 42)
        var orders = Set<[UInt16]>()
        for _ in 0..<60 {
            let action = query.withUnsafeBytes {
                Self.answerer.respond(
                    to: $0, transport: .udp, catalog: catalog, cache: &cache, random: &random)
            }
            let reply = try #require(action.decoded())
            let addresses = Dictionary(
                uniqueKeysWithValues: reply.additionals.map {
                    ($0.name, $0.data)
                })
            var order: [UInt16] = []
            for record in reply.answers {
                guard case .srv(let srv) = record.data else { continue }
                // Each target's A record is still in the additional section, whatever the
                // order: the owner pointers follow the SRV records they point into.
                let label = srv.target.labels[0].dropFirst()
                let index = try #require(UInt16(String(decoding: label, as: UTF8.self)))
                #expect(addresses[srv.target] == .a(DNSIPv4Address(10, 1, 0, UInt8(index))))
                order.append(index)
            }
            #expect(order.sorted() == [0, 1, 2] && reply.additionals.count == 3)
            orders.insert(order)
        }
        #expect(orders.count == 6, "orders seen: \(orders)")
        #expect(cache.hits == 59 && cache.misses == 1)
    }

    @Test("an additional record's owner is a pointer into the SRV record that names it")
    func additionalOwnerPointsIntoAnswer() throws {
        let query = makeQuery("_web._tcp.service.roost", .srv)
        var cache = DNSAnswerCache()
        for seed in UInt64(1)...6 {
            let reply = try #require(Self.ask(query, cache: &cache, seed: seed))
            let decoded = try DNSMessage(decoding: reply)
            #expect(decoded.additionals.count == 2)
            // 12 + 29 question; 2 SRV of 2 + 10 + 6 + target; then each A is 2 + 10 + 4.
            let targets = decoded.answers.map { record -> Int in
                guard case .srv(let srv) = record.data else { return 0 }
                return srv.target.wireLength
            }
            let additionalStart = 12 + 29 + targets.reduce(0) { $0 + 18 + $1 }
            #expect(reply.count == additionalStart + 2 * 16)
            #expect(reply[additionalStart] & 0xC0 == 0xC0, "seed \(seed)")
        }
    }

    @Test("past offset 0x3FFF an additional owner is written out, not pointed at (14 bits)")
    func pointerRangeInLargeAnswers() throws {
        // 800 SRV records of about 40 bytes: the later targets lie beyond 16 KiB.
        let catalog = bigCatalog(count: 800)
        let query = makeQuery("big.service.roost", .srv)
        var cache = DNSAnswerCache()
        for seed in UInt64(1)...3 {
            let reply = try #require(
                Self.ask(query, cache: &cache, catalog: catalog, transport: .tcp, seed: seed))
            let decoded = try DNSMessage(decoding: reply)
            #expect(!decoded.header.isTruncated && decoded.answers.count == 800)
            let targets = Set(
                decoded.answers.compactMap { record -> DNSName? in
                    guard case .srv(let srv) = record.data else { return nil }
                    return srv.target
                })
            #expect(decoded.additionals.count == 800)
            #expect(Set(decoded.additionals.map(\.name)) == targets)
            let expected = try Self.reference(
                query, catalog: catalog, transport: .tcp, seed: seed)
            #expect(decoded == (try DNSMessage(decoding: expected)))
        }
    }

    @Test("a catalog change (new generation) empties the cache: the next answer is the new one")
    func generationInvalidates() throws {
        var cache = DNSAnswerCache()
        let query = makeQuery("web.service.roost", .a)
        _ = Self.ask(query, cache: &cache, seed: 1)
        _ = Self.ask(query, cache: &cache, seed: 1)
        #expect(cache.hits == 1 && cache.generation == 1)
        let updated = DNSCatalogView(
            generation: 2, nodes: fixtureCatalog.nodes,
            instances: fixtureCatalog.instances.filter { $0.id != "web-1" })
        let reply = try #require(Self.ask(query, cache: &cache, catalog: updated, seed: 1))
        #expect(try DNSMessage(decoding: reply).addresses == ["192.0.2.10"])
        #expect(cache.misses == 2 && cache.generation == 2 && cache.count == 1)
        let again = try #require(Self.ask(query, cache: &cache, catalog: updated, seed: 1))
        #expect(again == reply && cache.hits == 2)
    }

    @Test("cached truncation: EDNS size exactly the answer is whole; one byte less drops records")
    func truncationAtBoundary() throws {
        // 20 SRV records of 37 or 38 bytes and 20 A records of 16: about 1,100 bytes, so
        // every budget below is between 512 and our 1,232.
        let catalog = bigCatalog(count: 20)
        let name = "big.service.roost"
        var cache = DNSAnswerCache()
        let full = try #require(
            Self.ask(
                makeQuery(name, .srv), cache: &cache, catalog: catalog, transport: .tcp,
                seed: 9))
        func udp(_ payload: Int) throws -> DNSMessage {
            #expect(payload > 512 && payload <= 1232)
            let query = makeQuery(name, .srv, edns: DNSEDNS(udpPayloadBytes: UInt16(payload)))
            let bytes = try #require(Self.ask(query, cache: &cache, catalog: catalog, seed: 9))
            #expect(bytes.count <= payload)
            return try DNSMessage(decoding: bytes)
        }
        // The TCP reply has no OPT; the UDP one adds 11 bytes for it.
        let whole = full.count + 11
        let exact = try udp(whole)
        #expect(!exact.header.isTruncated && exact.answers.count == 20)
        #expect(exact.additionals.count == 20)
        let short = try udp(whole - 1)
        #expect(!short.header.isTruncated && short.answers.count == 20)
        #expect(short.additionals.count == 19)
        // Answers alone: the answer section ends where the first A record begins.
        let answersOnly = whole - 20 * 16
        let noAdditional = try udp(answersOnly)
        #expect(!noAdditional.header.isTruncated && noAdditional.answers.count == 20)
        #expect(noAdditional.additionals.isEmpty)
        let truncated = try udp(answersOnly - 1)
        #expect(truncated.header.isTruncated && truncated.answers.count == 19)
        #expect(truncated.additionals.isEmpty && truncated.edns != nil)
        #expect(cache.misses == 1)
    }

    @Test("the byte bound: an entry of exactly bytesMax is kept, one byte less keeps nothing")
    func byteBound() throws {
        let query = makeQuery("web.service.roost", .srv)
        var measure = DNSAnswerCache()
        _ = Self.ask(query, cache: &measure, seed: 1)
        let entryBytes = measure.byteCount
        #expect(entryBytes > 0 && measure.count == 1)
        var fits = DNSAnswerCache(bytesMax: entryBytes)
        _ = Self.ask(query, cache: &fits, seed: 1)
        _ = Self.ask(query, cache: &fits, seed: 1)
        #expect(fits.count == 1 && fits.hits == 1)
        var tooSmall = DNSAnswerCache(bytesMax: entryBytes - 1)
        let first = Self.ask(query, cache: &tooSmall, seed: 1)
        let second = Self.ask(query, cache: &tooSmall, seed: 1)
        #expect(tooSmall.count == 0 && tooSmall.hits == 0 && first == second)
    }

    @Test("a full byte bound clears the cache before the next entry, never exceeding it")
    func byteBoundClears() throws {
        // Three nodes whose A answers are the same size.
        let catalog = bigCatalog(count: 3)
        var measure = DNSAnswerCache()
        _ = Self.ask(makeQuery("n0.node.roost", .a), cache: &measure, catalog: catalog, seed: 1)
        let oneEntry = measure.byteCount
        var cache = DNSAnswerCache(bytesMax: 2 * oneEntry)
        for name in ["n0.node.roost", "n1.node.roost", "n2.node.roost"] {
            _ = Self.ask(makeQuery(name, .a), cache: &cache, catalog: catalog, seed: 1)
            #expect(cache.byteCount <= 2 * oneEntry)
        }
        #expect(cache.count == 1 && cache.misses == 3)
    }

    @Test("entry count bound: entriesMax entries are kept, the next one clears first")
    func entryBound() throws {
        var cache = DNSAnswerCache(entriesMax: 2)
        _ = Self.ask(makeQuery("alpha.node.roost", .a), cache: &cache, seed: 1)
        _ = Self.ask(makeQuery("beta.node.roost", .a), cache: &cache, seed: 1)
        #expect(cache.count == 2)
        _ = Self.ask(makeQuery("alpha.node.roost", .a), cache: &cache, seed: 1)
        #expect(cache.hits == 1)
        _ = Self.ask(makeQuery("gamma.node.roost", .a), cache: &cache, seed: 1)
        #expect(cache.count == 1)
    }

    @Test("names differing only in case share an entry; different names or types do not")
    func keys() throws {
        var cache = DNSAnswerCache()
        for (name, type) in [
            ("web.service.roost", DNSRecordType.a), ("WEB.SERVICE.ROOST", .a),
            ("web.service.roost", .srv), ("web.service.consul", .a),
        ] {
            _ = Self.ask(makeQuery(name, type), cache: &cache, seed: 1)
        }
        #expect(cache.count == 3 && cache.hits == 1 && cache.misses == 3)
    }
}
