/// Which of the two connections to a peer carries a message.
///
/// Heartbeats must not wait behind a snapshot: a follower that misses heartbeats for an
/// election timeout starts an election (§5.2), and a multi-megabyte snapshot chunk or
/// MsgApp queued in front of a heartbeat on one TCP connection delays it by its whole
/// transfer time. So each peer gets two connections, each with its own queue:
///
/// * `.bulk` carries the leader's data-bearing replication traffic, MsgApp (§5.3) and
///   InstallSnapshot chunks (§7). All MsgApp go here, small ones too, so appends to one
///   follower stay in order (reordered appends are safe but cost a rejection and a probe).
///   This is the split etcd's rafthttp makes (its `msgappv2` stream for MsgApp, snapshots
///   on their own HTTP request). Forwarded proposals (`.propose`, follower to leader) carry
///   client data of any size too, so they travel here as well.
/// * `.control` carries everything else: heartbeats, votes, responses, ReadIndex,
///   TimeoutNow. These are small and latency-sensitive. A heartbeat's commit index may
///   overtake the appends it covers; that is safe because the leader sends
///   min(match, commit) (etcd-io/raft `sendHeartbeat`).
public enum PeerStreamKind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case control = 1
    case bulk = 2

    /// The stream `message` travels on.
    public static func of(_ message: Message) -> PeerStreamKind {
        switch message.kind {
        case .append, .snapshot, .propose: .bulk
        default: .control
        }
    }

    public var description: String {
        switch self {
        case .control: "control"
        case .bulk: "bulk"
        }
    }
}
