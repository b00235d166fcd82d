import Testing

@testable import RoostServer

/// When the agent turns a TTL check critical (Consul `CheckTTL`: no update within the TTL).
@Suite("Agent TTL lapse (pure)")
struct NodeAgentTTLTests {
    @Test("a check lapses only once more than its TTL has passed since its last update")
    func lapse() {
        let ttl = 30 * secondNanoseconds
        let last = 100 * secondNanoseconds
        #expect(!NodeAgent.ttlLapsed(now: last + ttl, lastRefreshed: last, ttlNanoseconds: ttl))
        #expect(NodeAgent.ttlLapsed(now: last + ttl + 1, lastRefreshed: last, ttlNanoseconds: ttl))
        #expect(!NodeAgent.ttlLapsed(now: last + ttl + 1, lastRefreshed: last, ttlNanoseconds: 0))
    }

    @Test("an update newer than the agent pass's clock reading is no lapse (and no overflow)")
    func updateDuringThePass() {
        let now = 100 * secondNanoseconds
        let ttl = 30 * secondNanoseconds
        #expect(!NodeAgent.ttlLapsed(now: now, lastRefreshed: now + 1, ttlNanoseconds: ttl))
        #expect(!NodeAgent.ttlLapsed(now: 0, lastRefreshed: .max, ttlNanoseconds: ttl))
    }
}
