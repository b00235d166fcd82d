/// What one simulation run does. Everything else (fault rates, phases, client count, the
/// schedule) is drawn from `seed`, so `seed` plus these options replay a run exactly.
public struct SimulationOptions: Sendable, Equatable {
    /// The one source of randomness of the run.
    public var seed: UInt64
    /// Initial voters: 3 or 5. Nil lets the seed choose (odd seeds 5, even seeds 3).
    public var nodeCount: Int?
    /// Length of the run in ticks, healing phase included.
    public var ticks: Int
    /// Deliberate bugs to plant (`RaftConfig.testingFaults`, and harness-side ones).
    public var plantedBugs: [PlantedBug]
    /// Events kept for the trace printed with a violation (the last K).
    public var traceCapacity: Int
    /// Hash every event into `SimulationResult.traceDigest` (the replay check); off by
    /// default because formatting every event is slow in debug builds.
    public var digestsTrace: Bool

    /// Ticks at the end of the run with every fault off and every node up.
    public var healTicks: Int { max(ticks / 4, SimulationOptions.healTicksMin) }

    /// The healing phase must fit an election and a request round even in short runs.
    public static let healTicksMin = 300
    /// The shortest run accepted: some faults plus a healing phase.
    public static let ticksMin = 600

    public init(
        seed: UInt64, nodeCount: Int? = nil, ticks: Int = 3_000, plantedBugs: [PlantedBug] = [],
        traceCapacity: Int = 200, digestsTrace: Bool = false
    ) {
        precondition(nodeCount == nil || nodeCount == 3 || nodeCount == 5,
                     "nodeCount must be 3 or 5")
        precondition(ticks >= SimulationOptions.ticksMin && ticks <= SimulationLimits.ticksMax,
                     "ticks out of range")
        precondition(traceCapacity > 0 && traceCapacity <= SimulationLimits.traceEventsMax,
                     "traceCapacity out of range")
        self.seed = seed
        self.nodeCount = nodeCount
        self.ticks = ticks
        self.plantedBugs = plantedBugs
        self.traceCapacity = traceCapacity
        self.digestsTrace = digestsTrace
    }

    /// The initial voter count this run uses.
    public var resolvedNodeCount: Int { nodeCount ?? (seed % 2 == 1 ? 5 : 3) }

    /// Whether `bug` is planted in this run.
    public func plants(_ bug: PlantedBug) -> Bool { plantedBugs.contains(bug) }
}
