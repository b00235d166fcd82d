import Linearizability
import Testing

@Suite("Counterexamples name the partition, the longest prefix and the unplaceable operations")
struct CounterexampleTests {
    @Test("a stale read's counterexample shows the write prefix and the impossible read")
    func staleReadCounterexample() {
        let history = [
            put("x", "1", client: 1, 0...10),
            put("x", "2", client: 1, 20...30),
            get("x", "1", client: 2, 40...50),
        ]
        let text = check(history).counterexample
        #expect(text.contains("key \"x\" has no linearization (3 operations"))
        #expect(text.contains("longest linearizable prefix (2 of 3)"))
        #expect(text.contains("2. op#1 client 1 [20, 30] put(\"x\", \"2\") -> ok"))
        #expect(text.contains("state after the prefix: {\"x\": \"2\"}"))
        #expect(
            text.contains("op#2 client 2 [40, 50] get(\"x\") -> \"1\": impossible in that state"))
    }

    @Test("unknown-outcome operations print with an open interval and an unknown output")
    func unknownOperationDescription() {
        let history = [
            putUnknown("x", "1", client: 1, calledAt: 7),
            get("x", "1", client: 2, 20...30),
            get("x", nil, client: 2, 40...50),
        ]
        let text = check(history).counterexample
        #expect(text.contains("op#0 client 1 [7, +inf) put(\"x\", \"1\") -> ?"))
        #expect(text.contains("1 with unknown outcome"))
    }
}
