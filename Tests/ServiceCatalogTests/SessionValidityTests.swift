import Platform
import Testing

@testable import ServiceCatalog

/// Which sessions may exist (Consul `sessionCreateTxn`, `validateSessionChecksTxn`) and the
/// IDs they get.
@Suite("Session validity and IDs")
struct SessionValidityTests {
    /// n1 alive with a passing `mem` and a critical `disk`; n2 registered but not alive.
    static let health = HealthView(
        nodes: [Fixtures.revisioned(Fixtures.node1, 1), Fixtures.revisioned(Fixtures.node2, 2)],
        services: [Fixtures.revisioned(Fixtures.web1, 3)],
        checks: [
            Fixtures.revisioned(Fixtures.check("n1", "mem", .passing), 4),
            Fixtures.revisioned(Fixtures.check("n1", "disk", .critical), 5),
            Fixtures.revisioned(
                Fixtures.check("n1", "service:web-1", .warning, service: Fixtures.web1), 6),
        ],
        aliveNodes: ["n1"])

    func problem(_ node: String, _ checks: [String]) -> String? {
        SessionValidity.problem(node: node, checkIDs: checks, health: Self.health)?.message
    }

    @Test("a session needs its node registered: 500 Missing node registration (ErrMissingNode)")
    func node() {
        #expect(problem("n9", []) == "Missing node registration")
        #expect(problem("N1", []) == nil)
        #expect(
            SessionValidity.problem(node: "n9", checkIDs: [], health: Self.health)?.status == 500)
    }

    @Test("every named check must exist on the session's node and not be critical")
    func checks() {
        #expect(problem("n1", ["serfHealth", "mem", "service:web-1"]) == nil)
        #expect(problem("n1", ["MEM"]) == nil)
        #expect(problem("n1", ["nope"]) == "Missing check 'nope' registration")
        #expect(problem("n1", ["mem", "disk"]) == "Check 'disk' is in critical state")
        // serfHealth is synthesised from the alive key: n2's is critical.
        #expect(problem("n2", ["serfHealth"]) == "Check 'serfHealth' is in critical state")
        // A check of another node does not count.
        #expect(problem("n2", ["mem"]) == "Missing check 'mem' registration")
    }

    @Test("creation admits sessionsPerNodeMax sessions on a node, not one more")
    func perNodeLimit() throws {
        let definition = try SessionDefinition(body: [], agentNode: "n1")
        try SessionValidity.admit(
            definition, health: Self.health,
            sessionsOnNode: SessionLimits.sessionsPerNodeMax - 1)
        #expect(throws: CatalogError.self) {
            try SessionValidity.admit(
                definition, health: Self.health, sessionsOnNode: SessionLimits.sessionsPerNodeMax)
        }
    }

    @Test("creation reports the node before the checks, as Consul's state store does")
    func admissionOrder() throws {
        let definition = try SessionDefinition(
            body: Array(#"{"Node":"n9","Checks":["nope"]}"#.utf8), agentNode: "n1")
        #expect(throws: CatalogError.serverError("Missing node registration")) {
            try SessionValidity.admit(definition, health: Self.health, sessionsOnNode: 0)
        }
    }

    @Test("IDs are version 4 UUIDs in lowercase 8-4-4-4-12 form, the same for the same seed")
    func ids() {
        var first = SeededGenerator(seed: 7)
        var second = SeededGenerator(seed: 7)
        var other = SeededGenerator(seed: 8)
        let id = SessionID.random(using: &first)
        #expect(id == SessionID.random(using: &second))
        #expect(id != SessionID.random(using: &other))
        let groups = id.split(separator: "-").map(\.count)
        #expect(groups == [8, 4, 4, 4, 12])
        #expect(id.allSatisfy { "0123456789abcdef-".contains($0) })
        let characters = Array(id)
        #expect(characters[14] == "4")
        #expect("89ab".contains(characters[19]))
        #expect(SessionID.random(using: &first) != id)
    }

    @Test("RFC 4122 formatting of known bytes")
    func format() {
        #expect(
            SessionID.format(Array(0..<16))
                == "00010203-0405-0607-0809-0a0b0c0d0e0f")
    }
}
