import Linearizability
import Testing

@Suite("The checker rejects non-linearizable key-value histories")
struct CheckerRejectionTests {
    @Test("a read that starts after a write completed cannot miss it (stale read)")
    func staleReadOfAbsentKey() {
        let history = [
            put("x", "1", client: 1, 0...10),
            get("x", nil, client: 2, 20...30),
        ]
        #expect(check(history).isNotLinearizable)
    }

    @Test("a read that starts after an overwrite completed cannot return the older value")
    func staleReadOfOverwrittenValue() {
        let history = [
            put("x", "1", client: 1, 0...10),
            put("x", "2", client: 1, 20...30),
            get("x", "1", client: 2, 40...50),
        ]
        #expect(check(history).isNotLinearizable)
    }

    @Test("once a read returned the new value, a later read cannot return the old (inversion)")
    func newOldInversion() {
        let history = [
            put("x", "0", client: 0, 0...5),
            put("x", "1", client: 1, 10...100),
            get("x", "1", client: 2, 20...30),
            get("x", "0", client: 3, 35...40),
        ]
        #expect(check(history).isNotLinearizable)
    }

    @Test("two reads that see two writes in opposite orders cannot both be right")
    func readersDisagreeOnWriteOrder() {
        // Writes 1 and 2 overlap, so either order is fine, but client 3 sees 1 then 2 while
        // client 4 sees 2 then 1, all reads after both writes began and non-overlapping.
        let history = [
            put("x", "1", client: 1, 0...100),
            put("x", "2", client: 2, 0...100),
            get("x", "1", client: 3, 10...20),
            get("x", "2", client: 3, 30...40),
            get("x", "2", client: 4, 50...60),
            get("x", "1", client: 4, 70...80),
        ]
        #expect(check(history).isNotLinearizable)
    }

    @Test("two compare-and-swaps from the same expected value cannot both succeed")
    func doubleCompareAndSwap() {
        let history = [
            put("x", "0", client: 0, 0...5),
            cas("x", expected: "0", new: "1", swapped: true, client: 1, 10...40),
            cas("x", expected: "0", new: "2", swapped: true, client: 2, 15...45),
        ]
        #expect(check(history).isNotLinearizable)
    }

    @Test("a read cannot return a value nobody wrote")
    func readOfValueNeverWritten() {
        let history = [
            put("x", "1", client: 1, 0...10),
            putUnknown("x", "2", client: 3, calledAt: 5),
            get("x", "9", client: 2, 20...30),
        ]
        #expect(check(history).isNotLinearizable)
    }

    @Test("an acknowledged update cannot be lost: two swaps succeed but the read misses one")
    func lostUpdate() {
        let history = [
            put("x", "0", client: 0, 0...5),
            cas("x", expected: "0", new: "1", swapped: true, client: 1, 10...30),
            cas("x", expected: "1", new: "2", swapped: true, client: 2, 10...30),
            get("x", "1", client: 3, 40...50),
        ]
        #expect(check(history).isNotLinearizable)
    }

    @Test("a read cannot return a value whose only write was called after the read returned")
    func readFromTheFuture() {
        let history = [
            get("x", "1", client: 1, 0...10),
            put("x", "1", client: 2, 20...30),
        ]
        #expect(check(history).isNotLinearizable)
    }

    @Test("a compare-and-swap cannot fail when its expected value was there and nothing raced")
    func spuriousCompareAndSwapFailure() {
        let history = [
            put("x", "1", client: 1, 0...10),
            cas("x", expected: "1", new: "2", swapped: false, client: 2, 20...30),
        ]
        #expect(check(history).isNotLinearizable)
    }

    @Test("a read after a completed delete cannot return the deleted value")
    func readAfterDelete() {
        let history = [
            put("x", "1", client: 1, 0...10),
            delete("x", client: 1, 20...30),
            get("x", "1", client: 2, 40...50),
        ]
        #expect(check(history).isNotLinearizable)
    }

    @Test("an unknown-outcome write takes effect at most once: observed, it cannot un-happen")
    func unknownWriteCannotUnhappen() {
        let history = [
            putUnknown("x", "1", client: 1, calledAt: 10),
            get("x", "1", client: 2, 20...30),
            get("x", nil, client: 2, 40...50),
        ]
        #expect(check(history).isNotLinearizable)
    }

    @Test("a violation on one key is found even when every other key is linearizable")
    func violationInOnePartition() {
        var history: [KVOperation] = []
        for index in 0..<10 {
            let time = UInt64(index * 100)
            history.append(put("a", KVBytes("\(index)"), client: 1, time...(time + 10)))
            history.append(get("a", KVBytes("\(index)"), client: 2, (time + 20)...(time + 30)))
        }
        history.append(put("b", "1", client: 3, 0...10))
        history.append(get("b", "2", client: 4, 20...30))
        let result = check(history)
        #expect(result.isNotLinearizable)
        #expect(result.counterexample.contains("key \"b\""))
    }
}
