// libFuzzer target for the DNS codec and answerer (not a SwiftPM target: SwiftPM cannot
// pass -sanitize=fuzzer). Compiled together with the module's pure sources, which import
// nothing but Glibc. From /work/main:
//
//   swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name DNSFuzz \
//     Benchmarks/DNSFuzz/DNSFuzz.swift Sources/DNSResponder/Codec/*.swift \
//     Sources/DNSResponder/Answer/*.swift -o /tmp/dns-fuzz
//   mkdir -p /tmp/dns-corpus && /tmp/dns-fuzz -max_total_time=60 /tmp/dns-corpus
//
// Properties checked on every input (besides "never crashes, never hangs"):
// * round trip (golang/net PR #177): if the input decodes and re-encodes without
//   truncation, decoding the encoding gives an equal message;
// * the answerer's UDP reply never exceeds the largest UDP budget, and every reply it
//   produces decodes again;
// * asked twice through one answer cache with the generator seeded alike, it gives the
//   same bytes (the second time from the cache, through DNSQueryScan, when cacheable).

/// splitmix64: a deterministic generator so a crashing input replays exactly.
struct FuzzGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let fuzzCatalog = DNSCatalogView(
    generation: 1,
    nodes: [
        DNSNode(name: "alpha", address: "10.0.0.1", meta: ["rack": "r1"]),
        DNSNode(name: "beta.east", address: "2001:db8::2"),
    ],
    instances: [
        DNSServiceInstance(service: "web", id: "web-1", node: "alpha", port: 80, tags: ["v1"]),
        DNSServiceInstance(
            service: "web", id: "web-2", node: "beta.east", address: "192.0.2.10", port: 81,
            meta: ["version": "2"], health: .warning),
        DNSServiceInstance(service: "db", node: "alpha", port: 5432, health: .critical),
    ])

let fuzzAnswerer = DNSAnswerer(configuration: DNSAnswererConfiguration())
let fuzzForwarder = DNSAnswerer(configuration: DNSAnswererConfiguration(hasRecursor: true))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    checkRoundTrip(bytes)
    for (answerer, transport) in [(fuzzAnswerer, DNSTransport.udp), (fuzzForwarder, .tcp)] {
        // The same query twice through one cache, the generator seeded alike: the second
        // is served from the cache (when cacheable) and must be the same bytes.
        var cache = DNSAnswerCache()
        var actions: [DNSAction] = []
        for _ in 0..<2 {
            var random = FuzzGenerator(state: UInt64(count))
            actions.append(answerer.respond(
                to: bytes, transport: transport, catalog: fuzzCatalog, cache: &cache,
                random: &random))
        }
        precondition(actions[0] == actions[1], "a cached reply differs from the first one")
        guard case .answer(let reply) = actions[0] else { continue }
        if transport == .udp {
            precondition(reply.count <= DNSLimits.ednsUDPPayloadBytesMax, "UDP reply too big")
        }
        precondition((try? DNSMessage(decoding: reply)) != nil, "reply does not decode")
    }
    return 0
}

func checkRoundTrip(_ bytes: UnsafeRawBufferPointer) {
    guard let message = try? DNSMessage(decoding: bytes) else { return }
    let encoded = message.encode()
    guard !encoded.isTruncated else { return }
    guard let again = try? DNSMessage(decoding: encoded.bytes) else {
        preconditionFailure("re-encoded message does not decode")
    }
    precondition(again == message, "round trip changed the message")
}
