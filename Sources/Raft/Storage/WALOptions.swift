/// Tuning for a `WriteAheadLog`.
public struct WALOptions: Sendable {
    /// Size each segment is preallocated to, and the size at which the log moves to a new
    /// segment (etcd `SegmentSizeBytes`, 64 MiB). Preallocation means an append inside the
    /// segment does not grow the file, so `fdatasync` need not commit a size change.
    public var segmentBytes: Int = 64 * 1024 * 1024

    /// Largest record payload accepted on append and on replay (an entry's data plus 17 bytes).
    /// It bounds the memory a corrupt length field can make replay allocate. etcd's default
    /// request limit is 1.5 MiB, so 16 MiB leaves room. Raising it is always safe; lowering it
    /// below a record already on disk makes that log fail to open (reported as corrupt).
    public var recordPayloadBytesMax: Int = 16 * 1024 * 1024

    /// The encode buffer is reused across appends; after a batch that grew it past this size
    /// it is released, so one huge batch does not pin its memory for the life of the log.
    public var bufferRetainedBytesMax: Int = 4 * 1024 * 1024

    /// How far past each append the preallocated space is overwritten with zeros, once, in
    /// one write. `posix_fallocate` leaves unwritten extents: the first write into one
    /// converts it, a metadata change that makes the following `fdatasync` commit the
    /// filesystem journal. Converting a chunk at a time lets the syncs of the appends that
    /// land in it flush data only (ext4 on this project's host, 2.4 KB appends: 0.13-0.15
    /// -> 0.10-0.12 ms per append + fdatasync; 0.23-0.29 -> 0.16-0.20 ms with three logs
    /// syncing at once). Each chunk makes one sync longer by its own flush: 64 KiB keeps
    /// that small (3-member put benchmark, 6 x 8 s each: p99 5.2-9.4 ms against 7.2-13.1
    /// ms with 1 MiB chunks, the same throughput). 0 turns it off.
    public var zeroAheadBytes: Int = 64 << 10

    public init() {}
}
