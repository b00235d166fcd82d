/// Insert, replace and remove with B-tree splits, borrows and merges. The caller has made
/// `self` uniquely referenced; children on the path are copied before they are written.
extension KeyIndexNode {
    enum Change {
        case none
        case inserted
        /// `underflow`: this node now has fewer than `nodeWidthMin` entries / children.
        case removed(underflow: Bool)
        /// An insert overflowed this node; `right` is its new right sibling.
        case split(separator: [UInt8], right: KeyIndexNode)
    }

    func update<Result>(
        _ key: [UInt8], body: (inout KeyHistory?) -> Result, result: inout Result?
    ) -> Change {
        if isLeaf { return updateLeaf(key, body: body, result: &result) }
        let index = childIndex(for: key)
        if !isKnownUniquelyReferenced(&children[index]) { children[index] = children[index].copy() }
        let change = children[index].update(key, body: body, result: &result)
        switch change {
        case .none, .inserted:
            return change
        case .removed(let underflow):
            if underflow { rebalance(child: index) }
            return .removed(underflow: children.count < KeyIndex.nodeWidthMin)
        case .split(let separator, let right):
            keys.insert(separator, at: index)
            children.insert(right, at: index + 1)
            return children.count > KeyIndex.nodeWidthMax ? splitInner() : .inserted
        }
    }

    private func updateLeaf<Result>(
        _ key: [UInt8], body: (inout KeyHistory?) -> Result, result: inout Result?
    ) -> Change {
        let (index, found) = search(key)
        var slot: KeyHistory? = nil
        if found {
            slot = histories[index]
            // Drop the leaf's reference so `body` owns the records array uniquely.
            histories[index] = .empty
        }
        result = body(&slot)
        switch (found, slot) {
        case (true, .some(let history)):
            histories[index] = history
            return .none
        case (true, .none):
            keys.remove(at: index)
            histories.remove(at: index)
            return .removed(underflow: keys.count < KeyIndex.nodeWidthMin)
        case (false, .some(let history)):
            keys.insert(key, at: index)
            histories.insert(history, at: index)
            return keys.count > KeyIndex.nodeWidthMax ? splitLeaf() : .inserted
        case (false, .none):
            return .none
        }
    }

    private func splitLeaf() -> Change {
        let middle = keys.count / 2
        let right = KeyIndexNode(
            keys: Array(keys[middle...]), histories: Array(histories[middle...]), children: [])
        keys.removeSubrange(middle...)
        histories.removeSubrange(middle...)
        return .split(separator: right.keys[0], right: right)
    }

    private func splitInner() -> Change {
        let middle = children.count / 2
        let separator = keys[middle - 1]
        let right = KeyIndexNode(
            keys: Array(keys[middle...]), histories: [], children: Array(children[middle...]))
        keys.removeSubrange((middle - 1)...)
        children.removeSubrange(middle...)
        return .split(separator: separator, right: right)
    }

    private func makeChildUnique(_ index: Int) {
        if !isKnownUniquelyReferenced(&children[index]) { children[index] = children[index].copy() }
    }

    /// Restores the size invariant of `children[index]` by borrowing from a sibling that
    /// has more than the minimum, or else merging with it.
    private func rebalance(child index: Int) {
        if index > 0 {
            makeChildUnique(index - 1)
            if children[index - 1].width > KeyIndex.nodeWidthMin {
                borrowFromLeft(into: index)
            } else {
                merge(at: index - 1)
            }
        } else {
            makeChildUnique(index + 1)
            if children[index + 1].width > KeyIndex.nodeWidthMin {
                borrowFromRight(into: index)
            } else {
                merge(at: index)
            }
        }
    }

    private func borrowFromLeft(into index: Int) {
        let left = children[index - 1]
        let child = children[index]
        if child.isLeaf {
            child.keys.insert(left.keys.removeLast(), at: 0)
            child.histories.insert(left.histories.removeLast(), at: 0)
            keys[index - 1] = child.keys[0]
        } else {
            child.keys.insert(keys[index - 1], at: 0)
            child.children.insert(left.children.removeLast(), at: 0)
            keys[index - 1] = left.keys.removeLast()
        }
    }

    private func borrowFromRight(into index: Int) {
        let right = children[index + 1]
        let child = children[index]
        if child.isLeaf {
            child.keys.append(right.keys.removeFirst())
            child.histories.append(right.histories.removeFirst())
            keys[index] = right.keys[0]
        } else {
            child.keys.append(keys[index])
            child.children.append(right.children.removeFirst())
            keys[index] = right.keys.removeFirst()
        }
    }

    /// Moves `children[index + 1]` into `children[index]` (which is uniquely referenced).
    private func merge(at index: Int) {
        let left = children[index]
        let right = children[index + 1]
        if left.isLeaf {
            left.keys += right.keys
            left.histories += right.histories
        } else {
            left.keys.append(keys[index])
            left.keys += right.keys
            left.children += right.children
        }
        keys.remove(at: index)
        children.remove(at: index + 1)
    }
}
