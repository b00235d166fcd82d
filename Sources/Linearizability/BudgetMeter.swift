/// Counts work against a `CheckBudget` across all partitions of one check.
struct BudgetMeter {
    let budget: CheckBudget
    private(set) var modelSteps = 0
    private(set) var cachedConfigurationsPeak = 0

    init(budget: CheckBudget) {
        self.budget = budget
    }

    /// Accounts for one model step; false when the budget is already spent.
    mutating func spendModelStep() -> Bool {
        guard modelSteps < budget.modelStepsMax else { return false }
        modelSteps += 1
        return true
    }

    /// Records a partition's cache size; false when it exceeds the budget.
    mutating func noteCachedConfigurations(_ count: Int) -> Bool {
        cachedConfigurationsPeak = max(cachedConfigurationsPeak, count)
        return count <= budget.cachedConfigurationsMax
    }
}
