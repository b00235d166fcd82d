import Platform

/// A CRC32C over the whole MVCC state, to compare replicas (in the spirit of etcd's HashKV):
/// revision, compaction revision, every key with every record kept since compaction, and
/// the leases. Equal stores give equal hashes; a snapshot round trip preserves it.
extension MVCCStore {
    public func hash() -> UInt32 {
        var crc = CRC32C()
        var scratch: [UInt8] = []
        scratch.reserveCapacity(64)
        Self.appendFixed(revision, to: &scratch)
        Self.appendFixed(compactRevision, to: &scratch)
        crc.update(scratch)
        index.forEach(from: []) { key, history in
            scratch.removeAll(keepingCapacity: true)
            Self.appendFixed(Int64(key.count), to: &scratch)
            crc.update(scratch)
            crc.update(key)
            for record in history.records {
                scratch.removeAll(keepingCapacity: true)
                Self.appendFixed(record.modRevision, to: &scratch)
                Self.appendFixed(record.subRevision, to: &scratch)
                Self.appendFixed(record.createRevision, to: &scratch)
                Self.appendFixed(record.version, to: &scratch)
                Self.appendFixed(record.lease, to: &scratch)
                Self.appendFixed(Int64(record.value.count), to: &scratch)
                crc.update(scratch)
                crc.update(record.value)
            }
            return true
        }
        for id in leaseTable.keys.sorted() {
            scratch.removeAll(keepingCapacity: true)
            Self.appendFixed(id, to: &scratch)
            Self.appendFixed(leaseTable[id]?.ttlSeconds ?? 0, to: &scratch)
            crc.update(scratch)
        }
        return crc.value
    }

    static func appendFixed(_ value: Int64, to bytes: inout [UInt8]) {
        let bits = UInt64(bitPattern: value)
        for shift in stride(from: 0, to: 64, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
        }
    }
}
