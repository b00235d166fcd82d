/// `etcdserverpb.Compare`: one txn guard; reference/etcd.md §1.5 "Txn".
public struct Compare: Sendable, Equatable {
    public enum Result: Int, Sendable, Equatable {
        case equal = 0
        case greater
        case less
        case notEqual
    }

    public enum Target: Int, Sendable, Equatable {
        case version = 0
        case create
        case mod
        case value
        case lease
    }

    /// The `target_union` oneof. An operand that does not match `target` reads as 0 / empty,
    /// as in etcd's `compareKV`.
    public enum Operand: Sendable, Equatable {
        case version(Int64)
        case createRevision(Int64)
        case modRevision(Int64)
        case value([UInt8])
        case lease(Int64)
    }

    public var result: Result
    public var target: Target
    public var key: [UInt8]
    /// Non-empty: every key in `[key, rangeEnd)` must satisfy the compare.
    public var rangeEnd: [UInt8]
    public var operand: Operand?

    public init(
        result: Result, target: Target, key: [UInt8], rangeEnd: [UInt8] = [],
        operand: Operand? = nil
    ) {
        self.result = result
        self.target = target
        self.key = key
        self.rangeEnd = rangeEnd
        self.operand = operand
    }

    var keyRange: KeyRange { KeyRange(key: key, rangeEnd: rangeEnd) }
}
