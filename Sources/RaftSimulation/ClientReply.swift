import Linearizability

/// What a node tells a client.
enum ClientReply: Equatable {
    case done(KVOutput)
    /// Not the leader (or cannot serve now); `leaderHint` is who might be, or 0.
    case redirect(leaderHint: UInt64)
}
