import DNSResponder
import Platform
import Testing

@Suite("DNS answerer")
struct DNSAnswererTests {
    @Test("A for a service lists passing and warning instances, never critical ones")
    func healthyOnly() throws {
        let reply = try #require(respond(makeQuery("web.service.roost", .a)).decoded())
        #expect(reply.responseCode == .noError)
        #expect(reply.header.isAuthoritative && reply.header.isResponse)
        #expect(reply.header.id == 0x4242 && reply.header.recursionDesired)
        #expect(!reply.header.recursionAvailable)
        #expect(reply.addresses == ["10.0.0.1", "192.0.2.10"])
        #expect(reply.authorities.isEmpty)
    }

    @Test("a service with only critical instances, or none, is NXDOMAIN with the SOA (RFC 2308)")
    func nameError() throws {
        for name in ["db.service.roost", "nothere.service.roost", "ghost.node.roost"] {
            let reply = try #require(respond(makeQuery(name, .a)).decoded())
            #expect(reply.responseCode == .nameError, "\(name)")
            #expect(reply.answers.isEmpty)
            let soa = try #require(reply.authorities.first)
            #expect(soa.name == .fromLiteral("roost") && soa.type == .soa)
            guard case .soa(let data) = soa.data else { return }
            #expect(data.primaryServer == .fromLiteral("ns.roost"))
            #expect(data.responsibleMailbox == .fromLiteral("hostmaster.roost"))
        }
    }

    @Test("a name without records of the type is NODATA: NOERROR, no answer, SOA (RFC 2308 §2.2)")
    func noData() throws {
        for (name, type) in [("web.service.roost", DNSRecordType.aaaa), ("service.roost", .a),
                             ("alpha.node.roost", .srv), ("web.service.roost", .mx)] {
            let reply = try #require(respond(makeQuery(name, type)).decoded())
            #expect(reply.responseCode == .noError, "\(name) \(type)")
            #expect(reply.answers.isEmpty)
            #expect(reply.authorities.map(\.type) == [.soa])
        }
    }

    @Test("tags filter case-insensitively, in both the tag and the RFC 2782 form")
    func tags() throws {
        let tagged = try #require(respond(makeQuery("primary.web.service.roost", .a)).decoded())
        #expect(tagged.addresses == ["10.0.0.1"])
        let rfc = try #require(respond(makeQuery("_web._v2.service.roost", .srv)).decoded())
        #expect(rfc.answers.count == 1)
        let untagged = try #require(respond(makeQuery("_web._tcp.service.roost", .srv)).decoded())
        #expect(untagged.answers.count == 2)
        let none = try #require(respond(makeQuery("v9.web.service.roost", .a)).decoded())
        #expect(none.responseCode == .nameError)
    }

    @Test("SRV targets a node or .addr name, with its address in ADDITIONAL (RFC 2782)")
    func srvAdditional() throws {
        let reply = try #require(respond(makeQuery("web.service.roost", .srv)).decoded())
        var targets: [String: UInt16] = [:]
        for record in reply.answers {
            guard case .srv(let srv) = record.data else { continue }
            #expect(srv.priority == 1 && srv.weight == 1)
            targets[srv.target.description] = srv.port
        }
        #expect(targets == ["alpha.node.dc1.roost.": 80, "c000020a.addr.dc1.roost.": 81])
        let additional = Dictionary(uniqueKeysWithValues: reply.additionals.map {
            ($0.name.description, $0.data)
        })
        #expect(additional["alpha.node.dc1.roost."] == .a(DNSIPv4Address(10, 0, 0, 1)))
        #expect(additional["c000020a.addr.dc1.roost."] == .a(DNSIPv4Address(192, 0, 2, 10)))
    }

    @Test("SRV targets resolve: the node name and the .addr name give the same address")
    func srvTargetsResolve() throws {
        let node = try #require(respond(makeQuery("alpha.node.dc1.roost", .a)).decoded())
        #expect(node.addresses == ["10.0.0.1"])
        let addr = try #require(respond(makeQuery("c000020a.addr.dc1.roost", .a)).decoded())
        #expect(addr.addresses == ["192.0.2.10"])
        let v6 = try #require(respond(
            makeQuery("20010db8000000000000000000000003.addr.roost", .aaaa)).decoded())
        #expect(v6.answers.count == 1 && v6.answers[0].type == .aaaa)
    }

    @Test("the question is echoed byte for byte, whatever its case (RFC 4343, 0x20 clients)")
    func casePreserved() throws {
        let query = makeQuery("wEb.SeRvIcE.RoOsT", .a)
        let reply = try #require(respond(query).bytes)
        let questionEnd = 12 + 19 + 4
        #expect(Array(reply[12..<questionEnd]) == Array(query[12..<questionEnd]))
        let decoded = try DNSMessage(decoding: reply)
        #expect(decoded.answers.count == 2)
        #expect(decoded.answers[0].name.labels == [Array("wEb".utf8), Array("SeRvIcE".utf8),
                                                   Array("RoOsT".utf8)])
    }

    @Test("consul. is always an alias, and its negative answers carry a consul. SOA")
    func consulAlias() throws {
        let reply = try #require(respond(makeQuery("web.service.consul", .a)).decoded())
        #expect(reply.addresses == ["10.0.0.1", "192.0.2.10"])
        let srv = try #require(respond(makeQuery("web.service.dc1.consul", .srv)).decoded())
        #expect(srv.additionals.contains { $0.name == .fromLiteral("alpha.node.dc1.consul") })
        let missing = try #require(respond(makeQuery("nope.service.consul", .a)).decoded())
        #expect(missing.authorities.first?.name == .fromLiteral("consul"))
    }

    @Test("the datacenter label is optional and must be ours")
    func datacenterLabel() throws {
        let ours = try #require(respond(makeQuery("web.service.dc1.roost", .a)).decoded())
        #expect(ours.answers.count == 2)
        let other = try #require(respond(makeQuery("web.service.dc2.roost", .a)).decoded())
        #expect(other.responseCode == .nameError)
    }

    @Test("TXT gives node meta and service meta as key=value (RFC 1464)")
    func txt() throws {
        let node = try #require(respond(makeQuery("alpha.node.roost", .txt)).decoded())
        #expect(node.answers.map(\.data) == [.txt([Array("rack=r1".utf8)])])
        let service = try #require(respond(makeQuery("api.service.roost", .txt)).decoded())
        #expect(service.answers.map(\.data) == [.txt([Array("version=3".utf8)])])
        let any = try #require(respond(makeQuery("alpha.node.roost", .any)).decoded())
        #expect(Set(any.answers.map(\.type)) == [.a, .txt])
    }

    @Test("a meta entry of 4096 bytes is served in 255-byte strings; 4097 is left out")
    func txtEntryLimit() throws {
        func catalog(valueBytes: Int) -> DNSCatalogView {
            DNSCatalogView(
                generation: 1, nodes: [DNSNode(name: "n", address: "10.0.0.9")],
                instances: [DNSServiceInstance(
                    service: "m", node: "n", port: 1,
                    meta: ["k": String(repeating: "v", count: valueBytes)])])
        }
        let query = makeQuery("m.service.roost", .txt)
        let served = try #require(
            respond(query, catalog: catalog(valueBytes: 4094), transport: .tcp).decoded())
        guard case .txt(let strings)? = served.answers.first?.data else {
            Issue.record("no TXT answer")
            return
        }
        #expect(strings.map(\.count) == Array(repeating: 255, count: 16) + [16])
        let over = try #require(
            respond(query, catalog: catalog(valueBytes: 4095), transport: .tcp).decoded())
        #expect(over.answers.isEmpty && over.responseCode == .noError)
    }

    @Test("SOA and NS are served at the apex; AXFR is NOTIMP")
    func apex() throws {
        let soa = try #require(respond(makeQuery("roost", .soa)).decoded())
        #expect(soa.answers.map(\.type) == [.soa] && soa.authorities.map(\.type) == [.ns])
        let ns = try #require(respond(makeQuery("ROOST", .ns)).decoded())
        #expect(ns.answers.map(\.data) == [.ns(.fromLiteral("ns.roost"))])
        let axfr = try #require(respond(makeQuery("roost", .axfr)).decoded())
        #expect(axfr.responseCode == .notImplemented)
    }

    @Test("other domains are REFUSED without a recursor and forwarded with one")
    func outside() throws {
        let refused = try #require(respond(makeQuery("example.com", .a)).decoded())
        #expect(refused.responseCode == .refused && !refused.header.isAuthoritative)
        #expect(!refused.header.recursionAvailable)
        let forwarding = DNSAnswererConfiguration(hasRecursor: true)
        #expect(respond(makeQuery("example.com", .a), configuration: forwarding) == .forward)
        let inZone = try #require(
            respond(makeQuery("web.service.roost", .a), configuration: forwarding).decoded())
        #expect(inZone.header.recursionAvailable)
    }

    @Test("responses and short packets are dropped; other opcodes are NOTIMP (RFC 8906)")
    func dropAndNotImp() throws {
        var response = makeQuery("web.service.roost", .a)
        response[2] |= 0x80
        #expect(respond(response) == .drop)
        #expect(respond([0x12, 0x34]) == .drop)
        #expect(respond([]) == .drop)
        var notify = makeQuery("roost", .soa)
        notify[2] = notify[2] & 0x87 | 4 << 3
        let reply = try #require(respond(notify).decoded())
        #expect(reply.responseCode == .notImplemented && reply.header.opcode == 4)
    }

    @Test("two questions are FORMERR; no question is NOERROR (RFC 9619)")
    func questionCounts() throws {
        var two = Wire.header(qd: 2)
        two.question("a.roost")
        two.question("b.roost")
        #expect(try #require(respond(two.bytes).decoded()).responseCode == .formatError)
        let none = try #require(respond(Wire.header(qd: 0).bytes).decoded())
        #expect(none.responseCode == .noError && none.questions.isEmpty)
    }

    @Test("EDNS: OPT echoed only when asked, version 0, DO echoed, options and MBZ flags not")
    func edns() throws {
        let plain = try #require(respond(makeQuery("web.service.roost", .a)).decoded())
        #expect(plain.edns == nil)
        let query = makeQuery("web.service.roost", .a, edns: DNSEDNS(
            udpPayloadBytes: 4096, flags: DNSEDNS.dnssecOKFlag | 0x0080,
            options: [DNSEDNSOption(code: 100, data: [1])]))
        let reply = try #require(respond(query).decoded())
        let edns = try #require(reply.edns)
        #expect(edns.version == 0 && edns.flags == DNSEDNS.dnssecOKFlag && edns.options.isEmpty)
        #expect(Int(edns.udpPayloadBytes) == DNSLimits.ednsUDPPayloadBytesMax)
    }

    @Test("EDNS version 1 gets BADVERS with an OPT of version 0 (RFC 6891 §6.1.3)")
    func badVersion() throws {
        let query = makeQuery(
            "web.service.roost", .a, edns: DNSEDNS(udpPayloadBytes: 1232, version: 1))
        let reply = try #require(respond(query).decoded())
        #expect(reply.responseCode == .badVersion && reply.edns?.version == 0)
        #expect(reply.answers.isEmpty)
    }

    @Test("UDP answers fit 512 bytes without EDNS and the EDNS size with it, with TC; TCP gets all")
    func udpLimits() throws {
        let catalog = bigCatalog(count: 200)
        let classic = try #require(
            respond(makeQuery("big.service.roost", .a), catalog: catalog).bytes)
        #expect(classic.count <= 512)
        let classicReply = try DNSMessage(decoding: classic)
        #expect(classicReply.header.isTruncated && classicReply.answers.count == 29)
        for (advertised, limit) in [(4096, 1232), (800, 800), (100, 512)] {
            let query = makeQuery("big.service.roost", .a,
                                  edns: DNSEDNS(udpPayloadBytes: UInt16(advertised)))
            let bytes = try #require(respond(query, catalog: catalog).bytes)
            #expect(bytes.count <= limit && bytes.count > limit - 16, "advertised \(advertised)")
            #expect(try DNSMessage(decoding: bytes).header.isTruncated)
        }
        let tcp = try #require(
            respond(makeQuery("big.service.roost", .a), catalog: catalog, transport: .tcp)
                .decoded())
        #expect(!tcp.header.isTruncated && tcp.answers.count == 200)
    }

    @Test("an answer that fits exactly is whole; one record more sets TC")
    func truncationBoundary() throws {
        // 12 + 23 question + 16 per record: 29 records = 499 bytes fit 512, 30 do not.
        let fits = try #require(respond(makeQuery("big.service.roost", .a),
                                        catalog: bigCatalog(count: 29)).decoded())
        #expect(!fits.header.isTruncated && fits.answers.count == 29)
        let over = try #require(respond(makeQuery("big.service.roost", .a),
                                        catalog: bigCatalog(count: 30)).decoded())
        #expect(over.header.isTruncated && over.answers.count == 29)
    }

    @Test("answers are shuffled by the seeded generator: same seed, same order; seeds differ")
    func shuffle() throws {
        let catalog = bigCatalog(count: 20)
        let query = makeQuery("big.service.roost", .a)
        let first = try #require(respond(query, catalog: catalog, seed: 11).bytes)
        #expect(respond(query, catalog: catalog, seed: 11).bytes == first)
        let orders = Set((1...8).map { respond(query, catalog: catalog, seed: UInt64($0)).bytes })
        #expect(orders.count > 1)
    }

    @Test("the answer cache serves repeats and empties itself when the generation changes")
    func cache() throws {
        let answerer = DNSAnswerer(configuration: DNSAnswererConfiguration())
        var cache = DNSAnswerCache()
        var random = SeededGenerator(seed: 3)
        func ask(_ name: String, _ catalog: DNSCatalogView) throws -> DNSMessage {
            let action = makeQuery(name, .a).withUnsafeBytes {
                answerer.respond(to: $0, transport: .udp, catalog: catalog, cache: &cache,
                                 random: &random)
            }
            return try #require(action.decoded())
        }
        #expect(try ask("web.service.roost", fixtureCatalog).addresses.count == 2)
        #expect(try ask("WEB.service.roost", fixtureCatalog).addresses.count == 2)
        #expect(cache.hits == 1 && cache.misses == 1 && cache.count == 1)
        let updated = DNSCatalogView(
            generation: 2, nodes: fixtureCatalog.nodes,
            instances: fixtureCatalog.instances.filter { $0.id != "web-2" })
        #expect(try ask("web.service.roost", updated).addresses == ["10.0.0.1"])
        #expect(cache.misses == 2 && cache.generation == 2)
    }

    @Test("a bounded cache clears when full instead of growing (entriesMax)")
    func cacheBound() throws {
        let answerer = DNSAnswerer(configuration: DNSAnswererConfiguration())
        var cache = DNSAnswerCache(entriesMax: 2)
        var random = SeededGenerator(seed: 3)
        for name in ["a.service.roost", "b.service.roost", "c.service.roost"] {
            _ = makeQuery(name, .a).withUnsafeBytes {
                answerer.respond(to: $0, transport: .udp, catalog: fixtureCatalog, cache: &cache,
                                 random: &random)
            }
            #expect(cache.count <= 2)
        }
        #expect(cache.count == 1)
    }
}

extension DNSRecordType {
    static let mx = DNSRecordType(rawValue: 15)
}
