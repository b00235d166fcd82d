/// One entry of a key's history: a put (version >= 1) or a tombstone (version 0), written at
/// revision `(modRevision, subRevision)`; `subRevision` orders the changes of one revision,
/// like etcd's `revision{main, sub}`.
struct KeyRecord: Sendable, Equatable {
    var modRevision: Int64
    var subRevision: Int64
    /// 0 for a tombstone.
    var createRevision: Int64
    /// 0 for a tombstone: "a deletion resets the version to zero" (`kv.proto`).
    var version: Int64
    var lease: Int64
    var value: [UInt8]

    @inline(__always)
    var isTombstone: Bool { version == 0 }

    static func tombstone(modRevision: Int64, subRevision: Int64) -> KeyRecord {
        KeyRecord(
            modRevision: modRevision, subRevision: subRevision, createRevision: 0, version: 0,
            lease: 0, value: [])
    }

    func keyValue(_ key: [UInt8]) -> KeyValue {
        KeyValue(
            key: key, createRevision: createRevision, modRevision: modRevision,
            version: version, value: value, lease: lease)
    }

    @inline(__always)
    func precedes(_ modRevision: Int64, _ subRevision: Int64) -> Bool {
        self.modRevision < modRevision
            || (self.modRevision == modRevision && self.subRevision < subRevision)
    }
}

/// Everything kept about one key since the last compaction: its records in revision order.
/// Never empty while stored in the index. One array per key keeps the common one-version key
/// at a single small allocation (etcd's `keyIndex` generations flattened: a tombstone ends a
/// generation).
struct KeyHistory: Sendable {
    var records: [KeyRecord]

    static let empty = KeyHistory(records: [])

    /// The newest record, if it is live.
    @inline(__always)
    var live: KeyRecord? {
        guard let last = records.last, !last.isTombstone else { return nil }
        return last
    }

    /// Index of the newest record with `modRevision <= revision`.
    func indexOfRecord(atOrBefore revision: Int64) -> Int? {
        if let last = records.last, last.modRevision <= revision { return records.count - 1 }
        var low = 0
        var high = records.count
        while low < high {
            let middle = (low + high) / 2
            if records[middle].modRevision <= revision { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : low - 1
    }

    /// The key's live record at `revision`, nil if it did not exist then.
    @inline(__always)
    func record(at revision: Int64) -> KeyRecord? {
        guard let index = indexOfRecord(atOrBefore: revision) else { return nil }
        let record = records[index]
        return record.isTombstone ? nil : record
    }

    /// Index of the record written at exactly `(modRevision, subRevision)`.
    func indexOfRecord(_ modRevision: Int64, _ subRevision: Int64) -> Int? {
        var low = 0
        var high = records.count
        while low < high {
            let middle = (low + high) / 2
            if records[middle].precedes(modRevision, subRevision) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        guard low < records.count, records[low].modRevision == modRevision,
            records[low].subRevision == subRevision
        else { return nil }
        return low
    }

    /// The history after `compact(revision)`: every record at or after the compaction
    /// revision, plus the newest earlier record if it is live (reads at the compaction
    /// revision and `prevKV`s of later events need it). Nil when nothing is left, i.e. the
    /// key was deleted before the compaction revision (etcd drops such generations).
    func compacted(at revision: Int64) -> KeyHistory? {
        var firstKept = 0
        while firstKept < records.count && records[firstKept].modRevision < revision {
            firstKept += 1
        }
        if firstKept > 0 && !records[firstKept - 1].isTombstone { firstKept -= 1 }
        if firstKept == 0 { return self }
        if firstKept == records.count { return nil }
        return KeyHistory(records: Array(records[firstKept...]))
    }
}
