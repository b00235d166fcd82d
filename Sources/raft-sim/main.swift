#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RaftSimulation

// raft-sim: runs the deterministic Raft simulator over many seeds, or replays one.
// Ends with "N seeds, V violations" (V = seeds that found a violation); exits 1 if V > 0.

let arguments: SimArguments
do {
    arguments = try SimArguments.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    switch error {
    case .bad(let message): print("raft-sim: \(message)\n\(SimArguments.usage)")
    }
    exit(2)
}

func runOne(_ options: SimulationOptions, printsTrace: Bool) -> SimulationResult {
    guard printsTrace else { return Simulation.run(options) }
    return Simulation.run(options) { event in print("  \(event)") }
}

var failedSeeds = 0
var seedCount = 0
if let seed = arguments.replaySeed {
    let result = runOne(arguments.options(seed: seed), printsTrace: arguments.printsTrace)
    seedCount = 1
    if result.passed {
        print("seed \(seed): ok (\(result.stats))")
    } else {
        failedSeeds = 1
        print(result.report)
    }
    let digest = String(result.traceDigest, radix: 16)
    print("trace digest \(digest)")
} else {
    for offset in 0..<UInt64(arguments.seedCount) {
        let result = runOne(
            arguments.options(seed: arguments.startSeed + offset), printsTrace: false)
        seedCount += 1
        if !result.passed {
            failedSeeds += 1
            print(result.report)
        }
    }
}
print("\(seedCount) seeds, \(failedSeeds) violations")
exit(failedSeeds == 0 ? 0 : 1)
