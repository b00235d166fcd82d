/// A single-key request of the key-value workload run by the simulator and the real-process
/// tests (the operations etcd's robustness traffic and Jepsen's register workload use).
public enum KVInput: Hashable, Sendable {
    /// Sets `key` to `value`; answers `.ok`.
    case put(key: KVBytes, value: KVBytes)
    /// Reads `key`; answers `.value(current)` (nil when absent).
    case get(key: KVBytes)
    /// Sets `key` to `new` iff its current value equals `expected` (nil: iff the key is absent);
    /// answers `.swapped(true)` when it did, `.swapped(false)` when it did not.
    case compareAndSwap(key: KVBytes, expected: KVBytes?, new: KVBytes)
    /// Removes `key` (absent or not); answers `.ok`.
    case delete(key: KVBytes)

    /// The one key the request touches.
    public var key: KVBytes {
        switch self {
        case .put(let key, _), .get(let key), .compareAndSwap(let key, _, _), .delete(let key):
            return key
        }
    }
}
