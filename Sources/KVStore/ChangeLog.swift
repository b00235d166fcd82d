/// Where one change of the key space lives: key `key`, record `(revision, subRevision)`.
struct ChangeRef: Sendable {
    var revision: Int64
    var subRevision: Int64
    var key: [UInt8]
}

/// Fixed-size block of the change log; shared between copies of a store until written.
/// `@unchecked Sendable`: only mutated while uniquely referenced (copy-on-write).
final class ChangeChunk: @unchecked Sendable {
    /// Unchecked at run time for the reason given on `KeyIndexNode.keys`: one writer, on a
    /// chunk it holds uniquely.
    @exclusivity(unchecked) var items: [ChangeRef]

    init(items: [ChangeRef]) {
        self.items = items
    }
}

/// Every change since the compaction revision in (revision, sub) order: the revision-ordered
/// view a watch needs (etcd reads its backend by revision for the same purpose). Stored in
/// chunks so that appending after the store was copied copies one chunk, not the whole log.
struct ChangeLog: Sendable {
    /// Entries per chunk: 4096 × 24 bytes ≈ 96 KiB, the most an append may have to copy.
    static let chunkCapacity = 4096

    private(set) var chunks: [ChangeChunk] = []
    /// Entries of `chunks[0]` before this index were compacted away.
    private(set) var startOffset = 0

    init() {}

    /// Builds a log from refs already in (revision, sub) order.
    init(sorted refs: [ChangeRef]) {
        var start = 0
        while start < refs.count {
            let end = min(start + Self.chunkCapacity, refs.count)
            chunks.append(ChangeChunk(items: Array(refs[start..<end])))
            start = end
        }
    }

    var isEmpty: Bool { chunks.isEmpty }

    mutating func append(_ ref: ChangeRef) {
        let lastIndex = chunks.count - 1
        if lastIndex < 0 || chunks[lastIndex].items.count >= Self.chunkCapacity {
            var items: [ChangeRef] = []
            items.reserveCapacity(Self.chunkCapacity)
            items.append(ref)
            chunks.append(ChangeChunk(items: items))
            return
        }
        if !isKnownUniquelyReferenced(&chunks[lastIndex]) {
            chunks[lastIndex] = ChangeChunk(items: chunks[lastIndex].items)
        }
        chunks[lastIndex].items.append(ref)
    }

    /// Forgets every entry with a revision below `revision`.
    mutating func dropBefore(_ revision: Int64) {
        guard let position = firstPosition(atOrAfter: revision) else {
            chunks = []
            startOffset = 0
            return
        }
        chunks.removeFirst(position.chunk)
        startOffset = position.offset
    }

    /// Chunk index and offset of the first entry with revision >= `revision`.
    func firstPosition(atOrAfter revision: Int64) -> (chunk: Int, offset: Int)? {
        // Last chunk whose first entry is < revision, or the first chunk.
        var low = 0
        var high = chunks.count
        while low < high {
            let middle = (low + high) / 2
            if chunks[middle].items[0].revision < revision {
                low = middle + 1
            } else {
                high = middle
            }
        }
        var chunk = max(low - 1, 0)
        while chunk < chunks.count {
            let items = chunks[chunk].items
            var first = chunk == 0 ? startOffset : 0
            var last = items.count
            while first < last {
                let middle = (first + last) / 2
                if items[middle].revision < revision { first = middle + 1 } else { last = middle }
            }
            if first < items.count { return (chunk, first) }
            chunk += 1
        }
        return nil
    }

    /// Visits entries from the first with revision >= `revision`, until `body` returns false.
    func forEach(from revision: Int64, _ body: (ChangeRef) -> Bool) {
        guard let position = firstPosition(atOrAfter: revision) else { return }
        for chunk in position.chunk..<chunks.count {
            let items = chunks[chunk].items
            let first = chunk == position.chunk ? position.offset : 0
            for index in first..<items.count where !body(items[index]) {
                return
            }
        }
    }
}
