/// What one run found.
public struct SimulationResult: Sendable {
    public var options: SimulationOptions
    /// Empty when every property held.
    public var violations: [Violation]
    /// The last `options.traceCapacity` events before the run stopped.
    public var lastEvents: [TraceEvent]
    /// FNV-1a of every event of the run when `options.digestsTrace`; equal digests for equal
    /// options is the replay guarantee.
    public var traceDigest: UInt64
    public var stats: SimulationStats

    public var passed: Bool { violations.isEmpty }

    /// The command line that replays this run.
    public var replayCommand: String {
        var command = "swift run -c release raft-sim --seed \(options.seed) "
            + "--nodes \(options.resolvedNodeCount) --ticks \(options.ticks)"
        for bug in options.plantedBugs { command += " --plant \(bug.rawValue)" }
        return command
    }

    /// The seed, the violations and the trace, for a human.
    public var report: String {
        var lines = ["seed \(options.seed) (nodes \(options.resolvedNodeCount), "
            + "ticks \(options.ticks)): \(violations.count) violation(s)"]
        lines += violations.map { "  \($0)" }
        lines.append("  stats: \(stats)")
        lines.append("  last \(lastEvents.count) events:")
        lines += lastEvents.map { "    \($0)" }
        lines.append("  replay: \(replayCommand)")
        return lines.joined(separator: "\n")
    }
}

/// Counters of one run, to see what a seed exercised.
public struct SimulationStats: Sendable, Equatable, CustomStringConvertible {
    public var ticksRun = 0
    public var messagesDelivered = 0
    public var messagesDropped = 0
    public var crashes = 0
    public var elections = 0
    public var membershipChanges = 0
    public var transfers = 0
    /// Client writes a follower forwarded to its leader (thesis §6.2).
    public var writesForwarded = 0
    public var entriesCommitted = 0
    public var operationsCompleted = 0
    public var operationsUnknown = 0

    public var description: String {
        "ticks \(ticksRun), delivered \(messagesDelivered), dropped \(messagesDropped), "
            + "crashes \(crashes), leaders \(elections), conf changes \(membershipChanges), "
            + "transfers \(transfers), forwarded \(writesForwarded), "
            + "committed \(entriesCommitted), ops \(operationsCompleted) ok + "
            + "\(operationsUnknown) unknown"
    }
}
