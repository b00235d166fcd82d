/// Compaction (reference/etcd.md §2.2): "any generation ended before the compaction revision
/// will be removed, and values set before the compaction revision except the latest one will
/// be removed". Reads at or after the compaction revision, and the events from it on (with
/// their prevKVs), are unchanged.
extension MVCCStore {
    /// O(n) scan of the index plus O(log n) per key whose history shrinks.
    mutating func compact(to target: Int64) {
        var updates: [(key: [UInt8], history: KeyHistory?)] = []
        index.forEach(from: []) { key, history in
            guard let first = history.records.first, first.modRevision < target else {
                return true
            }
            // The common case, one live version, has nothing to drop.
            if history.records.count == 1 && !first.isTombstone { return true }
            let kept = history.compacted(at: target)
            if kept?.records.count != history.records.count { updates.append((key, kept)) }
            return true
        }
        for update in updates {
            index.update(update.key) { slot in slot = update.history }
        }
        changeLog.dropBefore(target)
        compactRevision = target
    }
}
