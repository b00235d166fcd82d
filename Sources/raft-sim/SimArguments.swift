import RaftSimulation

/// The `raft-sim` command line.
struct SimArguments {
    var seedCount = 100
    var startSeed: UInt64 = 1
    /// `--seed S`: replay one seed (with its digest).
    var replaySeed: UInt64?
    var nodeCount: Int?
    var ticks = 3_000
    var plantedBugs: [PlantedBug] = []
    /// Print every event of the run as it happens (use with `--seed`).
    var printsTrace = false
    var traceCapacity = 200

    private static let bugNames = PlantedBug.allCases.map(\.rawValue).joined(separator: ", ")

    static let usage = """
        usage: raft-sim [--seeds N] [--start S] [--nodes 3|5] [--ticks T] [--plant BUG]...
               raft-sim --seed S [--nodes 3|5] [--ticks T] [--plant BUG]... [--trace]
          --seeds N         run N seeds (default 100) starting at --start (default 1)
          --seed S          replay seed S exactly; --trace prints every event
          --nodes 3|5       initial voters (default: odd seeds 5, even seeds 3)
          --ticks T         ticks per seed, healing included (default 3000)
          --plant BUG       plant a bug: \(bugNames)
          --trace-events K  events printed with a violation (default 200)
        """

    enum ParseError: Error {
        case bad(String)
    }

    static func parse(_ arguments: [String]) throws(ParseError) -> SimArguments {
        var result = SimArguments()
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            if flag == "--trace" {
                result.printsTrace = true
                continue
            }
            guard let value = remaining.popFirst() else { throw .bad("\(flag) needs a value") }
            switch flag {
            case "--seeds": result.seedCount = try number(value, flag, in: 1...100_000_000)
            case "--start": result.startSeed = UInt64(try number(value, flag, in: 0...Int.max))
            case "--seed": result.replaySeed = UInt64(try number(value, flag, in: 0...Int.max))
            case "--nodes":
                let count = try number(value, flag, in: 3...5)
                guard count == 3 || count == 5 else { throw .bad("--nodes must be 3 or 5") }
                result.nodeCount = count
            case "--ticks":
                result.ticks = try number(
                    value, flag, in: SimulationOptions.ticksMin...SimulationLimits.ticksMax)
            case "--trace-events":
                result.traceCapacity = try number(
                    value, flag, in: 1...SimulationLimits.traceEventsMax)
            case "--plant":
                guard let bug = PlantedBug(rawValue: value) else {
                    throw .bad("unknown bug \(value)")
                }
                result.plantedBugs.append(bug)
            default:
                throw .bad("unknown option \(flag)")
            }
        }
        return result
    }

    private static func number(_ text: String, _ flag: String,
                               in range: ClosedRange<Int>) throws(ParseError) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw .bad("\(flag) expects an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func options(seed: UInt64) -> SimulationOptions {
        SimulationOptions(
            seed: seed, nodeCount: nodeCount, ticks: ticks, plantedBugs: plantedBugs,
            traceCapacity: traceCapacity, digestsTrace: replaySeed != nil)
    }
}
