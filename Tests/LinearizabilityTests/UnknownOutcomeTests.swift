import Linearizability
import Testing

@Suite("Operations with unknown outcome may take effect any time after their call, or never")
struct UnknownOutcomeTests {
    @Test("a timed-out write that a later read observes took effect")
    func unknownWriteObserved() {
        let history = [
            putUnknown("x", "1", client: 1, calledAt: 10),
            get("x", "1", client: 2, 100...110),
        ]
        #expect(check(history) == .linearizable)
    }

    @Test("a timed-out write that nobody ever observes may never have taken effect")
    func unknownWriteNeverObserved() {
        let history = [
            putUnknown("x", "1", client: 1, calledAt: 10),
            get("x", nil, client: 2, 100...110),
            put("x", "2", client: 2, 120...130),
            get("x", "2", client: 3, 140...150),
        ]
        #expect(check(history) == .linearizable)
    }

    @Test("a timed-out write may take effect long after its client gave up")
    func unknownWriteTakesEffectLate() {
        let history = [
            put("x", "1", client: 1, 0...5),
            putUnknown("x", "2", client: 2, calledAt: 10),
            get("x", "1", client: 3, 20...30),
            get("x", "1", client: 3, 500...510),
            get("x", "2", client: 3, 1000...1010),
        ]
        #expect(check(history) == .linearizable)
    }

    @Test("a timed-out write cannot take effect before it was called")
    func unknownWriteNotBeforeCall() {
        let history = [
            get("x", "1", client: 2, 0...10),
            putUnknown("x", "1", client: 1, calledAt: 20),
        ]
        #expect(check(history).isNotLinearizable)
    }

    @Test("a timed-out compare-and-swap that would succeed may still never happen")
    func unknownCompareAndSwapNeverHappens() {
        let history = [
            put("x", "0", client: 0, 0...5),
            casUnknown("x", expected: "0", new: "1", client: 1, calledAt: 10),
            get("x", "0", client: 2, 100...110),
        ]
        #expect(check(history) == .linearizable)
    }

    @Test("a timed-out compare-and-swap can only take effect when its expected value is there")
    func unknownCompareAndSwapNeedsExpectedValue() {
        let history = [
            put("x", "0", client: 0, 0...5),
            casUnknown("x", expected: "9", new: "1", client: 1, calledAt: 10),
            get("x", "1", client: 2, 100...110),
        ]
        #expect(check(history).isNotLinearizable)
    }

    @Test("timed-out reads constrain nothing and are dropped before the search")
    func unknownReadsDropped() {
        let unknownRead = KVOperation(
            clientID: 9, input: .get(key: "y"), call: 0, output: nil, returnTime: nil)
        let history = [put("x", "1", client: 1, 0...10), unknownRead]
        let report = checkLinearizableWithReport(history, model: KVModel(), budget: .standard)
        #expect(report.result == .linearizable)
        #expect(report.partitionCount == 1)
    }

    @Test("a history of only unknown-outcome operations is linearizable with no search")
    func onlyUnknownOperations() {
        let history = (0..<50).map {
            putUnknown("x", KVBytes("\($0)"), client: $0, calledAt: UInt64($0))
        }
        let report = checkLinearizableWithReport(history, model: KVModel(), budget: .standard)
        #expect(report.result == .linearizable)
        #expect(report.modelSteps == 0)
    }
}
