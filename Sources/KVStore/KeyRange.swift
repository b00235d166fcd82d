/// A key interval with etcd's range rules (reference/etcd.md §1.5 "Key ranges"):
/// empty `rangeEnd` means the single key `key`; `rangeEnd == "\0"` means every key >= `key`;
/// otherwise the half-open interval `[key, rangeEnd)`. `key == "\0"` with `rangeEnd == "\0"`
/// is therefore the whole key space.
public struct KeyRange: Sendable, Hashable {
    public var key: [UInt8]
    public var rangeEnd: [UInt8]

    public init(key: [UInt8], rangeEnd: [UInt8] = []) {
        self.key = key
        self.rangeEnd = rangeEnd
    }

    /// Every key (`key "\0"`, `range_end "\0"`).
    public static let all = KeyRange(key: [0], rangeEnd: [0])

    /// Every key starting with `prefix`, the way etcd's clientv3 `WithPrefix` builds it: the
    /// last byte below 0xff is incremented and the rest dropped; an all-0xff prefix gets
    /// `"\0"` (no upper bound); an empty prefix means the whole key space.
    public static func prefix(_ prefix: [UInt8]) -> KeyRange {
        if prefix.isEmpty { return .all }
        var end = prefix
        while let last = end.last {
            if last < 0xFF {
                end[end.count - 1] = last + 1
                return KeyRange(key: prefix, rangeEnd: end)
            }
            end.removeLast()
        }
        return KeyRange(key: prefix, rangeEnd: [0])
    }

    /// True when the range names exactly one key.
    public var isSingleKey: Bool { rangeEnd.isEmpty }

    /// True when the range has no upper bound (`rangeEnd == "\0"`).
    var isUnbounded: Bool { rangeEnd.count == 1 && rangeEnd[0] == 0 }

    public func contains(_ candidate: [UInt8]) -> Bool {
        if rangeEnd.isEmpty { return candidate == key }
        if ByteOrder.less(candidate, key) { return false }
        return isUnbounded || ByteOrder.less(candidate, rangeEnd)
    }

    /// True when `candidate` is beyond the range's upper bound (iteration can stop).
    @inline(__always)
    func isPastEnd(_ candidate: [UInt8]) -> Bool {
        if rangeEnd.isEmpty { return ByteOrder.compare(candidate, key) > 0 }
        if isUnbounded { return false }
        return !ByteOrder.less(candidate, rangeEnd)
    }
}
