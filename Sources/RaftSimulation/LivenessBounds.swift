/// The liveness promises checked once the faults stop (reliability.md §3.1 "liveness mode",
/// §3.3): with every node up and a clean network, the cluster must elect a leader and serve
/// every request within these bounds, or the run fails.
public enum LivenessBounds {
    /// From the start of healing until one leader is known to every live member. Covers a
    /// restarted node's election timeout (up to 2 x 15 ticks), a PreVote and a vote round,
    /// and a leader lease of up to 15 ticks on nodes that still follow a dead leader, several
    /// times over for split votes.
    public static let leaderElectedTicksMax = 150
    /// A request issued after a leader is elected in healing must complete (with a known
    /// outcome) within this many ticks: a few round trips of at most 3 ticks each, plus a
    /// client retry after a redirect.
    public static let requestCompletedTicksMax = 100
}
