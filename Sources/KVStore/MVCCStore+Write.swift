/// The write primitives every mutating command is built from (etcd `storeTxnWrite.put`,
/// `deleteRange`, `delete`). Callers have checked everything that could fail first, so a
/// request either changes nothing or runs to the end.
extension MVCCStore {
    /// Puts `key` at the batch's revision; returns the previous live value.
    @discardableResult
    mutating func writePut(
        _ key: [UInt8], value: [UInt8], lease: Int64, batch: inout WriteBatch
    ) -> KeyValue? {
        let modRevision = batch.writeRevision
        let subRevision = batch.nextSubRevision
        let (prior, record) = index.update(key) { slot -> (KeyRecord?, KeyRecord) in
            let prior = slot?.live
            let record = KeyRecord(
                modRevision: modRevision, subRevision: subRevision,
                createRevision: prior?.createRevision ?? modRevision,
                version: (prior?.version ?? 0) + 1, lease: lease, value: value)
            if slot == nil {
                slot = KeyHistory(records: [record])
            } else {
                slot?.records.append(record)
            }
            return (prior, record)
        }
        if prior == nil { keyCount += 1 }
        if let oldLease = prior?.lease, oldLease != 0 { leaseTable[oldLease]?.keys.remove(key) }
        if lease != 0 { leaseTable[lease]?.keys.insert(key) }
        let previous = prior?.keyValue(key)
        batch.events.append(Event(kind: .put, kv: record.keyValue(key), prevKV: previous))
        changeLog.append(ChangeRef(revision: modRevision, subRevision: subRevision, key: key))
        return previous
    }

    /// Writes a tombstone for `key` if it is live; returns the deleted value.
    @discardableResult
    mutating func writeDelete(_ key: [UInt8], batch: inout WriteBatch) -> KeyValue? {
        let modRevision = batch.writeRevision
        let subRevision = batch.nextSubRevision
        let prior = index.update(key) { slot -> KeyRecord? in
            guard let prior = slot?.live else { return nil }
            slot?.records.append(.tombstone(modRevision: modRevision, subRevision: subRevision))
            return prior
        }
        guard let prior else { return nil }
        keyCount -= 1
        if prior.lease != 0 { leaseTable[prior.lease]?.keys.remove(key) }
        let previous = prior.keyValue(key)
        // etcd's delete event carries only the key and the deletion revision.
        let kv = KeyValue(key: key, modRevision: modRevision)
        batch.events.append(Event(kind: .delete, kv: kv, prevKV: previous))
        changeLog.append(ChangeRef(revision: modRevision, subRevision: subRevision, key: key))
        return previous
    }

    /// Deletes every live key of `range` in key order; returns the deleted values.
    mutating func writeDeleteRange(_ range: KeyRange, batch: inout WriteBatch) -> [KeyValue] {
        var keys: [[UInt8]] = []
        index.forEach(in: range) { key, history in
            if history.live != nil { keys.append(key) }
            return true
        }
        var deleted: [KeyValue] = []
        deleted.reserveCapacity(keys.count)
        for key in keys {
            if let previous = writeDelete(key, batch: &batch) { deleted.append(previous) }
        }
        return deleted
    }

    /// A put whose `ignore_*` and lease checks already passed (`applierV3backend.Put`).
    mutating func executePut(_ request: PutRequest, batch: inout WriteBatch) -> PutResponse {
        var value = request.value
        var lease = request.lease
        if request.ignoreValue || request.ignoreLease || request.prevKV,
            let existing = index.find(request.key)?.live
        {
            if request.ignoreValue { value = existing.value }
            if request.ignoreLease { lease = existing.lease }
        }
        let previous = writePut(request.key, value: value, lease: lease, batch: &batch)
        return PutResponse(
            revision: batch.writeRevision, prevKV: request.prevKV ? previous : nil)
    }

    /// `applierV3backend.DeleteRange`: the header revision is the new one only if this or an
    /// earlier op of the same request changed something.
    mutating func executeDeleteRange(
        _ request: DeleteRangeRequest, batch: inout WriteBatch
    ) -> DeleteRangeResponse {
        let deleted = writeDeleteRange(request.keyRange, batch: &batch)
        return DeleteRangeResponse(
            revision: batch.readRevision, deleted: Int64(deleted.count),
            prevKVs: request.prevKV ? deleted : [])
    }

    /// The state-dependent checks etcd makes before a put runs (`checkRequestPut`).
    func precheckPut(_ request: PutRequest) throws(KVError) {
        if request.ignoreValue || request.ignoreLease, index.find(request.key)?.live == nil {
            throw .keyNotFound
        }
        if request.lease != 0 && leaseTable[request.lease] == nil { throw .leaseNotFound }
    }

    /// Ends a request: if it changed anything, its revision becomes the current one.
    mutating func finish(_ batch: WriteBatch) {
        if !batch.events.isEmpty { revision = batch.writeRevision }
    }
}
