import Linearizability
import Testing

@Suite("Randomized histories: sequential runs are accepted, one corrupted read is rejected")
struct RandomizedHistoryTests {
    static let seeds: [UInt64] = Array(1...25)

    static func history(seed: UInt64) -> RandomKVHistory {
        RandomKVHistory(
            seed: seed, operationCount: 400, keyCount: 4, spreadTicks: 40, unknownPercent: 10)
    }

    @Test("a widened sequential execution is linearizable (replay: seed)", arguments: seeds)
    func sequentialRunAccepted(seed: UInt64) {
        let result = check(Self.history(seed: seed).operations)
        #expect(result == .linearizable, "seed \(seed): \(result)")
    }

    @Test("a read corrupted to a never-written value is rejected (replay: seed)", arguments: seeds)
    func readOfUnwrittenValueRejected(seed: UInt64) {
        var generated = Self.history(seed: seed)
        var random = SplitMix64(seed: seed ^ 0xC0FF_EE00)
        let reads = generated.operations.indices.filter {
            if case .get = generated.operations[$0].input {
                return generated.operations[$0].returnTime != nil
            }
            return false
        }
        guard let victim = reads.randomElement(using: &random) else {
            Issue.record("seed \(seed): no completed read to corrupt")
            return
        }
        let impossible = KVBytes("never-written-\(seed)")
        #expect(!generated.writtenValues.contains(impossible))
        generated.operations[victim].output = .value(impossible)
        let result = check(generated.operations)
        #expect(result.isNotLinearizable, "seed \(seed), corrupted op#\(victim): \(result)")
    }

    @Test(
        "a read corrupted to a value first written after it returned is rejected (replay: seed)",
        arguments: seeds)
    func readFromTheFutureRejected(seed: UInt64) {
        var generated = Self.history(seed: seed)
        var random = SplitMix64(seed: seed ^ 0xF00D)
        let operations = generated.operations
        // (read, later put on the same key): values are unique per write, so the read would see
        // a value that did not exist anywhere in its interval.
        var pairs: [(read: Int, value: KVBytes)] = []
        for (readIndex, read) in operations.enumerated() {
            guard case .get(let key) = read.input, let readReturn = read.returnTime else {
                continue
            }
            for write in operations where write.call > readReturn {
                if case .put(key, let value) = write.input { pairs.append((readIndex, value)) }
            }
        }
        guard let pair = pairs.randomElement(using: &random) else {
            Issue.record("seed \(seed): no read precedes a put on its key")
            return
        }
        generated.operations[pair.read].output = .value(pair.value)
        let result = check(generated.operations)
        #expect(result.isNotLinearizable, "seed \(seed), corrupted op#\(pair.read): \(result)")
    }

    @Test("4000 operations over 20 keys check within a small, linear-ish step budget")
    func largeHistoryIsCheap() {
        let generated = RandomKVHistory(
            seed: 4000, operationCount: 4000, keyCount: 20, spreadTicks: 40, unknownPercent: 5)
        let budget = CheckBudget(modelStepsMax: 400_000, cachedConfigurationsMax: 100_000)
        let report = checkLinearizableWithReport(
            generated.operations, model: KVModel(), budget: budget)
        #expect(report.result == .linearizable, "seed 4000: \(report)")
        #expect(report.partitionCount == 20)
    }
}
