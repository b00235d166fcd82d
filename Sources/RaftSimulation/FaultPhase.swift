/// One phase of the fault schedule: network conditions plus an optional partition, in force
/// from `startTick` until the next phase (the last phase is the healing one).
struct FaultPhase: CustomStringConvertible {
    enum Partition: Equatable, CustomStringConvertible {
        case none
        /// Two random halves that cannot talk (Jepsen `partition-random-halves`).
        case halves
        /// Two random halves; only one direction is cut.
        case halvesOneWay
        /// The current leader is cut from everyone (Jepsen `partition-random-node` on it).
        case isolateLeader
        /// The leader can send but not receive: it keeps thinking it leads.
        case leaderDeaf
        /// Every node sees a majority, but no two see the same one (Jepsen
        /// `partition-majorities-ring`).
        case majoritiesRing

        var description: String {
            switch self {
            case .none: return "no partition"
            case .halves: return "symmetric halves"
            case .halvesOneWay: return "asymmetric halves"
            case .isolateLeader: return "isolate leader"
            case .leaderDeaf: return "leader deaf (asymmetric)"
            case .majoritiesRing: return "majorities ring"
            }
        }
    }

    var startTick: UInt64
    var conditions: NetworkConditions
    var partition: Partition
    /// Per-tick chance (per mille) that some node crashes in this phase.
    var crashPerMille: Int
    /// A node whose clock runs slow in this phase (ticks once every `slowClockDivisor`
    /// ticks), or nil. Raft must stay safe under clock drift (TigerBeetle `TimeSim`); a
    /// slow leader notices late that it lost its quorum.
    var slowClockNode: SlowClock?
    /// The healing phase: all faults off, every node up, liveness checked.
    var isHealing: Bool

    enum SlowClock: Equatable {
        case leader(divisor: Int)
        case randomNode(divisor: Int)
    }

    var description: String {
        if isHealing { return "phase HEAL: \(conditions), all nodes up" }
        return "phase: \(conditions), \(partition), crash \(crashPerMille)/1000 per tick"
    }
}
