import Testing
@testable import RaftSimulation

/// The simulator must be able to fail: each planted bug (RaftConfig.testingFaults) is
/// caught within a stated number of seeds, by the property it breaks.
@Suite("Raft simulation: planted bugs are caught")
struct PlantedBugTests {
    /// Runs seeds 1, 2, ... with `bug` planted; returns the first failing result.
    private func firstCatch(_ bug: PlantedBug, withinSeeds limit: Int) -> SimulationResult? {
        for seed in 1...UInt64(limit) {
            let result = Simulation.run(SimulationOptions(seed: seed, plantedBugs: [bug]))
            if !result.passed { return result }
        }
        return nil
    }

    @Test("commit without quorum (§5.3 broken) is caught within 5 seeds")
    func commitWithoutQuorum() throws {
        let result = try #require(firstCatch(.commitWithoutQuorum, withinSeeds: 5))
        let kinds: [Violation.Kind] = [
            .leaderCompleteness, .stateMachineSafety, .linearizability, .logMatching,
        ]
        #expect(kinds.contains(result.violations[0].kind), "\(result.report)")
    }

    @Test("forgetting the vote on restart (Figure 2 broken) is caught within 50 seeds")
    func forgetVoteOnRestart() throws {
        let result = try #require(firstCatch(.forgetVoteOnRestart, withinSeeds: 50))
        #expect(result.violations[0].kind == .electionSafety, "\(result.report)")
    }

    /// The window is a new leader's first round trip; since leaders send before their own
    /// fsync (as the server does) it is shorter, and the first catch moved to seed 58.
    @Test("ReadIndex before the no-op commits (thesis §6.4 step 1) is caught within 100 seeds")
    func serveReadIndexBeforeNoOpCommit() throws {
        let result = try #require(firstCatch(.serveReadIndexBeforeNoOpCommit, withinSeeds: 100))
        #expect(result.violations[0].kind == .linearizability, "\(result.report)")
    }

    @Test("ReadIndex without a heartbeat quorum (thesis §6.4 step 3) is caught within 20 seeds")
    func serveReadIndexWithoutQuorum() throws {
        let result = try #require(firstCatch(.serveReadIndexWithoutQuorum, withinSeeds: 20))
        #expect(result.violations[0].kind == .linearizability, "\(result.report)")
    }

    @Test("a violation's report carries the seed, the trace and the replay command")
    func violationReportIsReadable() throws {
        let result = try #require(firstCatch(.commitWithoutQuorum, withinSeeds: 5))
        #expect(result.report.contains("seed \(result.options.seed)"))
        #expect(result.report.contains("--plant commitWithoutQuorum"))
        #expect(result.lastEvents.count == result.options.traceCapacity)
        let replay = Simulation.run(result.options)
        #expect(replay.violations == result.violations)
    }
}
