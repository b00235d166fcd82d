import Raft

/// The simulated network between Raft nodes: per-message loss, delay, duplication (and so
/// reordering), and partitions as a set of blocked directed links (symmetric or not).
struct SimNetwork {
    struct Link: Hashable {
        var from: UInt64
        var to: UInt64
    }

    struct InFlight {
        var deliverAtTick: UInt64
        /// Send order, to break ties so that delivery order depends on the seed only.
        var sequence: UInt64
        var message: Message
    }

    var conditions = NetworkConditions.healthy
    /// Links that drop everything: partitions. Only looked up, never iterated (order).
    private(set) var blocked: Set<Link> = []
    private(set) var inFlight: [InFlight] = []
    private var sequence: UInt64 = 0
    let capacity: Int

    init(capacity: Int = SimulationLimits.inFlightMessagesMax) {
        precondition(capacity > 0, "network capacity must be positive")
        self.capacity = capacity
    }

    func isBlocked(from: UInt64, to: UInt64) -> Bool {
        blocked.contains(Link(from: from, to: to))
    }

    mutating func block(from: UInt64, to: UInt64) {
        blocked.insert(Link(from: from, to: to))
    }

    mutating func healPartitions() { blocked.removeAll() }

    /// Queues `message` (maybe twice, maybe not at all). Returns why it was dropped, if it was.
    mutating func send(
        _ message: Message, now: UInt64, random: inout SimRandom
    ) -> TraceEvent.DropReason? {
        if isBlocked(from: message.from, to: message.to) { return .partition }
        if random.chance(conditions.lossPercent) { return .loss }
        let copies = random.chance(conditions.duplicatePercent) ? 2 : 1
        for _ in 0..<copies {
            guard inFlight.count < capacity else { return .overflow }
            let delay = random.int(in: conditions.delayTicksMin...conditions.delayTicksMax)
            sequence += 1
            inFlight.append(InFlight(
                deliverAtTick: now + UInt64(delay), sequence: sequence, message: message))
        }
        return nil
    }

    /// Removes and returns the messages due at or before `now`, in (due tick, send order).
    mutating func takeDue(now: UInt64) -> [InFlight] {
        guard inFlight.contains(where: { $0.deliverAtTick <= now }) else { return [] }
        var due: [InFlight] = []
        var kept: [InFlight] = []
        kept.reserveCapacity(inFlight.count)
        for item in inFlight {
            if item.deliverAtTick <= now { due.append(item) } else { kept.append(item) }
        }
        inFlight = kept
        return due.sorted {
            ($0.deliverAtTick, $0.sequence) < ($1.deliverAtTick, $1.sequence)
        }
    }
}
