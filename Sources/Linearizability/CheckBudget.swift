/// Work limits for one `checkLinearizable` call, so a CI run never hangs: linearizability
/// checking is NP-complete (Gibbons & Korach 1997), and a few adversarial histories (many
/// concurrent writes followed by an impossible read) make the search exponential.
///
/// Limits are counted, not timed, so a verdict is reproducible from the same history on any
/// machine.
public struct CheckBudget: Sendable, Equatable {
    /// Most calls to `LinearizabilityModel.step`, summed over all partitions. One step is one
    /// attempt to linearize one operation; release builds do a few million per second.
    public var modelStepsMax: Int
    /// Most memoized (linearized set, state) configurations held for one partition. Each costs
    /// about 64 bytes plus one bit per operation of the partition plus the state, so this bounds
    /// the checker's memory.
    public var cachedConfigurationsMax: Int

    public init(modelStepsMax: Int, cachedConfigurationsMax: Int) {
        precondition(modelStepsMax >= 0, "modelStepsMax must not be negative")
        precondition(cachedConfigurationsMax >= 0, "cachedConfigurationsMax must not be negative")
        self.modelStepsMax = modelStepsMax
        self.cachedConfigurationsMax = cachedConfigurationsMax
    }

    /// Generous for test histories (thousands of operations check in well under a million
    /// steps) while bounding a pathological search to seconds and a few hundred megabytes.
    public static let standard = CheckBudget(
        modelStepsMax: 10_000_000, cachedConfigurationsMax: 1_000_000)
}
