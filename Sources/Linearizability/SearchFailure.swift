/// Where the search of one partition got furthest before proving that no linearization exists.
struct SearchFailure<State> {
    /// Partition-local indices of the longest linearizable prefix found, in linearization order.
    var prefix: [Int]
    /// The model state after each operation of `prefix`.
    var statesAfter: [State]
    /// The state after the whole prefix (the initial state when the prefix is empty).
    var finalState: State
    /// Operations invoked before `blocking` returned that were still unplaced after the prefix:
    /// the only candidates for the next linearization point, none of which led anywhere.
    var candidates: [Int]
    /// The operation whose response time closed the window: it had to be placed by then.
    var blocking: Int
}
