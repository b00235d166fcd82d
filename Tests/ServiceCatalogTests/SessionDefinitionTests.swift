import Testing

@testable import ServiceCatalog

@Suite("Session create input")
struct SessionDefinitionTests {
    func create(_ body: String) throws(CatalogError) -> SessionDefinition {
        try SessionDefinition(body: Array(body.utf8), agentNode: "agent")
    }

    @Test("an empty body gets every default: agent node, 15s lock delay, release, serfHealth")
    func defaults() throws {
        for body in ["", "  \n", "{}"] {
            let definition = try create(body)
            #expect(definition.node == "agent")
            #expect(definition.lockDelayNanoseconds == 15_000_000_000)
            #expect(definition.behavior == .release)
            #expect(definition.ttl == "")
            #expect(definition.nodeChecks == ["serfHealth"])
            #expect(definition.serviceChecks == [])
        }
    }

    @Test("py-consul's lowercase body decodes (name, node, lockdelay text, behavior, ttl)")
    func lowercase() throws {
        let definition = try create(
            #"{"name":"lock","node":"n2","lockdelay":"5s","behavior":"delete","ttl":"30s"}"#)
        #expect(definition.name == "lock" && definition.node == "n2")
        #expect(definition.lockDelayNanoseconds == 5_000_000_000)
        #expect(definition.behavior == .delete)
        #expect(definition.ttl == "30s")
    }

    @Test("a numeric LockDelay below 1000 is seconds, from 1000 on nanoseconds (FixupLockDelay)")
    func numericLockDelay() throws {
        #expect(try create(#"{"LockDelay":30}"#).lockDelayNanoseconds == 30_000_000_000)
        #expect(try create(#"{"LockDelay":1000}"#).lockDelayNanoseconds == 1000)
        #expect(try create(#"{"LockDelay":0}"#).lockDelayNanoseconds == 0)
        // Text below 1000 ns is seconds too (Consul's FixupLockDelay parses, then scales).
        #expect(try create(#"{"LockDelay":"5ns"}"#).lockDelayNanoseconds == 5_000_000_000)
        #expect(try create(#"{"LockDelay":"1us"}"#).lockDelayNanoseconds == 1000)
        #expect(try create(#"{"LockDelay":"0s"}"#).lockDelayNanoseconds == 0)
    }

    @Test("a negative LockDelay is refused, however large, without overflowing")
    func negativeLockDelay() {
        let bodies = [
            #"{"LockDelay":-1}"#, #"{"LockDelay":-9223372036854775807}"#, #"{"LockDelay":"-5s"}"#,
        ]
        for body in bodies {
            #expect(throws: CatalogError.self) { try create(body) }
        }
    }

    @Test("LockDelay above 60s is refused; 60s is accepted")
    func lockDelayLimit() throws {
        #expect(try create(#"{"LockDelay":"60s"}"#).lockDelayNanoseconds == 60_000_000_000)
        #expect(throws: CatalogError.self) { try create(#"{"LockDelay":"61s"}"#) }
    }

    @Test(
        "TTL must lie in 10s…24h (Consul Session.Apply)",
        arguments: [
            ("10s", true), ("86400s", true), ("24h", true), ("0s", true),
            ("9s", false), ("86401s", false), ("9999ms", false),
        ])
    func ttlBounds(ttl: String, accepted: Bool) {
        let body = #"{"TTL":""# + ttl + #""}"#
        if accepted {
            #expect((try? create(body))?.ttl == ttl)
        } else {
            #expect(throws: CatalogError.self) { try create(body) }
        }
    }

    @Test("TTL errors use Consul's wording")
    func ttlMessages() {
        #expect(
            throws: CatalogError.serverError(
                "Invalid Session TTL '9000000000', must be between [10s=24h0m0s]")
        ) {
            try create(#"{"TTL":"9s"}"#)
        }
        #expect(
            throws: CatalogError.serverError(
                "Session TTL 'x' invalid: time: invalid duration \"x\"")
        ) {
            try create(#"{"TTL":"x"}"#)
        }
        #expect(throws: CatalogError.serverError("Invalid Behavior setting 'keep'")) {
            try create(#"{"Behavior":"keep"}"#)
        }
    }

    @Test("sending Checks, NodeChecks or ServiceChecks replaces the serfHealth default")
    func checks() throws {
        #expect(try create(#"{"Checks":[]}"#).nodeChecks == [])
        #expect(
            try create(#"{"checks":["serfHealth","mem"]}"#).nodeChecks == ["serfHealth", "mem"])
        let mixed = try create(
            #"{"NodeChecks":["a"],"Checks":["a","b"],"ServiceChecks":[{"ID":"service:web"}]}"#)
        #expect(mixed.nodeChecks == ["a", "b"])
        #expect(mixed.serviceChecks == ["service:web"])
    }

    @Test("a session may depend on checksMax checks, not one more")
    func checkLimit() throws {
        func body(_ count: Int) -> String {
            "{\"NodeChecks\":[" + (0..<count).map { "\"c\($0)\"" }.joined(separator: ",") + "]}"
        }
        #expect(try create(body(SessionDefinition.checksMax)).nodeChecks.count == 64)
        #expect(throws: CatalogError.self) { try create(body(SessionDefinition.checksMax + 1)) }
    }

    @Test("a session built from a definition keeps its fields")
    func session() throws {
        let session = CatalogSession(id: "u", definition: try create(#"{"TTL":"15s"}"#))
        #expect(session.ttlNanoseconds == 15_000_000_000)
        #expect(session.node == "agent")
        #expect(session.nodeChecks == ["serfHealth"])
    }
}
