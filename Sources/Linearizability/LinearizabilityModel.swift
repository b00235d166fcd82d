/// A sequential specification that a concurrent history is checked against.
///
/// The model is pure: `step` takes a state and returns a new one, never touching clocks, I/O or
/// randomness, so the search can replay it from any saved state (Lowe, "Testing for
/// Linearizability", §3; Porcupine `model.go`).
///
/// States are compared with `==` and hashed with `Hashable`: the checker memoizes the pair
/// (set of linearized operations, state), so two equal states must behave identically.
public protocol LinearizabilityModel {
    /// The abstract state of the object (for a key-value store: the map's contents).
    associatedtype State: Hashable
    /// What a client asked for (for example `put(key, value)`).
    associatedtype Input
    /// What the client was told (for example the value a `get` returned).
    associatedtype Output
    /// The key that `partitionKey(of:)` groups operations by.
    associatedtype PartitionKey: Hashable = Int

    /// The state before any operation (an empty store).
    func initialState() -> State

    /// Applies `input` to `state` and returns the next state, or nil when `output` is impossible
    /// from `state`.
    ///
    /// `output == nil` means the outcome is unknown (the client timed out or the connection broke):
    /// the model must then accept the operation and return the state it would produce, whatever
    /// the client might have been told. For a deterministic operation that is simply its effect.
    func step(_ state: State, _ input: Input, _ output: Output?) -> State?

    /// The partition an operation belongs to, for P-compositionality (Horn & Kroening,
    /// arXiv:1504.00204): when every operation touches exactly one independent sub-object (one
    /// key), the history is linearizable iff each per-key sub-history is. Return nil when an
    /// operation may touch several partitions; the checker then checks the whole history as one
    /// partition. The default returns nil (no partitioning).
    func partitionKey(of input: Input) -> PartitionKey?

    /// True when the operation never changes the state (a read). Such operations with an unknown
    /// outcome constrain nothing and are dropped before the search, as etcd's robustness tests do
    /// (`tests/robustness/validate/validate.go`). The default is false.
    func isReadOnly(_ input: Input) -> Bool

    /// A one-line description of an operation for counterexamples; `output == nil` is unknown.
    func describe(_ input: Input, _ output: Output?) -> String

    /// A one-line description of a state for counterexamples.
    func describe(_ state: State) -> String
}

extension LinearizabilityModel {
    public func partitionKey(of input: Input) -> PartitionKey? { nil }

    public func isReadOnly(_ input: Input) -> Bool { false }

    public func describe(_ input: Input, _ output: Output?) -> String {
        let outputText = output.map { String(describing: $0) } ?? "?"
        return "\(input) -> \(outputText)"
    }

    public func describe(_ state: State) -> String { String(describing: state) }
}
