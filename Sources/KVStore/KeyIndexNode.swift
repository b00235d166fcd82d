/// A node of `KeyIndex`. A leaf holds `keys[i] -> histories[i]`; an inner node holds
/// `children.count == keys.count + 1` subtrees where `keys[i]` is <= every key of
/// `children[i + 1]` and > every key of `children[i]`.
///
/// `@unchecked Sendable`: a node is only mutated while uniquely referenced (copy-on-write),
/// so a node reachable from two trees is never written.
final class KeyIndexNode: @unchecked Sendable {
    // `@exclusivity(unchecked)`: no run-time exclusivity check on these three (one costs
    // about 85 instructions, and a put made about 17 of them with the change log's: a
    // fifth of its instructions in Benchmarks/MVCCThroughput). A node is written only by
    // the store's one writer, on the path it has just made unique, and no access to a node
    // overlaps another: the checks could never fire. The compile-time checks still apply.
    @exclusivity(unchecked) var keys: [[UInt8]]
    @exclusivity(unchecked) var histories: [KeyHistory]
    @exclusivity(unchecked) var children: [KeyIndexNode]

    init(keys: [[UInt8]] = [], histories: [KeyHistory] = [], children: [KeyIndexNode] = []) {
        self.keys = keys
        self.histories = histories
        self.children = children
    }

    @inline(__always)
    var isLeaf: Bool { children.isEmpty }

    /// Entries of a leaf, children of an inner node.
    var width: Int { isLeaf ? keys.count : children.count }

    func copy() -> KeyIndexNode {
        KeyIndexNode(keys: keys, histories: histories, children: children)
    }

    /// First index whose key is >= `key`, and whether it is equal.
    @inline(__always)
    func search(_ key: [UInt8]) -> (index: Int, found: Bool) {
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            let order = ByteOrder.compare(keys[middle], key)
            if order == 0 { return (middle, true) }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return (low, false)
    }

    /// Child whose subtree holds `key`: the number of separators <= `key`.
    @inline(__always)
    func childIndex(for key: [UInt8]) -> Int {
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if ByteOrder.compare(keys[middle], key) <= 0 { low = middle + 1 } else { high = middle }
        }
        return low
    }

    func visit(from start: [UInt8]?, _ body: ([UInt8], KeyHistory) -> Bool) -> Bool {
        if isLeaf {
            let first = start.map { search($0).index } ?? 0
            for index in first..<keys.count where !body(keys[index], histories[index]) {
                return false
            }
            return true
        }
        let first = start.map { childIndex(for: $0) } ?? 0
        if !children[first].visit(from: start, body) { return false }
        for index in (first + 1)..<children.count where !children[index].visit(from: nil, body) {
            return false
        }
        return true
    }
}
