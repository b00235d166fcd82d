/// One directed peer link, named by the Raft member IDs in the transport handshake.
struct FaultLink: Hashable, Sendable {
    var from: UInt64
    var to: UInt64
}
