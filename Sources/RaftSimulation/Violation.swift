/// A broken property found by the simulator.
public struct Violation: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Two leaders in one term (§5.2, Figure 3 "Election Safety").
        case electionSafety
        /// Two logs agree on an (index, term) but differ before it (Figure 3 "Log Matching").
        case logMatching
        /// A new leader lacks an entry already committed (Figure 3 "Leader Completeness").
        case leaderCompleteness
        /// Two nodes applied different entries at one index (Figure 3 "State Machine Safety").
        case stateMachineSafety
        /// A node's commit index, applied index or term went backwards within one run of it.
        case monotonicity
        /// After the faults stopped, no leader or no progress within the stated bound.
        case liveness
        /// The client history has no linearization under the key-value model.
        case linearizability
        /// The checker ran out of budget: neither proven nor refuted, so a failure to study.
        case linearizabilityTimedOut
    }

    public var kind: Kind
    public var tick: UInt64
    public var detail: String

    public init(kind: Kind, tick: UInt64, detail: String) {
        self.kind = kind
        self.tick = tick
        self.detail = detail
    }

    public var description: String { "[tick \(tick)] \(kind.rawValue): \(detail)" }
}
