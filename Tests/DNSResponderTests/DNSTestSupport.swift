import DNSResponder
import Platform
import Testing

/// Builds raw wire bytes by hand, for inputs the encoder would never produce.
struct Wire {
    var bytes: [UInt8] = []

    /// A header with the given counts (flags: RD).
    static func header(
        id: UInt16 = 0x1234, flags: UInt16 = 0x0100, qd: UInt16 = 1, an: UInt16 = 0,
        ns: UInt16 = 0, ar: UInt16 = 0
    ) -> Wire {
        var wire = Wire()
        for value in [id, flags, qd, an, ns, ar] { wire.u16(value) }
        return wire
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: UInt16) { bytes += [UInt8(value >> 8), UInt8(value & 0xFF)] }
    mutating func u32(_ value: UInt32) {
        u16(UInt16(value >> 16))
        u16(UInt16(value & 0xFFFF))
    }
    mutating func raw(_ value: [UInt8]) { bytes += value }

    /// Uncompressed name from dotted text ("" is the root).
    mutating func name(_ text: String) {
        for label in text.split(separator: ".") {
            u8(UInt8(label.utf8.count))
            raw(Array(label.utf8))
        }
        u8(0)
    }

    mutating func question(_ text: String, type: UInt16 = 1, qclass: UInt16 = 1) {
        name(text)
        u16(type)
        u16(qclass)
    }

    /// An OPT record: root owner, payload size, TTL (ext-rcode, version, flags), options.
    mutating func opt(payload: UInt16 = 1232, ttl: UInt32 = 0, rdata: [UInt8] = []) {
        u8(0)
        u16(41)
        u16(payload)
        u32(ttl)
        u16(UInt16(rdata.count))
        raw(rdata)
    }
}

/// A query as a client library would send it.
func makeQuery(
    _ name: String, _ type: DNSRecordType, id: UInt16 = 0x4242, edns: DNSEDNS? = nil
) -> [UInt8] {
    let message = DNSMessage(
        header: DNSHeader(id: id, recursionDesired: true),
        questions: [DNSQuestion(name: .fromLiteral(name), type: type)], edns: edns)
    return message.encode().bytes
}

/// The catalog most answerer tests use.
///
/// * web: web-1 on alpha (node address, tags v1/primary), web-2 on beta with its own
///   address 192.0.2.10 (warning, tag v2), web-3 on gamma (critical, hidden).
/// * db: one critical instance only. api: on gamma (IPv6), meta version=3.
let fixtureCatalog = DNSCatalogView(
    generation: 1,
    nodes: [
        DNSNode(name: "alpha", address: "10.0.0.1", meta: ["rack": "r1"]),
        DNSNode(name: "beta", address: "10.0.0.2"),
        DNSNode(name: "gamma", address: "2001:db8::3"),
    ],
    instances: [
        DNSServiceInstance(
            service: "web", id: "web-1", node: "alpha", port: 80, tags: ["v1", "Primary"]),
        DNSServiceInstance(
            service: "web", id: "web-2", node: "beta", address: "192.0.2.10", port: 81,
            tags: ["v2"], health: .warning),
        DNSServiceInstance(
            service: "web", id: "web-3", node: "gamma", port: 82, health: .critical),
        DNSServiceInstance(service: "db", node: "alpha", port: 5432, health: .critical),
        DNSServiceInstance(service: "api", node: "gamma", port: 443, meta: ["version": "3"]),
    ])

/// A catalog with `count` instances of "big", each with its own IPv4 address.
func bigCatalog(count: Int, generation: UInt64 = 7) -> DNSCatalogView {
    DNSCatalogView(
        generation: generation,
        nodes: (0..<count).map { DNSNode(name: "n\($0)", address: "10.1.\($0 / 250).\($0 % 250)") },
        instances: (0..<count).map {
            DNSServiceInstance(service: "big", id: "big-\($0)", node: "n\($0)", port: 8000)
        })
}

extension DNSAction {
    /// The decoded reply; records an issue for anything but a decodable answer.
    func decoded(sourceLocation: SourceLocation = #_sourceLocation) -> DNSMessage? {
        guard case .answer(let bytes) = self else {
            Issue.record("expected an answer, got \(self)", sourceLocation: sourceLocation)
            return nil
        }
        do {
            return try DNSMessage(decoding: bytes)
        } catch {
            Issue.record("reply does not decode: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    var bytes: [UInt8]? {
        if case .answer(let bytes) = self { return bytes }
        return nil
    }
}

/// Answers `query` with a fixed seed.
func respond(
    _ query: [UInt8], catalog: DNSCatalogView = fixtureCatalog, transport: DNSTransport = .udp,
    configuration: DNSAnswererConfiguration = DNSAnswererConfiguration(), seed: UInt64 = 1
) -> DNSAction {
    var random = SeededGenerator(seed: seed)
    return DNSAnswerer(configuration: configuration).respond(
        to: query, transport: transport, catalog: catalog, random: &random)
}

extension DNSMessage {
    var addresses: Set<String> {
        Set(answers.compactMap { record -> String? in
            switch record.data {
            case .a(let address): address.description
            case .aaaa(let address): address.description
            default: nil
            }
        })
    }
}
