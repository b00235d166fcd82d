/// The verdict of `checkLinearizable`.
public enum CheckResult: Sendable, Equatable {
    /// Every partition of the history has a linearization.
    case linearizable
    /// Some partition has none. `counterexample` names the partition, the longest linearizable
    /// prefix found, and the operations that could not be placed after it.
    case notLinearizable(counterexample: String)
    /// The `CheckBudget` ran out before a verdict: the history is neither proven nor refuted.
    case timedOut
}
