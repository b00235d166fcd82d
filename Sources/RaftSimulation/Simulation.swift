/// Deterministic simulation of a Raft cluster (reliability.md §3): N nodes in one process,
/// virtual time, a simulated network and disk, clients running a key-value workload, and the
/// Raft safety properties, liveness after healing and linearizability checked.
public enum Simulation {
    /// Runs one seed. Equal options give equal results, event for event.
    public static func run(
        _ options: SimulationOptions, traceSink: (@Sendable (TraceEvent) -> Void)? = nil
    ) -> SimulationResult {
        var run = SimulationRun(options: options, traceSink: traceSink)
        return run.execute()
    }

    /// Runs `count` seeds from `firstSeed`; `options.seed` is ignored.
    public static func runSeeds(
        _ count: Int, from firstSeed: UInt64, options: SimulationOptions
    ) -> [SimulationResult] {
        (0..<UInt64(count)).map { offset in
            var seeded = options
            seeded.seed = firstSeed + offset
            return run(seeded)
        }
    }
}
