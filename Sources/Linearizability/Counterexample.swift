/// Renders a `SearchFailure` as readable text: which partition, the longest linearizable prefix
/// with the state after each step, and the operations that could not be placed after it.
struct Counterexample<M: LinearizabilityModel> {
    let model: M
    let partition: HistoryPartition
    let operations: [Operation<M.Input, M.Output>]
    let failure: SearchFailure<M.State>

    var text: String {
        let unknownCount = operations.count { $0.hasUnknownOutcome }
        var lines = [
            "not linearizable: \(partition.name) has no linearization"
                + " (\(operations.count) operations, \(unknownCount) with unknown outcome)",
            "initial state: \(model.describe(model.initialState()))",
            "longest linearizable prefix (\(failure.prefix.count) of \(operations.count)):",
        ]
        for (position, index) in failure.prefix.enumerated() {
            let after = model.describe(failure.statesAfter[position])
            lines.append("  \(position + 1). \(describe(index))  => \(after)")
        }
        lines.append("state after the prefix: \(model.describe(failure.finalState))")
        lines.append("operations that could not be placed next:")
        for index in failure.candidates {
            lines.append("  \(describe(index)): \(verdict(index))")
        }
        lines.append(
            "\(describe(failure.blocking)) returned, so it had to take effect by then")
        return lines.joined(separator: "\n")
    }

    /// "op#12 client 3 [40, 55] put(...) -> ok", numbered by position in the full history.
    private func describe(_ index: Int) -> String {
        let operation = operations[index]
        let returned = operation.returnTime.map { "\($0)]" } ?? "+inf)"
        let historyIndex = partition.operationIndices[index]
        let described = model.describe(operation.input, operation.output)
        return "op#\(historyIndex) client \(operation.clientID)"
            + " [\(operation.call), \(returned) \(described)"
    }

    private func verdict(_ index: Int) -> String {
        let operation = operations[index]
        if model.step(failure.finalState, operation.input, operation.output) == nil {
            return "impossible in that state"
        }
        return "possible in that state, but no linearization continues from it"
    }
}
