/// Checks that `history` is linearizable with respect to `model` (Herlihy & Wing 1990): that
/// every operation can be given a single point in time between its call and its return such that
/// the sequence of operations in point order is a legal run of the model.
///
/// Operations with an unknown outcome (`returnTime == nil`) may take effect at any point after
/// their call, or never: "never" is accepted because the search ends successfully once every
/// operation with a known response is placed, leaving unplaced unknown ones out (equivalent to
/// placing them after everything, where they affect nobody). Unknown-outcome operations whose
/// input is read-only (`model.isReadOnly`) are dropped up front.
///
/// The history is split with `model.partitionKey(of:)` and each partition checked alone; the
/// first non-linearizable partition (in order of first appearance) is reported.
///
/// Cost and limits: see `PartitionSearch` for the algorithm's complexity. Work is bounded by
/// `budget`: when it runs out the result is `.timedOut`, never a hang. Typical test histories
/// (a few thousand operations over tens of keys, a handful of clients) take a few steps per
/// operation; `CheckReport.modelSteps` from `checkLinearizableWithReport` shows the actual cost.
///
/// Preconditions (broken recorder invariants): every known `returnTime >= call`, and an
/// operation with unknown `returnTime` has no `output`.
public func checkLinearizable<M: LinearizabilityModel>(
    _ history: [Operation<M.Input, M.Output>], model: M, budget: CheckBudget = .standard
) -> CheckResult {
    checkLinearizableWithReport(history, model: model, budget: budget).result
}

/// `checkLinearizable`, also reporting the work done (to size a `CheckBudget`).
public func checkLinearizableWithReport<M: LinearizabilityModel>(
    _ history: [Operation<M.Input, M.Output>], model: M, budget: CheckBudget = .standard
) -> CheckReport {
    for (index, operation) in history.enumerated() {
        precondition(
            operation.returnTime != nil || operation.output == nil,
            "operation \(index) has an output but no return time")
    }
    let partitions = HistoryPartition.split(history, model: model)
    var meter = BudgetMeter(budget: budget)
    var result = CheckResult.linearizable
    for partition in partitions {
        let operations = partition.operationIndices.map { history[$0] }
        var search = PartitionSearch(model: model, operations: operations)
        switch search.run(meter: &meter) {
        case .linearizable:
            continue
        case .outOfBudget:
            result = .timedOut
        case .notLinearizable(let failure):
            let counterexample = Counterexample(
                model: model, partition: partition, operations: operations, failure: failure)
            result = .notLinearizable(counterexample: counterexample.text)
        }
        break
    }
    return CheckReport(
        result: result, modelSteps: meter.modelSteps,
        cachedConfigurationsPeak: meter.cachedConfigurationsPeak,
        partitionCount: partitions.count)
}
