/// The bounds of a `PeerTransport`. Every queue, buffer and wait of the transport has one
/// here, so a slow, dead or hostile peer costs a known amount of memory and time.
public struct PeerTransportLimits: Sendable, Equatable {
    /// Bytes of one frame payload (one encoded `Message`), enforced by the sender (the
    /// message is dropped and counted) and by the receiver (the connection is closed). Equal
    /// to the codec's own bound, `RaftLimits.messageBytesMax`, so anything the codec can
    /// decode can be carried; the leader's messages are far smaller (1 MiB MsgApp and
    /// snapshot chunks by default).
    public var frameBytesMax: Int = RaftLimits.messageBytesMax

    /// Messages waiting per peer on the control stream (votes, heartbeats, responses,
    /// ReadIndex). A heartbeat round per tick to each peer needs a handful; thousands only
    /// pile up when the peer is unreachable, and then dropping is what Raft expects.
    public var controlQueueMessagesMax: Int = 4096
    /// Payload bytes waiting per peer on the control stream. Control messages are small
    /// (context is at most 1 KiB), so this is a safety net against a flood, not a budget.
    public var controlQueueBytesMax: Int = 8 << 20

    /// Messages waiting per peer on the bulk stream (MsgApp and snapshot chunks). Sized for
    /// a full replication window (`maxInflightMessages` 256 by default) of appends.
    public var bulkQueueMessagesMax: Int = 256
    /// Payload bytes waiting per peer on the bulk stream: the memory a slow follower can pin
    /// on the leader. At least `frameBytesMax`, so the largest frame can be queued at all.
    public var bulkQueueBytesMax: Int = 64 << 20

    /// How long a connection may take from accept (or connect) to a completed handshake.
    /// A peer that connects and sends nothing is closed after this.
    public var handshakeTimeoutNanoseconds: UInt64 = 5_000_000_000
    /// How long queued output may make no progress before the connection is closed and
    /// redialed: a peer that stopped reading must not wedge its stream forever.
    public var writeStallTimeoutNanoseconds: UInt64 = 10_000_000_000

    /// First reconnect delay after a failed or lost connection; doubles per failure.
    public var reconnectBackoffMinNanoseconds: UInt64 = 50_000_000
    /// Longest reconnect delay: a restarted peer is found again within about this long.
    public var reconnectBackoffMaxNanoseconds: UInt64 = 2_000_000_000

    /// Accepted connections held at once (two per peer in a cluster of at most
    /// `RaftLimits.membersMax`, plus strangers still handshaking). Beyond it, new
    /// connections are closed at once.
    public var inboundConnectionsMax: Int = 4 * RaftLimits.membersMax

    /// Peers configured at once: a Raft group never has more members.
    public var peersMax: Int = RaftLimits.membersMax

    /// Bytes read per `read(2)`; a readable connection gets at most
    /// `readsPerEventMax` of these per loop tick so one busy stream cannot starve another.
    public var readChunkBytes: Int = 64 << 10
    /// Reads per readiness event (level-triggered: the rest is read on the next tick).
    public var readsPerEventMax: Int = 4

    /// Output bytes taken from a peer's queue into a connection's write buffer at a time.
    /// Messages stay in the bounded queue (where overflow drops them) until the socket can
    /// take them, so a slow peer cannot make the write buffer grow past this plus one frame.
    public var writeBatchBytes: Int = 256 << 10

    public init() {}

    /// Stops the process on nonsense limits (a programmer error, not an operating one).
    func check() {
        precondition(frameBytesMax > 0 && frameBytesMax <= Int(UInt32.max),
                     "frameBytesMax must fit the u32 length prefix")
        precondition(controlQueueMessagesMax > 0 && controlQueueBytesMax > 0,
                     "control queue limits must be positive")
        precondition(bulkQueueMessagesMax > 0 && bulkQueueBytesMax >= frameBytesMax,
                     "bulkQueueBytesMax must hold at least one frame of frameBytesMax")
        precondition(handshakeTimeoutNanoseconds > 0 && writeStallTimeoutNanoseconds > 0,
                     "timeouts must be positive")
        precondition(reconnectBackoffMinNanoseconds > 0
                     && reconnectBackoffMinNanoseconds <= reconnectBackoffMaxNanoseconds,
                     "reconnect backoff must be 0 < min <= max")
        precondition(inboundConnectionsMax > 0 && peersMax > 0, "connection limits positive")
        precondition(readChunkBytes > 0 && readsPerEventMax > 0 && writeBatchBytes > 0,
                     "I/O sizes must be positive")
    }

    /// How often the loop looks for handshake and write-stall timeouts: a quarter of the
    /// shorter timeout (so one fires at most 25% late), between 1 ms and 250 ms.
    var sweepIntervalNanoseconds: UInt64 {
        let shortest = min(handshakeTimeoutNanoseconds, writeStallTimeoutNanoseconds)
        return min(max(shortest / 4, 1_000_000), 250_000_000)
    }

    func queueMessagesMax(_ stream: PeerStreamKind) -> Int {
        stream == .control ? controlQueueMessagesMax : bulkQueueMessagesMax
    }

    func queueBytesMax(_ stream: PeerStreamKind) -> Int {
        stream == .control ? controlQueueBytesMax : bulkQueueBytesMax
    }
}
