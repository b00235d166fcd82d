/// History for watchers that start in the past (etcd's unsynced watcher catch-up).
extension MVCCStore {
    /// Events of `range` with revision >= `fromRevision`, in (revision, sub) order, each with
    /// its `prevKV` when the key existed before. Whole revisions only: once `limit` events
    /// (at least 1) are collected, or `KVLimits.eventsScanMax` changes examined, the call
    /// finishes the current revision and stops. `nextRevision` is where to continue (past the
    /// current revision when everything was returned). Starting below the compaction revision
    /// fails with `compacted`, as a watch does in etcd.
    public func events(
        in range: KeyRange, fromRevision: Int64, limit: Int
    ) throws(KVError) -> (events: [Event], nextRevision: Int64) {
        try events(
            in: range, fromRevision: fromRevision, limit: limit,
            scanMax: KVLimits.eventsScanMax)
    }

    func events(
        in range: KeyRange, fromRevision: Int64, limit: Int, scanMax: Int
    ) throws(KVError) -> (events: [Event], nextRevision: Int64) {
        if fromRevision < compactRevision { throw .compacted }
        let eventsMax = max(limit, 1)
        var events: [Event] = []
        var scanned = 0
        var groupRevision: Int64 = -1
        var stoppedAt: Int64?
        changeLog.forEach(from: fromRevision) { change in
            if change.revision != groupRevision {
                if events.count >= eventsMax || scanned >= scanMax {
                    stoppedAt = change.revision
                    return false
                }
                groupRevision = change.revision
            }
            scanned += 1
            if range.contains(change.key) { events.append(event(for: change)) }
            return true
        }
        return (events, stoppedAt ?? max(revision + 1, fromRevision))
    }

    /// Rebuilds the event a change log entry stands for from the key's history.
    func event(for change: ChangeRef) -> Event {
        guard let history = index.find(change.key),
            let position = history.indexOfRecord(change.revision, change.subRevision)
        else {
            preconditionFailure("change log entry without a record in the key index")
        }
        let record = history.records[position]
        var previous: KeyValue?
        if position > 0 && !history.records[position - 1].isTombstone {
            previous = history.records[position - 1].keyValue(change.key)
        }
        if record.isTombstone {
            let kv = KeyValue(key: change.key, modRevision: record.modRevision)
            return Event(kind: .delete, kv: kv, prevKV: previous)
        }
        return Event(kind: .put, kv: record.keyValue(change.key), prevKV: previous)
    }
}
