/// Order of range results (`RangeRequest.SortOrder`).
public enum SortOrder: Int, Sendable, Equatable {
    case none = 0
    case ascend
    case descend
}

/// Field range results are sorted by (`RangeRequest.SortTarget`).
public enum SortTarget: Int, Sendable, Equatable {
    case key = 0
    case version
    case create
    case mod
    case value
}

/// `etcdserverpb.RangeRequest`; field meanings in reference/etcd.md §1.5 "Range".
public struct RangeRequest: Sendable, Equatable {
    public var key: [UInt8]
    public var rangeEnd: [UInt8]
    /// Most keys returned; 0 or negative means no limit.
    public var limit: Int64
    /// Revision to read at; 0 or negative means the current revision.
    public var revision: Int64
    public var sortOrder: SortOrder
    public var sortTarget: SortTarget
    /// Member-local read; the store ignores it (the server decides how to read).
    public var serializable: Bool
    public var keysOnly: Bool
    public var countOnly: Bool
    /// Filters applied after fetching; 0 means no bound. They never change `count`.
    public var minModRevision: Int64
    public var maxModRevision: Int64
    public var minCreateRevision: Int64
    public var maxCreateRevision: Int64

    public init(
        key: [UInt8] = [], rangeEnd: [UInt8] = [], limit: Int64 = 0, revision: Int64 = 0,
        sortOrder: SortOrder = .none, sortTarget: SortTarget = .key,
        serializable: Bool = false, keysOnly: Bool = false, countOnly: Bool = false,
        minModRevision: Int64 = 0, maxModRevision: Int64 = 0,
        minCreateRevision: Int64 = 0, maxCreateRevision: Int64 = 0
    ) {
        self.key = key
        self.rangeEnd = rangeEnd
        self.limit = limit
        self.revision = revision
        self.sortOrder = sortOrder
        self.sortTarget = sortTarget
        self.serializable = serializable
        self.keysOnly = keysOnly
        self.countOnly = countOnly
        self.minModRevision = minModRevision
        self.maxModRevision = maxModRevision
        self.minCreateRevision = minCreateRevision
        self.maxCreateRevision = maxCreateRevision
    }

    var keyRange: KeyRange { KeyRange(key: key, rangeEnd: rangeEnd) }

    /// Whether etcd fetches the whole range before sorting, filtering and truncating.
    var needsFullFetch: Bool {
        sortOrder != .none || minModRevision != 0 || maxModRevision != 0
            || minCreateRevision != 0 || maxCreateRevision != 0
    }
}

/// `etcdserverpb.RangeResponse`.
public struct RangeResponse: Sendable, Equatable {
    /// Header revision: the store's current revision when the range ran.
    public var revision: Int64
    public var kvs: [KeyValue]
    /// True when `limit` cut the result short.
    public var more: Bool
    /// Keys in the range at the read revision, independent of `limit` and the filters.
    public var count: Int64

    public init(revision: Int64, kvs: [KeyValue] = [], more: Bool = false, count: Int64 = 0) {
        self.revision = revision
        self.kvs = kvs
        self.more = more
        self.count = count
    }
}
