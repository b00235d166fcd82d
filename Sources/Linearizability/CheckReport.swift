/// A verdict plus the work it took, from `checkLinearizableWithReport`; used to size budgets.
public struct CheckReport: Sendable, Equatable {
    /// The verdict.
    public var result: CheckResult
    /// Calls made to `LinearizabilityModel.step`, over all partitions checked.
    public var modelSteps: Int
    /// The largest memo cache of any one partition, in configurations.
    public var cachedConfigurationsPeak: Int
    /// Partitions the history was split into (1 when the model does not partition).
    public var partitionCount: Int

    public init(
        result: CheckResult, modelSteps: Int, cachedConfigurationsPeak: Int, partitionCount: Int
    ) {
        self.result = result
        self.modelSteps = modelSteps
        self.cachedConfigurationsPeak = cachedConfigurationsPeak
        self.partitionCount = partitionCount
    }
}
