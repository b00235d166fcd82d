import Linearizability

/// Shorthands that make test histories read like the diagrams in the literature:
/// `put("x", "1", client: 1, 0...10)` is client 1 writing x=1, called at 0, returning at 10.
typealias KVOperation = Operation<KVInput, KVOutput>

func put(_ key: KVBytes, _ value: KVBytes, client: Int, _ interval: ClosedRange<UInt64>)
    -> KVOperation
{
    KVOperation(
        clientID: client, input: .put(key: key, value: value), call: interval.lowerBound,
        output: .ok, returnTime: interval.upperBound)
}

/// A put whose client never learnt the outcome (timed out), called at `call`.
func putUnknown(_ key: KVBytes, _ value: KVBytes, client: Int, calledAt call: UInt64)
    -> KVOperation
{
    KVOperation(
        clientID: client, input: .put(key: key, value: value), call: call, output: nil,
        returnTime: nil)
}

func get(_ key: KVBytes, _ value: KVBytes?, client: Int, _ interval: ClosedRange<UInt64>)
    -> KVOperation
{
    KVOperation(
        clientID: client, input: .get(key: key), call: interval.lowerBound,
        output: .value(value), returnTime: interval.upperBound)
}

func cas(
    _ key: KVBytes, expected: KVBytes?, new: KVBytes, swapped: Bool, client: Int,
    _ interval: ClosedRange<UInt64>
) -> KVOperation {
    KVOperation(
        clientID: client, input: .compareAndSwap(key: key, expected: expected, new: new),
        call: interval.lowerBound, output: .swapped(swapped), returnTime: interval.upperBound)
}

func casUnknown(
    _ key: KVBytes, expected: KVBytes?, new: KVBytes, client: Int, calledAt call: UInt64
) -> KVOperation {
    KVOperation(
        clientID: client, input: .compareAndSwap(key: key, expected: expected, new: new),
        call: call, output: nil, returnTime: nil)
}

func delete(_ key: KVBytes, client: Int, _ interval: ClosedRange<UInt64>) -> KVOperation {
    KVOperation(
        clientID: client, input: .delete(key: key), call: interval.lowerBound, output: .ok,
        returnTime: interval.upperBound)
}

func check(_ history: [KVOperation]) -> CheckResult {
    checkLinearizable(history, model: KVModel(), budget: .standard)
}

extension CheckResult {
    var isNotLinearizable: Bool {
        if case .notLinearizable = self { return true }
        return false
    }

    var counterexample: String {
        if case .notLinearizable(let text) = self { return text }
        return ""
    }
}
