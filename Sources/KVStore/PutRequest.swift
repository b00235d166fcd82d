/// `etcdserverpb.PutRequest`; reference/etcd.md §1.5 "Put".
public struct PutRequest: Sendable, Equatable {
    public var key: [UInt8]
    public var value: [UInt8]
    /// Lease to attach, 0 for none.
    public var lease: Int64
    /// Return the previous key-value pair.
    public var prevKV: Bool
    /// Keep the current value (the key must exist; `value` must be empty).
    public var ignoreValue: Bool
    /// Keep the current lease (the key must exist; `lease` must be 0).
    public var ignoreLease: Bool

    public init(
        key: [UInt8], value: [UInt8] = [], lease: Int64 = 0, prevKV: Bool = false,
        ignoreValue: Bool = false, ignoreLease: Bool = false
    ) {
        self.key = key
        self.value = value
        self.lease = lease
        self.prevKV = prevKV
        self.ignoreValue = ignoreValue
        self.ignoreLease = ignoreLease
    }
}

/// `etcdserverpb.PutResponse`.
public struct PutResponse: Sendable, Equatable {
    /// Header revision: the revision the put created.
    public var revision: Int64
    public var prevKV: KeyValue?

    public init(revision: Int64, prevKV: KeyValue? = nil) {
        self.revision = revision
        self.prevKV = prevKV
    }
}
