import Linearizability
import Raft

/// The state of one run. The main loop is `execute()`; the pieces live in extensions:
/// `+Ready` (a node's Ready handling), `+Faults` (the schedule), `+Clients` (the workload),
/// `+Checks` (liveness and end-of-run checks).
struct SimulationRun {
    let options: SimulationOptions
    var random: SimRandom
    var swarm: SwarmParameters
    var tick: UInt64 = 0
    var nodes: [SimNode] = []
    /// The initial voters: every node, including ones added later, boots with this
    /// membership and learns the rest by applying configuration changes.
    let bootstrap: ConfState
    var network = SimNetwork()
    var clientMessages: [ClientEnvelope] = []
    var clientSequence: UInt64 = 0
    var clients: [SimClient] = []
    var history: [Operation<KVInput, KVOutput>] = []
    var checker = SafetyChecker()
    var trace: TraceLog
    var violations: [Violation] = []
    var stats = SimulationStats()
    var phases: [FaultPhase] = []
    var phaseIndex = -1
    /// When a leader was known to every live member during healing.
    var healedLeaderTick: UInt64?
    /// A spare node started for an `addLearner` that has not been applied yet.
    var spareNodeID: UInt64?

    /// Clients stop starting requests this long before the end, so the last ones finish.
    static let quietTicksAtEnd = LivenessBounds.requestCompletedTicksMax + 30
    /// Log Matching compares every pair of logs this often.
    static let logMatchingPeriodTicks: UInt64 = 200

    init(options: SimulationOptions, traceSink: (@Sendable (TraceEvent) -> Void)?) {
        self.options = options
        random = SimRandom(seed: options.seed)
        swarm = SwarmParameters(random: &random)
        let voterIDs = (1...UInt64(options.resolvedNodeCount)).map { $0 }
        bootstrap = ConfState(voters: voterIDs)
        trace = TraceLog(capacity: options.traceCapacity, digests: options.digestsTrace,
                         sink: traceSink)
        for id in voterIDs { nodes.append(makeNode(id: id)) }
        for clientID in 0..<swarm.clientCount {
            clients.append(SimClient(id: clientID, leaderGuess: 1))
        }
        phases = makePhases()
    }

    var healStartTick: UInt64 { UInt64(options.ticks - options.healTicks) }
    var isHealing: Bool { tick >= healStartTick }

    mutating func execute() -> SimulationResult {
        while tick < UInt64(options.ticks) && violations.isEmpty {
            step()
            tick += 1
        }
        stats.ticksRun = Int(tick)
        if violations.isEmpty { checkEnd() }
        if violations.isEmpty { checkHistory() }
        return SimulationResult(
            options: options, violations: violations, lastEvents: trace.lastEvents,
            traceDigest: trace.digest, stats: stats)
    }

    /// One tick: schedule, deliveries, timers, clients, checks.
    private mutating func step() {
        advanceSchedule()
        restartDueNodes()
        deliverNetworkMessages()
        deliverClientMessages()
        for index in nodes.indices where nodes[index].isUp {
            guard tick % UInt64(nodes[index].clockDivisor) == 0 else { continue }
            nodes[index].core?.tick()
            drainReady(index)
        }
        runClients()
        checkLiveness()
        if tick % SimulationRun.logMatchingPeriodTicks == 0 { checkLogMatching() }
    }

    mutating func record(_ what: TraceEvent.What) {
        trace.record(TraceEvent(tick: tick, what: what))
    }

    mutating func report(_ violation: Violation) {
        guard violations.count < SimulationLimits.violationsMax else { return }
        violations.append(violation)
        record(.schedule(text: "VIOLATION \(violation)"))
    }

    func nodeIndex(of id: UInt64) -> Int? {
        nodes.firstIndex { $0.id == id }
    }

    /// A fresh node with an empty disk (an initial voter, or a spare to be added).
    mutating func makeNode(id: UInt64) -> SimNode {
        let storage = MemoryStorage(confState: bootstrap)
        let core = makeCore(id: id, storage: storage)
        return SimNode(id: id, core: core, storage: storage)
    }

    mutating func makeCore(id: UInt64, storage: MemoryStorage) -> RaftCore {
        var config = RaftConfig(id: id, randomSeed: random.next())
        config.preVote = swarm.preVote
        config.checkQuorum = swarm.checkQuorum
        config.electionTicks = swarm.electionTicks
        for bug in options.plantedBugs { config.testingFaults.insert(bug.testingFault) }
        do {
            return try RaftCore(config: config, storage: storage)
        } catch {
            preconditionFailure("the simulator's Raft config is valid: \(error)")
        }
    }

    // MARK: - Network

    private mutating func deliverNetworkMessages() {
        for item in network.takeDue(now: tick) {
            let message = item.message
            guard let index = nodeIndex(of: message.to), nodes[index].isUp else {
                dropped(message, .nodeDown)
                continue
            }
            if network.isBlocked(from: message.from, to: message.to) {
                dropped(message, .partition)
                continue
            }
            stats.messagesDelivered += 1
            record(.deliver(
                from: message.from, to: message.to, kind: message.kind, term: message.term,
                index: message.index, entryCount: message.entries.count,
                commit: message.commit, reject: message.reject))
            nodes[index].core?.step(message)
            drainReady(index)
            if !violations.isEmpty { return }
        }
    }

    mutating func send(_ message: Message) {
        if let reason = network.send(message, now: tick, random: &random) {
            dropped(message, reason)
        }
    }

    private mutating func dropped(_ message: Message, _ reason: TraceEvent.DropReason) {
        stats.messagesDropped += 1
        record(.drop(from: message.from, to: message.to, kind: message.kind, reason: reason))
    }
}
