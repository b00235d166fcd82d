/// One key's state at a revision (`mvccpb.KeyValue`, `api/mvccpb/kv.proto`).
public struct KeyValue: Sendable, Equatable {
    public var key: [UInt8]
    /// Revision of the key's last creation; 0 for a deletion event's `kv`.
    public var createRevision: Int64
    /// Revision of the key's last modification.
    public var modRevision: Int64
    /// Modifications since creation: 1 on creation, reset to 0 by deletion.
    public var version: Int64
    public var value: [UInt8]
    /// Attached lease ID, 0 for none.
    public var lease: Int64

    public init(
        key: [UInt8], createRevision: Int64 = 0, modRevision: Int64 = 0, version: Int64 = 0,
        value: [UInt8] = [], lease: Int64 = 0
    ) {
        self.key = key
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.value = value
        self.lease = lease
    }
}
