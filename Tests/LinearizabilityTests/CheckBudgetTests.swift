import Linearizability
import Testing

@Suite("The check budget bounds work and returns timedOut instead of hanging")
struct CheckBudgetTests {
    /// n writes of distinct values all concurrent, then a read of a value nobody wrote: a
    /// refutation must try every order of the writes (n * 2^(n-1) configurations).
    static func adversarial(writers: Int) -> [KVOperation] {
        var history = (0..<writers).map { put("x", KVBytes("\($0)"), client: $0, 0...100) }
        history.append(get("x", "never", client: writers, 200...210))
        return history
    }

    @Test("an exponential refutation stops at the step limit with timedOut")
    func exponentialSearchTimesOut() {
        let budget = CheckBudget(modelStepsMax: 5_000, cachedConfigurationsMax: 1_000_000)
        let report = checkLinearizableWithReport(
            Self.adversarial(writers: 20), model: KVModel(), budget: budget)
        #expect(report.result == .timedOut)
        #expect(report.modelSteps == 5_000)
    }

    @Test("an exponential refutation stops at the cache limit with timedOut")
    func cacheLimitTimesOut() {
        let budget = CheckBudget(modelStepsMax: 10_000_000, cachedConfigurationsMax: 1_000)
        let report = checkLinearizableWithReport(
            Self.adversarial(writers: 20), model: KVModel(), budget: budget)
        #expect(report.result == .timedOut)
        #expect(report.cachedConfigurationsPeak == 1_001)
    }

    @Test("the same search with enough budget refutes the history")
    func enoughBudgetRefutes() {
        let report = checkLinearizableWithReport(
            Self.adversarial(writers: 6), model: KVModel(), budget: .standard)
        #expect(report.result.isNotLinearizable)
    }

    @Test("a budget of exactly the steps needed suffices; one step less times out")
    func stepLimitIsExact() {
        let history = Self.adversarial(writers: 6)
        let needed = checkLinearizableWithReport(history, model: KVModel(), budget: .standard)
        let exact = CheckBudget(modelStepsMax: needed.modelSteps, cachedConfigurationsMax: 1 << 20)
        let short = CheckBudget(
            modelStepsMax: needed.modelSteps - 1, cachedConfigurationsMax: 1 << 20)
        #expect(checkLinearizable(history, model: KVModel(), budget: exact).isNotLinearizable)
        #expect(checkLinearizable(history, model: KVModel(), budget: short) == .timedOut)
    }

    @Test("a cache limit of exactly the peak suffices; one configuration less times out")
    func cacheLimitIsExact() {
        let history = Self.adversarial(writers: 6)
        let needed = checkLinearizableWithReport(history, model: KVModel(), budget: .standard)
        let peak = needed.cachedConfigurationsPeak
        let exact = CheckBudget(modelStepsMax: 1 << 30, cachedConfigurationsMax: peak)
        let short = CheckBudget(modelStepsMax: 1 << 30, cachedConfigurationsMax: peak - 1)
        #expect(checkLinearizable(history, model: KVModel(), budget: exact).isNotLinearizable)
        #expect(checkLinearizable(history, model: KVModel(), budget: short) == .timedOut)
    }

    @Test("the step budget is shared by all partitions of one check")
    func budgetSpansPartitions() {
        let history = (0..<10).map { put(KVBytes("k\($0)"), "v", client: $0, 0...10) }
        let tight = CheckBudget(modelStepsMax: 9, cachedConfigurationsMax: 100)
        let enough = CheckBudget(modelStepsMax: 10, cachedConfigurationsMax: 100)
        #expect(checkLinearizable(history, model: KVModel(), budget: tight) == .timedOut)
        #expect(checkLinearizable(history, model: KVModel(), budget: enough) == .linearizable)
    }

    @Test("an empty history needs no budget at all")
    func emptyHistoryNeedsNothing() {
        let none = CheckBudget(modelStepsMax: 0, cachedConfigurationsMax: 0)
        #expect(checkLinearizable([], model: KVModel(), budget: none) == .linearizable)
    }
}
