import Testing
@testable import RaftSimulation

@Suite("Raft simulation: clean runs and replay")
struct SimulationRunTests {
    @Test("""
        30 seeds x 3 nodes and 20 seeds x 5 nodes keep every Raft property, liveness and \
        linearizability (reliability.md §3.3)
        """)
    func cleanBatchHasNoViolations() {
        var runs: [(seed: UInt64, nodes: Int)] = []
        runs += (1...30).map { (UInt64($0), 3) }
        runs += (1...20).map { (UInt64($0), 5) }
        for run in runs {
            let options = SimulationOptions(seed: run.seed, nodeCount: run.nodes, ticks: 2_000)
            let result = Simulation.run(options)
            #expect(result.passed, "\(result.report)")
            #expect(result.stats.operationsCompleted > 0, "seed \(run.seed) ran no workload")
        }
    }

    @Test("one seed replays byte for byte: equal options give equal trace digests")
    func sameSeedSameTrace() {
        let options = SimulationOptions(seed: 7, nodeCount: 5, ticks: 1_500, digestsTrace: true)
        let first = Simulation.run(options)
        let second = Simulation.run(options)
        #expect(first.traceDigest == second.traceDigest)
        #expect(first.stats == second.stats)
        #expect(first.lastEvents == second.lastEvents)
        var other = options
        other.seed = 8
        #expect(Simulation.run(other).traceDigest != first.traceDigest)
    }

    @Test("""
        a run exercises crashes, elections, membership changes, transfers and clients, \
        whose writes also go through followers (thesis §6.2)
        """)
    func runsExerciseTheFaults() {
        var total = SimulationStats()
        for seed in UInt64(1)...6 {
            let stats = Simulation.run(SimulationOptions(seed: seed, ticks: 2_000)).stats
            total.crashes += stats.crashes
            total.elections += stats.elections
            total.membershipChanges += stats.membershipChanges
            total.transfers += stats.transfers
            total.writesForwarded += stats.writesForwarded
            total.messagesDropped += stats.messagesDropped
            total.operationsCompleted += stats.operationsCompleted
        }
        #expect(total.crashes > 0)
        #expect(total.elections > 6)
        #expect(total.membershipChanges > 0)
        #expect(total.transfers > 0)
        #expect(total.writesForwarded > 0)
        #expect(total.messagesDropped > 0)
        #expect(total.operationsCompleted > 100)
    }

    @Test("the replay command names the seed, node count, ticks and planted bugs")
    func replayCommandIsComplete() {
        let options = SimulationOptions(
            seed: 42, nodeCount: 3, ticks: 900, plantedBugs: [.commitWithoutQuorum])
        let result = SimulationResult(
            options: options, violations: [], lastEvents: [], traceDigest: 0,
            stats: SimulationStats())
        #expect(result.replayCommand
            == "swift run -c release raft-sim --seed 42 --nodes 3 --ticks 900 "
            + "--plant commitWithoutQuorum")
    }
}
