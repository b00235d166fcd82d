/// The Wing & Gong linearizability search with Lowe's memoization over one partition, as in
/// Porcupine's `checker.go` (Lowe, "Testing for Linearizability", 2017, §4).
///
/// The search walks the entry list. At a call entry it tries to linearize that operation next
/// (`model.step`); if the model accepts and the resulting configuration is new (see
/// `ConfigurationCache`), it commits ("lifts" the operation) and restarts from the head. At a
/// return entry the operation returning there can no longer be placed later, so the last choice
/// is undone and the next candidate tried. An empty undo stack at a return entry means no
/// linearization exists.
///
/// Unknown outcomes: an operation without a response has no return entry (its return is at
/// +infinity). The search succeeds as soon as every operation with a known response is
/// linearized; an unknown-outcome operation still pending then is taken never to have happened,
/// which observes the same as linearizing it after everything else (it affects nobody). Until
/// then it is a candidate at every point after its call, so it may take effect at any time.
/// Candidates are tried in call order. (Trying known outcomes first made refutations cheaper
/// but linearizable histories, the common case, far costlier, as measured on random histories.)
///
/// Complexity: each committed configuration is new, so work is at most (distinct configurations)
/// x (candidates per configuration) model steps. With c operations concurrent at any moment and
/// u unknown-outcome operations pending, configurations are O(n * 2^(c+u) * states) in the worst
/// case, which is why `CheckBudget` exists. Measured (release build, random KV histories of 4000
/// operations over 20 keys, ~10-20 operations in flight, 5-30% of writes with unknown outcome):
/// linearizable histories take ~1.5-4 steps per operation and under 50 ms. Refuting a history is
/// the expensive direction: every unknown-outcome operation stays a candidate until the end, so
/// with tens of them pending in one partition a refutation can exhaust the budget (`.timedOut`).
struct PartitionSearch<M: LinearizabilityModel> {
    enum Outcome {
        case linearizable
        case notLinearizable(SearchFailure<M.State>)
        case outOfBudget
    }

    private struct Frame {
        var callEntry: Int
        var stateBefore: M.State
    }

    private enum Attempt { case lifted, rejected, outOfBudget }

    private let model: M
    private let operations: [Operation<M.Input, M.Output>]
    private var list: EntryList
    private var knownLinearized: LinearizedSet
    private var unknownLinearized: LinearizedSet
    private var state: M.State
    private var cache = ConfigurationCache<M.State>()
    private var stack: [Frame] = []
    private var knownOutcomesUnplaced: Int
    private var longest: SearchFailure<M.State>?

    init(model: M, operations: [Operation<M.Input, M.Output>]) {
        self.model = model
        self.operations = operations
        list = EntryList(
            callTimes: operations.map(\.call), returnTimes: operations.map(\.returnTime))
        knownLinearized = LinearizedSet(capacity: operations.count)
        unknownLinearized = LinearizedSet(capacity: operations.count)
        state = model.initialState()
        knownOutcomesUnplaced = operations.count { !$0.hasUnknownOutcome }
    }

    /// Runs the search to a verdict or until `meter` runs out.
    mutating func run(meter: inout BudgetMeter) -> Outcome {
        var entry = list.first
        while knownOutcomesUnplaced > 0 {
            precondition(entry != list.tail, "a known return entry must precede the tail")
            if list.isCall(entry) {
                switch attemptLift(entry, meter: &meter) {
                case .lifted: entry = list.first
                case .rejected: entry = list.next[entry]
                case .outOfBudget: return .outOfBudget
                }
            } else {
                recordIfLongest(blockedAt: entry)
                guard let frame = stack.popLast() else {
                    guard let longest else { preconditionFailure("a dead end was just recorded") }
                    return .notLinearizable(longest)
                }
                undo(frame)
                entry = list.next[frame.callEntry]
            }
        }
        return .linearizable
    }

    /// Tries to linearize the operation of `callEntry` next.
    private mutating func attemptLift(_ callEntry: Int, meter: inout BudgetMeter) -> Attempt {
        let index = list.operationIndex[callEntry]
        let operation = operations[index]
        guard meter.spendModelStep() else { return .outOfBudget }
        guard let nextState = model.step(state, operation.input, operation.output) else {
            return .rejected
        }
        let unknown = operation.hasUnknownOutcome
        if unknown { unknownLinearized.insert(index) } else { knownLinearized.insert(index) }
        guard
            cache.insertIfNew(known: knownLinearized, unknown: unknownLinearized, state: nextState)
        else {
            // Explored before without success: the same or a smaller future is ahead of us.
            if unknown { unknownLinearized.remove(index) } else { knownLinearized.remove(index) }
            return .rejected
        }
        guard meter.noteCachedConfigurations(cache.count) else { return .outOfBudget }
        stack.append(Frame(callEntry: callEntry, stateBefore: state))
        state = nextState
        list.lift(callEntry)
        if !unknown { knownOutcomesUnplaced -= 1 }
        return .lifted
    }

    private mutating func undo(_ frame: Frame) {
        let index = list.operationIndex[frame.callEntry]
        list.unlift(frame.callEntry)
        state = frame.stateBefore
        if operations[index].hasUnknownOutcome {
            unknownLinearized.remove(index)
        } else {
            knownLinearized.remove(index)
            knownOutcomesUnplaced += 1
        }
    }

    /// Keeps the deepest dead end for the counterexample (Porcupine's "longest linearizable
    /// prefix", `CheckOperationsVerbose`).
    private mutating func recordIfLongest(blockedAt returnEntry: Int) {
        if let longest, longest.prefix.count >= stack.count { return }
        var candidates: [Int] = []
        var entry = list.first
        while entry != returnEntry {
            if list.isCall(entry) { candidates.append(list.operationIndex[entry]) }
            entry = list.next[entry]
        }
        let prefix = stack.map { list.operationIndex[$0.callEntry] }
        let statesAfter = stack.dropFirst().map(\.stateBefore) + (stack.isEmpty ? [] : [state])
        longest = SearchFailure(
            prefix: prefix, statesAfter: statesAfter, finalState: state,
            candidates: candidates, blocking: list.operationIndex[returnEntry])
    }
}
