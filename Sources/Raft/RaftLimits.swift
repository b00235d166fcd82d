/// Hard limits of the Raft core. Each exists so that a peer, a client or a bug cannot make
/// a node allocate without bound; each is enforced where data enters and tested at the limit.
public enum RaftLimits {
    /// Voters plus learners. Quorum arithmetic sorts a buffer of this many indexes on every
    /// commit check, and every heartbeat fans out to all members; Raft clusters are small.
    public static let membersMax = 64

    /// Entries in one `propose` call or one decoded `Message`. Bounds the per-message
    /// allocation of the decoder; `RaftConfig.maxSizePerMsgBytes` bounds the bytes.
    public static let entriesPerMessageMax = 65_536

    /// Encoded size of one `Message`. Larger than any MsgApp the leader builds
    /// (`maxSizePerMsgBytes` default 1 MiB) and any snapshot chunk, with headroom.
    public static let messageBytesMax = 64 << 20

    /// Bytes of one `context` (a read request id). Ids are small; a large one is garbage.
    public static let contextBytesMax = 1024

    /// Bytes of a snapshot assembled from chunks on a follower. A snapshot larger than this
    /// is refused rather than buffered in memory.
    public static let snapshotBytesMax = 8 << 30

    /// ReadIndex requests waiting for the no-op to commit or for a heartbeat quorum
    /// (thesis §6.4). Reads beyond this are refused so a partitioned leader cannot pile them up.
    public static let pendingReadIndexMax = 4096

    /// Payload bytes of one batch a follower forwards to its leader in a `.propose` message.
    /// Half of `messageBytesMax`: the rest is room for the framing of up to
    /// `entriesPerMessageMax` entries (at most 7 bytes each, under 0.5 MiB) and the header,
    /// so every forward the follower sends decodes at the leader.
    public static let forwardedProposalBytesMax = messageBytesMax / 2

    /// Bytes of `ConfChange.context` (a member's name and peer/client URLs, etcd style).
    /// Every replica keeps it in its member table and every snapshot carries that table;
    /// 4 KiB fits a name and a dozen URLs and keeps a 64-member table under 256 KiB.
    public static let confChangeContextBytesMax = 4096
}
