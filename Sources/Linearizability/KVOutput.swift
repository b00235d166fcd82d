/// What a client was told in answer to a `KVInput`.
public enum KVOutput: Hashable, Sendable, CustomStringConvertible {
    /// A `put` or `delete` succeeded.
    case ok
    /// A `get` returned this value, nil when the key was absent.
    case value(KVBytes?)
    /// A `compareAndSwap` did (true) or did not (false) swap.
    case swapped(Bool)

    public var description: String {
        switch self {
        case .ok: return "ok"
        case .value(let value): return value.map(\.description) ?? "absent"
        case .swapped(let swapped): return swapped ? "swapped" : "not swapped"
        }
    }
}
