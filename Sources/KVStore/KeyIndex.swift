/// The ordered key index: a B+tree from key bytes to `KeyHistory`, with copy-on-write nodes.
///
/// Copying a `KeyIndex` copies one reference (O(1)). A mutation walks from the root and
/// copies each node on its path that is shared (`isKnownUniquelyReferenced`), so a copy taken
/// for a snapshot stays unchanged and readable on another thread while the original keeps
/// changing, at the cost of O(log n) node copies per write. Lookups and single-key updates
/// are O(log n) (fan-out 64, so 1M keys are 4 levels deep); scans are O(log n + k).
struct KeyIndex: Sendable {
    /// Most entries in a leaf and most children of an inner node. 64 keeps a node's arrays
    /// at 512 bytes each (cache-friendly binary search) and the tree shallow.
    static let nodeWidthMax = 64
    /// Fewest entries / children of a non-root node (half full, the B-tree invariant).
    static let nodeWidthMin = nodeWidthMax / 2

    var root = KeyIndexNode()
    private(set) var count = 0

    init() {}

    /// Builds a tree from entries sorted by strictly ascending key in O(n), packing leaves
    /// evenly so every node satisfies the size invariants.
    init(sortedKeys keys: [[UInt8]], histories: [KeyHistory]) {
        precondition(keys.count == histories.count, "keys and histories differ in length")
        count = keys.count
        guard keys.count > Self.nodeWidthMax else {
            root = KeyIndexNode(keys: keys, histories: histories, children: [])
            return
        }
        var level: [KeyIndexNode] = []
        var separators: [[UInt8]] = []
        for slice in Self.evenSlices(count: keys.count) {
            level.append(
                KeyIndexNode(
                    keys: Array(keys[slice]), histories: Array(histories[slice]), children: []))
            separators.append(keys[slice.lowerBound])
        }
        while level.count > 1 {
            var parents: [KeyIndexNode] = []
            var parentSeparators: [[UInt8]] = []
            let slices = level.count > Self.nodeWidthMax
                ? Self.evenSlices(count: level.count) : [0..<level.count]
            for slice in slices {
                let innerKeys = Array(separators[(slice.lowerBound + 1)..<slice.upperBound])
                parents.append(
                    KeyIndexNode(keys: innerKeys, histories: [], children: Array(level[slice])))
                parentSeparators.append(separators[slice.lowerBound])
            }
            level = parents
            separators = parentSeparators
        }
        root = level[0]
    }

    /// Splits `count` items into ceil(count / max) runs whose sizes differ by at most one.
    static func evenSlices(count: Int) -> [Range<Int>] {
        let groups = (count + nodeWidthMax - 1) / nodeWidthMax
        var slices: [Range<Int>] = []
        slices.reserveCapacity(groups)
        var start = 0
        for group in 0..<groups {
            let size = count / groups + (group < count % groups ? 1 : 0)
            slices.append(start..<(start + size))
            start += size
        }
        return slices
    }

    func find(_ key: [UInt8]) -> KeyHistory? {
        var node = root
        while !node.isLeaf {
            node = node.children[node.childIndex(for: key)]
        }
        let (index, found) = node.search(key)
        return found ? node.histories[index] : nil
    }

    /// Calls `body` with the entry of `key` (nil if absent); what `body` leaves in the slot is
    /// stored (nil removes the key). The history is moved out of the tree first so `body`
    /// can append to it without copying its records.
    mutating func update<Result>(
        _ key: [UInt8], _ body: (inout KeyHistory?) -> Result
    ) -> Result {
        if !isKnownUniquelyReferenced(&root) { root = root.copy() }
        var result: Result?
        let change = root.update(key, body: body, result: &result)
        switch change {
        case .none:
            break
        case .inserted:
            count += 1
        case .removed(let underflow):
            count -= 1
            if underflow && !root.isLeaf && root.children.count == 1 { root = root.children[0] }
        case .split(let separator, let right):
            count += 1
            root = KeyIndexNode(keys: [separator], histories: [], children: [root, right])
        }
        guard let result else { preconditionFailure("update body was not called") }
        return result
    }

    /// Visits entries in ascending key order starting at the first key >= `start`, until
    /// `body` returns false.
    func forEach(from start: [UInt8], _ body: ([UInt8], KeyHistory) -> Bool) {
        _ = root.visit(from: start, body)
    }

    /// Visits the entries of `range` in ascending key order until `body` returns false.
    func forEach(in range: KeyRange, _ body: ([UInt8], KeyHistory) -> Bool) {
        if range.isSingleKey {
            if let history = find(range.key) { _ = body(range.key, history) }
            return
        }
        forEach(from: range.key) { key, history in
            if range.isPastEnd(key) { return false }
            return body(key, history)
        }
    }
}
