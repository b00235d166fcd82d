import Linearizability

/// A history produced by running a random key-value workload sequentially, then widening each
/// operation into a random interval around its real linearization point. Linearizable by
/// construction: if a returns before b is called, a's point precedes b's.
struct RandomKVHistory {
    var operations: [KVOperation]
    /// Values written by any put or compare-and-swap (even unknown-outcome ones).
    var writtenValues: Set<KVBytes>

    /// - Parameters:
    ///   - spreadTicks: how far a call or return may lie from the linearization point; points
    ///     are 10 ticks apart, so about `spreadTicks / 5` operations overlap at a time.
    ///   - unknownPercent: chance that a write's client never learns the outcome; half of those
    ///     writes never take effect at all.
    init(
        seed: UInt64, operationCount: Int, keyCount: Int, spreadTicks: UInt64,
        unknownPercent: Int
    ) {
        var random = SplitMix64(seed: seed)
        var store: [KVBytes: KVBytes] = [:]
        operations = []
        writtenValues = []
        for index in 0..<operationCount {
            let key = KVBytes("k\(Int.random(in: 0..<keyCount, using: &random))")
            let input = Self.randomInput(
                key: key, index: index, store: store, random: &random)
            let point = spreadTicks + 1 + UInt64(index) * 10
            let call = point - UInt64.random(in: 0...spreadTicks, using: &random)
            let returned = point + UInt64.random(in: 0...spreadTicks, using: &random)
            let unknown = Int.random(in: 0..<100, using: &random) < unknownPercent
            let applied = !unknown || Bool.random(using: &random)
            var output: KVOutput?
            if applied, let next = KVModel().step(store, input, nil) {
                output = Self.output(of: input, before: store)
                store = next
            }
            if case .put(_, let value) = input { writtenValues.insert(value) }
            if case .compareAndSwap(_, _, let new) = input { writtenValues.insert(new) }
            operations.append(
                KVOperation(
                    clientID: index % 8, input: input, call: call,
                    output: unknown ? nil : output, returnTime: unknown ? nil : returned))
        }
    }

    private static func randomInput(
        key: KVBytes, index: Int, store: [KVBytes: KVBytes], random: inout SplitMix64
    ) -> KVInput {
        let value = KVBytes("v\(index)")
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<30:
            return .put(key: key, value: value)
        case 30..<70:
            return .get(key: key)
        case 70..<92:
            // Mostly the current value (succeeds), sometimes absent or stale (fails).
            let expected: KVBytes? =
                Bool.random(using: &random) ? store[key] : (Bool.random(using: &random)
                    ? nil : KVBytes("v\(Int.random(in: 0...index, using: &random))"))
            return .compareAndSwap(key: key, expected: expected, new: value)
        default:
            return .delete(key: key)
        }
    }

    private static func output(of input: KVInput, before store: [KVBytes: KVBytes]) -> KVOutput {
        switch input {
        case .put, .delete: return .ok
        case .get(let key): return .value(store[key])
        case .compareAndSwap(let key, let expected, _): return .swapped(store[key] == expected)
        }
    }
}
