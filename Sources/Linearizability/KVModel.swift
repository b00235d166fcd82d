/// The sequential specification of a key-value map with put, get, compare-and-swap and delete,
/// partitioned by key: each operation touches one key, so per-key sub-histories are checked
/// independently (P-compositionality, Horn & Kroening arXiv:1504.00204).
///
/// Not suitable for operations that observe a global revision counter (etcd's model has no
/// partition function for that reason; see reliability.md §4.1): check those with a model whose
/// `partitionKey(of:)` returns nil.
public struct KVModel: LinearizabilityModel {
    public typealias State = [KVBytes: KVBytes]
    public typealias Input = KVInput
    public typealias Output = KVOutput

    public init() {}

    public func initialState() -> State { [:] }

    public func step(_ state: State, _ input: KVInput, _ output: KVOutput?) -> State? {
        switch input {
        case .put(let key, let value):
            guard output == nil || output == .ok else { return nil }
            var next = state
            next[key] = value
            return next
        case .get(let key):
            guard let output else { return state }
            return output == .value(state[key]) ? state : nil
        case .compareAndSwap(let key, let expected, let new):
            let swaps = state[key] == expected
            guard output == nil || output == .swapped(swaps) else { return nil }
            guard swaps else { return state }
            var next = state
            next[key] = new
            return next
        case .delete(let key):
            guard output == nil || output == .ok else { return nil }
            var next = state
            next[key] = nil
            return next
        }
    }

    public func partitionKey(of input: KVInput) -> KVBytes? { input.key }

    public func isReadOnly(_ input: KVInput) -> Bool {
        if case .get = input { return true }
        return false
    }

    public func describe(_ input: KVInput, _ output: KVOutput?) -> String {
        let outputText = output?.description ?? "?"
        switch input {
        case .put(let key, let value):
            return "put(\(key), \(value)) -> \(outputText)"
        case .get(let key):
            return "get(\(key)) -> \(outputText)"
        case .compareAndSwap(let key, let expected, let new):
            let expectedText = expected?.description ?? "absent"
            return "cas(\(key), expected: \(expectedText), new: \(new)) -> \(outputText)"
        case .delete(let key):
            return "delete(\(key)) -> \(outputText)"
        }
    }

    public func describe(_ state: State) -> String {
        let pairs = state.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        return "{" + pairs.joined(separator: ", ") + "}"
    }
}
