/// Structural self-check used by tests: keys strictly ascending, separators bounding their
/// subtrees, node sizes within bounds, all leaves at one depth, histories non-empty.
extension KeyIndex {
    func invariantViolation() -> String? {
        var leafDepth: Int?
        var entries = 0
        let problem = Self.check(
            root, isRoot: true, depth: 0, lower: nil, upper: nil, leafDepth: &leafDepth,
            entries: &entries)
        if let problem { return problem }
        return entries == count ? nil : "count \(count) != entries \(entries)"
    }

    private static func check(
        _ node: KeyIndexNode, isRoot: Bool, depth: Int, lower: [UInt8]?, upper: [UInt8]?,
        leafDepth: inout Int?, entries: inout Int
    ) -> String? {
        for index in node.keys.indices {
            let key = node.keys[index]
            if index > 0 && !ByteOrder.less(node.keys[index - 1], key) { return "keys unsorted" }
            if let lower, ByteOrder.less(key, lower) { return "key below lower bound" }
            if let upper, !ByteOrder.less(key, upper) { return "key above upper bound" }
        }
        if !isRoot && node.width < nodeWidthMin { return "node under minimum" }
        if node.width > nodeWidthMax { return "node over maximum" }
        if node.isLeaf {
            if node.histories.count != node.keys.count { return "leaf arrays differ" }
            if node.histories.contains(where: { $0.records.isEmpty }) { return "empty history" }
            if let leafDepth, leafDepth != depth { return "leaves at different depths" }
            leafDepth = depth
            entries += node.keys.count
            return nil
        }
        if node.children.count != node.keys.count + 1 { return "inner arity mismatch" }
        if node.children.count < 2 { return "inner node with one child" }
        for (index, child) in node.children.enumerated() {
            let childLower = index == 0 ? lower : node.keys[index - 1]
            let childUpper = index == node.keys.count ? upper : node.keys[index]
            if let problem = check(
                child, isRoot: false, depth: depth + 1, lower: childLower, upper: childUpper,
                leafDepth: &leafDepth, entries: &entries)
            {
                return problem
            }
        }
        return nil
    }
}
