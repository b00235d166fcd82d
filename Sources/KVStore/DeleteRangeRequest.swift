/// `etcdserverpb.DeleteRangeRequest`; reference/etcd.md §1.5 "DeleteRange".
public struct DeleteRangeRequest: Sendable, Equatable {
    public var key: [UInt8]
    public var rangeEnd: [UInt8]
    /// Return the deleted key-value pairs.
    public var prevKV: Bool

    public init(key: [UInt8], rangeEnd: [UInt8] = [], prevKV: Bool = false) {
        self.key = key
        self.rangeEnd = rangeEnd
        self.prevKV = prevKV
    }

    var keyRange: KeyRange { KeyRange(key: key, rangeEnd: rangeEnd) }
}

/// `etcdserverpb.DeleteRangeResponse`.
public struct DeleteRangeResponse: Sendable, Equatable {
    /// Header revision: the new revision if anything was deleted, else the current one.
    public var revision: Int64
    public var deleted: Int64
    public var prevKVs: [KeyValue]

    public init(revision: Int64, deleted: Int64 = 0, prevKVs: [KeyValue] = []) {
        self.revision = revision
        self.deleted = deleted
        self.prevKVs = prevKVs
    }
}
