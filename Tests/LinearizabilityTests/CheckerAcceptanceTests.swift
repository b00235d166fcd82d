import Linearizability
import Testing

@Suite("The checker accepts linearizable key-value histories")
struct CheckerAcceptanceTests {
    @Test("an empty history is linearizable")
    func emptyHistory() {
        #expect(check([]) == .linearizable)
    }

    @Test(
        "after two overlapping writes, a later read may return either (either order is legal)",
        arguments: ["1", "2"] as [KVBytes])
    func overlappingWritesEitherWins(finalValue: KVBytes) {
        let history = [
            put("x", "1", client: 1, 0...50),
            put("x", "2", client: 2, 10...60),
            get("x", finalValue, client: 3, 70...80),
            get("x", finalValue, client: 4, 90...95),
        ]
        #expect(check(history) == .linearizable)
    }

    @Test("reads overlapping two overlapping writes may see the first, then the second")
    func readsDuringOverlappingWrites() {
        let history = [
            put("x", "1", client: 1, 0...50),
            put("x", "2", client: 2, 10...60),
            get("x", nil, client: 3, 0...5),
            get("x", "1", client: 3, 20...30),
            get("x", "2", client: 4, 25...35),
            get("x", "2", client: 3, 70...80),
        ]
        #expect(check(history) == .linearizable)
    }

    @Test("a read concurrent with a write may return the old value after another saw the new")
    func concurrentReadsMaySeeOldAndNew() {
        // The old-value read started before the new-value read returned, so it can be ordered
        // before the write: the legal twin of the new-old inversion.
        let history = [
            put("x", "0", client: 0, 0...5),
            put("x", "1", client: 1, 10...100),
            get("x", "1", client: 2, 20...30),
            get("x", "0", client: 3, 25...40),
        ]
        #expect(check(history) == .linearizable)
    }

    @Test("intervals are closed: operations touching at one instant count as concurrent")
    func touchingIntervalsAreConcurrent() {
        let history = [
            put("x", "1", client: 1, 0...10),
            get("x", nil, client: 2, 10...20),
        ]
        #expect(check(history) == .linearizable)
    }

    @Test("exactly one of two racing compare-and-swaps from the same value succeeds")
    func racingCompareAndSwaps() {
        let history = [
            put("x", "0", client: 0, 0...5),
            cas("x", expected: "0", new: "1", swapped: true, client: 1, 10...40),
            cas("x", expected: "0", new: "2", swapped: false, client: 2, 15...45),
            get("x", "1", client: 3, 50...60),
        ]
        #expect(check(history) == .linearizable)
    }

    @Test("compare-and-swap with expected absent creates the key only once")
    func createIfAbsent() {
        let history = [
            cas("x", expected: nil, new: "a", swapped: false, client: 1, 10...40),
            cas("x", expected: nil, new: "b", swapped: true, client: 2, 15...45),
            get("x", "b", client: 3, 50...60),
            delete("x", client: 3, 70...80),
            get("x", nil, client: 1, 90...95),
        ]
        #expect(check(history) == .linearizable)
    }

    @Test("independent keys are checked as separate partitions (P-compositionality)")
    func keysArePartitions() {
        let history = [
            put("a", "1", client: 1, 0...10),
            put("b", "1", client: 2, 0...10),
            get("a", "1", client: 3, 20...30),
            get("b", nil, client: 3, 5...8),
            put("c", "1", client: 1, 40...50),
        ]
        let report = checkLinearizableWithReport(history, model: KVModel(), budget: .standard)
        #expect(report.result == .linearizable)
        #expect(report.partitionCount == 3)
    }
}
