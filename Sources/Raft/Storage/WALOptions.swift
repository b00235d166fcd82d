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

    public init() {}
}
