import Raft

/// A deliberate protocol bug the simulator must catch (`RaftConfig.testingFaults`), named as
/// on the `raft-sim --plant` command line.
public enum PlantedBug: String, CaseIterable, Sendable {
    /// The leader commits without a quorum (§5.3 broken).
    case commitWithoutQuorum
    /// The harness restarts a node with its vote cleared (Figure 2 "votedFor" not durable).
    case forgetVoteOnRestart
    /// ReadIndex is answered before the leader's no-op commits (thesis §6.4 step 1 broken).
    case serveReadIndexBeforeNoOpCommit
    /// ReadIndex is answered without a heartbeat quorum (thesis §6.4 step 3 broken).
    case serveReadIndexWithoutQuorum

    /// The core flag that plants this bug.
    public var testingFault: TestingFaults {
        switch self {
        case .commitWithoutQuorum: return .commitWithoutQuorum
        case .forgetVoteOnRestart: return .forgetVoteOnRestart
        case .serveReadIndexBeforeNoOpCommit: return .serveReadIndexBeforeNoOpCommit
        case .serveReadIndexWithoutQuorum: return .serveReadIndexWithoutQuorum
        }
    }
}
