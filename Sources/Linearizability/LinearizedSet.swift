/// The set of operations linearized so far, as a bitset over a partition's operation indices.
///
/// Half of the memo key (Lowe, "Testing for Linearizability", §4: a configuration is the set of
/// linearized operations plus the object's state); hashing and equality are word-wise.
struct LinearizedSet: Hashable {
    private var words: [UInt64]

    init(capacity: Int) {
        precondition(capacity >= 0, "capacity must not be negative")
        words = Array(repeating: 0, count: (capacity + 63) / 64)
    }

    func contains(_ index: Int) -> Bool {
        words[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    mutating func insert(_ index: Int) {
        words[index >> 6] |= 1 << UInt64(index & 63)
    }

    mutating func remove(_ index: Int) {
        words[index >> 6] &= ~(1 << UInt64(index & 63))
    }
}

extension LinearizedSet {
    /// True when every member of `self` is in `other` (sets of the same capacity).
    func isSubset(of other: LinearizedSet) -> Bool {
        precondition(words.count == other.words.count, "sets of different capacity")
        for index in words.indices where words[index] & ~other.words[index] != 0 {
            return false
        }
        return true
    }
}
