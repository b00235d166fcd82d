import Testing

@testable import KVStore

@Suite("Compaction (etcd data_model.md, kvstore.go updateCompactRev)")
struct CompactionTests {
    /// a: v1@2 v2@3 v3@5; b: created @4, deleted @6; c: v1@7.
    static func fixture() -> MVCCStore {
        var store = MVCCStore()
        store.put("a", "1")
        store.put("a", "2")
        store.put("b", "x")
        store.put("a", "3")
        store.delete("b")
        store.put("c", "1")
        return store
    }

    @Test("after compact(N) reads below N fail with the compacted error (rangeKeys)")
    func readsBelowFail() {
        var store = Self.fixture()
        #expect(store.exec(.compact(revision: 5)).result == .compact(revision: 5))
        #expect(throws: KVError.compacted) { try store.get("a", revision: 4) }
        #expect(KVError.compacted.message
            == "etcdserver: mvcc: required revision has been compacted")
        #expect(KVError.compacted.grpcCode == 11)
    }

    @Test("after compact(N) reads at exactly N still work")
    func readAtCompactRevision() throws {
        var store = Self.fixture()
        store.exec(.compact(revision: 4))
        #expect(try store.get("a", revision: 4)?.value == bytes("2"))
        #expect(try store.get("b", revision: 4)?.value == bytes("x"))
        #expect(try store.all(revision: 5).map(\.key) == [bytes("a"), bytes("b")])
    }

    @Test("compacting at or below the current compact revision fails with compacted")
    func compactNotAdvancing() {
        var store = Self.fixture()
        store.exec(.compact(revision: 4))
        #expect(store.exec(.compact(revision: 4)).error == .compacted)
        #expect(store.exec(.compact(revision: 3)).error == .compacted)
        #expect(store.compactRevision == 4)
    }

    @Test("compacting above the current revision fails with the future-revision error")
    func compactFuture() {
        var store = Self.fixture()
        #expect(store.exec(.compact(revision: 8)).error == .futureRevision)
        #expect(store.exec(.compact(revision: 7)).error == nil)
    }

    @Test("compaction keeps the latest value before N and every later one; revision stays")
    func historyKept() throws {
        var store = Self.fixture()
        store.exec(.compact(revision: 4))
        #expect(store.revision == 7)
        #expect(try store.get("a", revision: 4)?.modRevision == 3)
        #expect(try store.get("a", revision: 5)?.value == bytes("3"))
        let history = try #require(store.index.find(bytes("a")))
        #expect(history.records.map(\.modRevision) == [3, 5])
    }

    @Test("compaction drops keys whose last generation ended before N")
    func tombstonedKeysDropped() throws {
        var store = Self.fixture()
        store.exec(.compact(revision: 7))
        #expect(store.index.find(bytes("b")) == nil)
        #expect(store.index.count == 2)
        #expect(store.keyCount == 2)
        #expect(try store.all().map(\.key) == [bytes("a"), bytes("c")])
    }

    @Test("a tombstone written at exactly N is kept so a watch from N sees the delete")
    func tombstoneAtCompactRevisionKept() throws {
        var store = Self.fixture()
        store.exec(.compact(revision: 6))
        let events = try store.events(in: .all, fromRevision: 6, limit: 10).events
        #expect(events.map(\.kind) == [.delete, .put])
        #expect(events[0].prevKV?.value == bytes("x"))
    }

    @Test("compaction keeps the history of events from N on, with their prevKVs")
    func eventsAfterCompaction() throws {
        var store = Self.fixture()
        store.exec(.compact(revision: 5))
        let events = try store.events(in: .all, fromRevision: 5, limit: 100).events
        #expect(events.map(\.kv.modRevision) == [5, 6, 7])
        #expect(events[0].prevKV?.value == bytes("2"))
        #expect(throws: KVError.compacted) {
            try store.events(in: .all, fromRevision: 4, limit: 100)
        }
    }
}
