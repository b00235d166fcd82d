import Platform

/// The whole state machine as one checksummed byte string, for Raft snapshots:
///
///     "RKVS" version(1) revision compactRevision
///     leaseCount (id ttlSeconds)*                       ids ascending
///     keyCount (key recordCount (mod sub create version lease value)*)*   keys ascending
///     crc32c(everything before, 4 bytes little-endian)
///
/// Integers are zigzag varints, byte strings length-prefixed. Lease key sets and the change
/// log are derived from the records on decode, so they cannot disagree with them.
extension MVCCStore {
    static let snapshotMagic: [UInt8] = Array("RKVS".utf8)
    static let snapshotVersion: UInt8 = 1

    /// The encoding, after `prefix` when one is given: a caller wrapping the image in its
    /// own format (the server adds its member table) gets it in one buffer instead of
    /// copying a store-sized image into another. The checksum covers the image only.
    public func encodeSnapshot(after prefix: [UInt8] = []) -> [UInt8] {
        var writer = ByteWriter(capacity: prefix.count + snapshotSizeEstimate())
        writer.bytes.append(contentsOf: prefix)
        writer.bytes.append(contentsOf: Self.snapshotMagic)
        writer.byte(Self.snapshotVersion)
        writer.varint(revision)
        writer.varint(compactRevision)
        writer.uvarint(UInt64(leaseTable.count))
        for id in leaseTable.keys.sorted() {
            writer.varint(id)
            writer.varint(leaseTable[id]?.ttlSeconds ?? 0)
        }
        writer.uvarint(UInt64(index.count))
        index.forEach(from: []) { key, history in
            writer.lengthPrefixed(key)
            writer.uvarint(UInt64(history.records.count))
            for record in history.records {
                writer.varint(record.modRevision)
                writer.varint(record.subRevision)
                writer.varint(record.createRevision)
                writer.varint(record.version)
                writer.varint(record.lease)
                writer.lengthPrefixed(record.value)
            }
            return true
        }
        writer.uint32LittleEndian(Self.checksum(writer.bytes[prefix.count...]))
        return writer.bytes
    }

    /// CRC32C of a whole snapshot body.
    static func checksum(_ body: some Collection<UInt8>) -> UInt32 {
        CRC32C.checksum(body)
    }

    /// Upper bound of the encoding size, so the output buffer is allocated once.
    func snapshotSizeEstimate() -> Int {
        var size = 64 + leaseTable.count * 20
        index.forEach(from: []) { key, history in
            size += key.count + 20
            for record in history.records { size += record.value.count + 60 }
            return true
        }
        return size
    }

    /// Decodes and checks a snapshot: checksum first, then every invariant the store relies
    /// on (keys ascending, records ordered and within the revision, leases known).
    public static func decodeSnapshot(_ bytes: [UInt8]) throws(KVCodecError) -> MVCCStore {
        let headerCount = snapshotMagic.count + 1
        guard bytes.count >= headerCount + 4 else { throw .truncated }
        guard Array(bytes[0..<snapshotMagic.count]) == snapshotMagic else { throw .badMagic }
        let version = bytes[snapshotMagic.count]
        guard version == snapshotVersion else { throw .unsupportedVersion(version) }
        let bodyEnd = bytes.count - 4
        var checksumReader = ByteReader(bytes, start: bodyEnd)
        let stored = try checksumReader.uint32LittleEndian()
        let computed = bytes.withUnsafeBytes { buffer in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buffer[0..<bodyEnd]))
        }
        guard stored == computed else { throw .checksumMismatch }

        var reader = ByteReader(bytes, start: headerCount, end: bodyEnd)
        var store = MVCCStore()
        store.revision = try reader.varint()
        store.compactRevision = try reader.varint()
        // Below Int64.max so that the next write's revision cannot overflow.
        guard store.revision >= 1, store.revision < Int64.max, store.compactRevision >= 0,
            store.compactRevision <= store.revision
        else { throw .inconsistent("revision or compact revision out of range") }
        store.leaseTable = try readLeases(&reader)
        try readKeys(&reader, into: &store)
        guard reader.isAtEnd else { throw .trailingBytes }
        return store
    }

    static func readLeases(
        _ reader: inout ByteReader
    ) throws(KVCodecError) -> [Int64: LeaseEntry] {
        let count = try reader.count(bytesPerItemMin: 2)
        var leases: [Int64: LeaseEntry] = [:]
        leases.reserveCapacity(count)
        var previousID: Int64?
        for _ in 0..<count {
            let id = try reader.varint()
            let ttlSeconds = try reader.varint()
            if let previousID, id <= previousID { throw .inconsistent("lease ids not ascending") }
            if id == 0 { throw .inconsistent("lease id 0") }
            previousID = id
            leases[id] = LeaseEntry(ttlSeconds: ttlSeconds)
        }
        return leases
    }

    static func readKeys(
        _ reader: inout ByteReader, into store: inout MVCCStore
    ) throws(KVCodecError) {
        let keyCount = try reader.count(bytesPerItemMin: 9)
        var keys: [[UInt8]] = []
        var histories: [KeyHistory] = []
        var changes: [ChangeRef] = []
        keys.reserveCapacity(keyCount)
        histories.reserveCapacity(keyCount)
        changes.reserveCapacity(keyCount)
        for _ in 0..<keyCount {
            let key = try reader.lengthPrefixed()
            if key.isEmpty { throw .inconsistent("empty key") }
            if let last = keys.last, !ByteOrder.less(last, key) {
                throw .inconsistent("keys not ascending")
            }
            let history = try readHistory(&reader, store: store)
            for record in history.records where record.modRevision >= store.compactRevision {
                changes.append(
                    ChangeRef(
                        revision: record.modRevision, subRevision: record.subRevision, key: key))
            }
            if let live = history.live {
                store.keyCount += 1
                if live.lease != 0 {
                    guard store.leaseTable[live.lease] != nil else {
                        throw .inconsistent("key attached to an unknown lease")
                    }
                    store.leaseTable[live.lease]?.keys.insert(key)
                }
            }
            keys.append(key)
            histories.append(history)
        }
        store.index = KeyIndex(sortedKeys: keys, histories: histories)
        store.changeLog = try changeLog(sorting: &changes)
    }

    /// Orders the changes since compaction by (revision, sub); no two may coincide.
    static func changeLog(sorting changes: inout [ChangeRef]) throws(KVCodecError) -> ChangeLog {
        changes.sort { left, right in
            left.revision != right.revision
                ? left.revision < right.revision : left.subRevision < right.subRevision
        }
        for index in changes.indices.dropFirst() {
            let previous = changes[index - 1]
            if previous.revision == changes[index].revision
                && previous.subRevision == changes[index].subRevision
            {
                throw .inconsistent("two changes share a revision")
            }
        }
        return ChangeLog(sorted: changes)
    }

    static func readHistory(
        _ reader: inout ByteReader, store: MVCCStore
    ) throws(KVCodecError) -> KeyHistory {
        let recordCount = try reader.count(bytesPerItemMin: 6)
        if recordCount == 0 { throw .inconsistent("key without records") }
        var records: [KeyRecord] = []
        records.reserveCapacity(recordCount)
        for _ in 0..<recordCount {
            let record = KeyRecord(
                modRevision: try reader.varint(), subRevision: try reader.varint(),
                createRevision: try reader.varint(), version: try reader.varint(),
                lease: try reader.varint(), value: try reader.lengthPrefixed())
            try checkRecord(record, after: records.last, revision: store.revision)
            records.append(record)
        }
        return KeyHistory(records: records)
    }

    static func checkRecord(
        _ record: KeyRecord, after previous: KeyRecord?, revision: Int64
    ) throws(KVCodecError) {
        guard record.modRevision >= 1, record.modRevision <= revision,
            record.subRevision >= 0
        else { throw .inconsistent("record revision out of range") }
        if let previous, !previous.precedes(record.modRevision, record.subRevision) {
            throw .inconsistent("records not in revision order")
        }
        if record.isTombstone {
            guard record.createRevision == 0, record.lease == 0, record.value.isEmpty else {
                throw .inconsistent("tombstone with contents")
            }
        } else {
            guard record.version >= 1, record.createRevision >= 1,
                record.createRevision <= record.modRevision
            else { throw .inconsistent("record version or create revision out of range") }
        }
    }
}
