import Testing

@testable import KVStore

@Suite("Snapshots and copy-on-write")
struct SnapshotTests {
    static func fixture() -> MVCCStore {
        var store = MVCCStore()
        store.exec(.leaseGrant(id: 11, ttlSeconds: 30))
        store.exec(.leaseGrant(id: -4, ttlSeconds: 90))
        for index in 0..<300 {
            store.put("key\(index % 120)", "value\(index)", lease: index % 7 == 0 ? 11 : 0)
        }
        store.delete("key1", rangeEnd: "key2")
        store.exec(.compact(revision: 200))
        store.put("late", "x", lease: -4)
        return store
    }

    /// Every observable: all ranges at every readable revision, history, leases, counters.
    static func expectSameState(_ left: MVCCStore, _ right: MVCCStore) throws {
        #expect(left.revision == right.revision)
        #expect(left.compactRevision == right.compactRevision)
        #expect(left.keyCount == right.keyCount)
        #expect(left.hash() == right.hash())
        #expect(left.leases() == right.leases())
        for id in left.leases() {
            #expect(left.leaseInfo(id)?.keys == right.leaseInfo(id)?.keys)
            #expect(left.leaseInfo(id)?.ttlSeconds == right.leaseInfo(id)?.ttlSeconds)
        }
        for revision in left.compactRevision...left.revision {
            #expect(try left.all(revision: revision) == right.all(revision: revision))
        }
        let from = left.compactRevision
        #expect(try left.events(in: .all, fromRevision: from, limit: 1_000_000).events
            == right.events(in: .all, fromRevision: from, limit: 1_000_000).events)
    }

    @Test("a snapshot decodes to an identical store (ranges at every revision, hash, leases)")
    func roundTrip() throws {
        let store = Self.fixture()
        let decoded = try MVCCStore.decodeSnapshot(store.encodeSnapshot())
        try Self.expectSameState(store, decoded)
        #expect(decoded.index.invariantViolation() == nil)
    }

    @Test("a decoded store keeps working: the next write gets the next revision")
    func decodedStoreApplies() throws {
        var store = Self.fixture()
        var decoded = try MVCCStore.decodeSnapshot(store.encodeSnapshot())
        let left = store.put("key5", "new", lease: 11)
        let right = decoded.put("key5", "new", lease: 11)
        #expect(left.events == right.events)
        store.exec(.leaseRevoke(id: 11))
        decoded.exec(.leaseRevoke(id: 11))
        try Self.expectSameState(store, decoded)
    }

    @Test("an empty store round-trips")
    func emptyRoundTrip() throws {
        let decoded = try MVCCStore.decodeSnapshot(MVCCStore().encodeSnapshot())
        #expect(decoded.revision == 1)
        #expect(decoded.hash() == MVCCStore().hash())
    }

    @Test("any single corrupted byte is detected by the checksum or the magic")
    func corruption() {
        let encoded = Self.fixture().encodeSnapshot()
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            var corrupted = encoded
            let position = Int.random(in: 0..<encoded.count, using: &generator)
            corrupted[position] ^= UInt8.random(in: 1...255, using: &generator)
            #expect(throws: KVCodecError.self) { try MVCCStore.decodeSnapshot(corrupted) }
        }
    }

    @Test("every truncation of a snapshot fails cleanly")
    func truncation() {
        var small = MVCCStore()
        small.put("a", "1")
        small.put("b", "2")
        let encoded = small.encodeSnapshot()
        for length in 0..<encoded.count {
            #expect(throws: KVCodecError.self) {
                try MVCCStore.decodeSnapshot(Array(encoded[0..<length]))
            }
        }
    }

    @Test("a snapshot with a valid checksum but broken invariants is rejected")
    func inconsistentSnapshot() {
        var writer = ByteWriter()
        writer.bytes += MVCCStore.snapshotMagic
        writer.byte(MVCCStore.snapshotVersion)
        writer.varint(5)
        writer.varint(0)
        writer.uvarint(0)
        writer.uvarint(2)
        for key in ["b", "a"] {  // keys out of order
            writer.lengthPrefixed(bytes(key))
            writer.uvarint(1)
            for field: Int64 in [2, 0, 2, 1, 0] { writer.varint(field) }
            writer.lengthPrefixed([])
        }
        writer.uint32LittleEndian(MVCCStore.checksum(writer.bytes))
        #expect(throws: KVCodecError.inconsistent("keys not ascending")) {
            try MVCCStore.decodeSnapshot(writer.bytes)
        }
    }

    @Test("copying a store is a snapshot: later writes to the original do not show in the copy")
    func copyOnWrite() throws {
        var store = Self.fixture()
        let copy = store
        let copyHash = copy.hash()
        let copyBytes = copy.encodeSnapshot()
        for index in 0..<500 { store.put("key\(index)", "changed") }
        store.delete("a", rangeEnd: "z")
        store.exec(.compact(revision: store.revision))
        #expect(copy.hash() == copyHash)
        #expect(copy.encodeSnapshot() == copyBytes)
        #expect(store.hash() != copyHash)
        #expect(copy.index.invariantViolation() == nil)
        #expect(store.index.invariantViolation() == nil)
    }

    @Test("the hash changes with any value, revision or lease change")
    func hashSensitivity() {
        var store = Self.fixture()
        let before = store.hash()
        var other = store
        other.put("key3", "different")
        #expect(other.hash() != before)
        var leased = store
        leased.exec(.leaseGrant(id: 99, ttlSeconds: 5))
        #expect(leased.hash() != before)
        store.put("key3", "x")
        var same = Self.fixture()
        same.put("key3", "x")
        #expect(store.hash() == same.hash())
    }
}
