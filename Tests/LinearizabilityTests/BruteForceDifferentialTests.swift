import Linearizability
import Testing

/// Cross-checks the search (with its partitioning, memo and subset pruning) against the
/// definition, enumerated naively on tiny histories with arbitrary, often wrong, outputs.
@Suite("The checker agrees with a brute-force enumeration of linearizations")
struct BruteForceDifferentialTests {
    /// Herlihy & Wing: some order of all known-outcome operations plus any subset of the
    /// unknown-outcome ones respects real time (b never precedes a when a returned before b was
    /// called) and is a legal sequential run of the model.
    static func bruteForce(_ history: [KVOperation]) -> Bool {
        var used = Array(repeating: false, count: history.count)
        return extend(history, &used, KVModel().initialState())
    }

    private static func extend(
        _ history: [KVOperation], _ used: inout [Bool], _ state: KVModel.State
    ) -> Bool {
        let knownUnused = history.indices.filter { !used[$0] && history[$0].returnTime != nil }
        if knownUnused.isEmpty { return true }
        for candidate in history.indices where !used[candidate] {
            // Real time: no unused known operation returned before this one was called.
            let blocked = knownUnused.contains {
                ($0 != candidate) && (history[$0].returnTime ?? .max) < history[candidate].call
            }
            let operation = history[candidate]
            guard !blocked, let next = KVModel().step(state, operation.input, operation.output)
            else { continue }
            used[candidate] = true
            defer { used[candidate] = false }
            if extend(history, &used, next) { return true }
        }
        return false
    }

    static func randomHistory(_ random: inout SplitMix64) -> [KVOperation] {
        let written: [KVBytes] = ["a", "b"]
        let values: [KVBytes?] = [nil, "a", "b"]
        let keys: [KVBytes] = ["x", "y"]
        return (0..<Int.random(in: 1...7, using: &random)).map { client in
            let key = keys.randomElement(using: &random) ?? "x"
            let value = written.randomElement(using: &random) ?? "a"
            let call = UInt64.random(in: 0...20, using: &random)
            let returned = call + UInt64.random(in: 0...10, using: &random)
            let unknown = Int.random(in: 0..<5, using: &random) == 0
            let (input, output): (KVInput, KVOutput) =
                switch Int.random(in: 0..<4, using: &random) {
                case 0: (.put(key: key, value: value), .ok)
                case 1: (.get(key: key), .value(values.randomElement(using: &random) ?? nil))
                case 2:
                    (.compareAndSwap(
                        key: key, expected: values.randomElement(using: &random) ?? nil,
                        new: value), .swapped(Bool.random(using: &random)))
                default: (.delete(key: key), .ok)
                }
            return KVOperation(
                clientID: client, input: input, call: call, output: unknown ? nil : output,
                returnTime: unknown ? nil : returned)
        }
    }

    @Test("300 tiny random histories get the brute-force verdict (replay: seed)",
        arguments: Array(UInt64(1)...10))
    func agreesWithBruteForce(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var verdicts = (linearizable: 0, not: 0)
        for round in 0..<300 {
            let history = Self.randomHistory(&random)
            let expected = Self.bruteForce(history)
            let result = check(history)
            let agrees = expected ? result == .linearizable : result.isNotLinearizable
            #expect(
                agrees,
                "seed \(seed) round \(round): expected \(expected), got \(result)\n\(history)")
            if expected { verdicts.linearizable += 1 } else { verdicts.not += 1 }
        }
        // Both verdicts must be exercised, or the comparison proves little.
        #expect(verdicts.linearizable > 30 && verdicts.not > 30, "seed \(seed): \(verdicts)")
    }
}
