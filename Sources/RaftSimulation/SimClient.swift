import Linearizability

/// A sequential client of the key-value workload: one operation at a time, retried (same
/// request id) on redirects and timeouts until it completes or its deadline passes; then
/// its outcome is unknown.
struct SimClient {
    struct Request {
        var seq: UInt64
        var input: KVInput
        var callTick: UInt64
        /// Past it the client gives up: the outcome is recorded as unknown.
        var deadlineTick: UInt64
        /// When the current attempt is considered lost and the request is resent.
        var attemptDeadlineTick: UInt64
        /// A pending resend (after a redirect), or nil.
        var resendAtTick: UInt64?
        var target: UInt64
    }

    let id: Int
    var lastSeq: UInt64 = 0
    var current: Request?
    var nextRequestAtTick: UInt64 = 0
    /// The last value this client saw for each key: what its compare-and-swaps expect.
    var lastSeen: [KVBytes: KVBytes] = [:]
    /// The node it believes leads.
    var leaderGuess: UInt64

    /// Per attempt: long enough for a round trip through a slow leader and a ReadIndex round.
    static let attemptTimeoutTicks: UInt64 = 40
    /// Per request, retries included. Long enough that requests mostly complete across an
    /// election; short enough that a partitioned client moves on.
    static let requestTimeoutTicks: UInt64 = 250
}
