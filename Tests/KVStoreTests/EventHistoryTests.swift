import Testing

@testable import KVStore

@Suite("Event history for watches (etcd watch guarantees)")
struct EventHistoryTests {
    static func fixture() -> MVCCStore {
        var store = MVCCStore()
        store.put("a", "1")  // 2
        store.txn(
            TxnRequest(success: [  // 3: two events
                .put(PutRequest(key: bytes("b"), value: bytes("1"))),
                .put(PutRequest(key: bytes("a"), value: bytes("2"))),
            ]))
        store.delete("a")  // 4
        store.put("c", "1")  // 5
        return store
    }

    @Test("events come in (revision, sub) order from the start revision, inclusive")
    func ordered() throws {
        let store = Self.fixture()
        let result = try store.events(in: .all, fromRevision: 3, limit: 100)
        #expect(result.events.map(\.kv.modRevision) == [3, 3, 4, 5])
        #expect(result.events.map(\.kv.key) == [bytes("b"), bytes("a"), bytes("a"), bytes("c")])
        #expect(result.nextRevision == 6)
    }

    @Test("a limit never splits a revision: the last revision is finished (Atomic)")
    func limitKeepsRevisionWhole() throws {
        let store = Self.fixture()
        let first = try store.events(in: .all, fromRevision: 2, limit: 2)
        #expect(first.events.map(\.kv.modRevision) == [2, 3, 3])
        #expect(first.nextRevision == 4)
        let rest = try store.events(in: .all, fromRevision: first.nextRevision, limit: 2)
        #expect(rest.events.map(\.kv.modRevision) == [4, 5])
        #expect(rest.nextRevision == 6)
    }

    @Test("only events of keys in the range are returned")
    func filteredByRange() throws {
        let store = Self.fixture()
        let result = try store.events(in: KeyRange(key: bytes("a")), fromRevision: 0, limit: 100)
        #expect(result.events.map(\.kind) == [.put, .put, .delete])
    }

    @Test("history events carry prevKV when the key existed before")
    func prevKVs() throws {
        let store = Self.fixture()
        let events = try store.events(in: KeyRange(key: bytes("a")), fromRevision: 2, limit: 9)
            .events
        #expect(events[0].prevKV == nil)
        #expect(events[1].prevKV?.value == bytes("1"))
        #expect(events[2].prevKV?.value == bytes("2"))
        #expect(events[2].kv == KeyValue(key: bytes("a"), modRevision: 4))
    }

    @Test("history equals the events apply returned, command by command")
    func historyMatchesApply() throws {
        var store = MVCCStore()
        var applied: [Event] = []
        applied += store.put("x", "1").events
        applied += store.delete("x", prevKV: true).events
        applied += store.put("y", "2").events
        #expect(try store.events(in: .all, fromRevision: 1, limit: 100).events == applied)
    }

    @Test("starting beyond the current revision returns nothing and continues from there")
    func futureStart() throws {
        let store = Self.fixture()
        let result = try store.events(in: .all, fromRevision: 9, limit: 10)
        #expect(result.events.isEmpty)
        #expect(result.nextRevision == 9)
    }
}

@Suite("Event history bounds and the chunked change log")
struct EventHistoryBoundsTests {
    @Test("a call examines at most eventsScanMax changes, then stops at a revision boundary")
    func scanLimit() throws {
        var store = MVCCStore()
        for index in 0..<4 { store.put("other\(index)", "v") }  // revisions 2...5
        let far = KeyRange(key: bytes("watched"))
        let three = try store.events(in: far, fromRevision: 2, limit: 10, scanMax: 4)
        #expect(three.events.isEmpty)
        #expect(three.nextRevision == 6)
        let limited = try store.events(in: far, fromRevision: 2, limit: 10, scanMax: 3)
        #expect(limited.events.isEmpty)
        #expect(limited.nextRevision == 5)
        #expect(KVLimits.eventsScanMax == 65_536)
    }

    @Test("a limit below 1 still returns one whole revision so callers make progress")
    func limitBelowOne() throws {
        var store = MVCCStore()
        store.put("a", "1")
        store.put("b", "1")
        let result = try store.events(in: .all, fromRevision: 0, limit: 0)
        #expect(result.events.map(\.kv.key) == [bytes("a")])
        #expect(result.nextRevision == 3)
    }

    @Test("the change log finds, drops and shares entries across chunk boundaries")
    func chunkedLog() {
        var log = ChangeLog()
        let total = ChangeLog.chunkCapacity * 2 + 100
        for revision in 0..<total {
            log.append(ChangeRef(revision: Int64(revision) + 2, subRevision: 0, key: [1]))
        }
        let copy = log
        #expect(log.chunks.count == 3)
        let position = log.firstPosition(atOrAfter: Int64(ChangeLog.chunkCapacity) + 5)
        #expect(position?.chunk == 1)
        #expect(position?.offset == 3)
        log.dropBefore(Int64(ChangeLog.chunkCapacity) + 5)
        log.append(ChangeRef(revision: Int64(total) + 2, subRevision: 0, key: [2]))
        var revisions: [Int64] = []
        log.forEach(from: 0) { change in
            revisions.append(change.revision)
            return true
        }
        #expect(revisions.first == Int64(ChangeLog.chunkCapacity) + 5)
        #expect(revisions.last == Int64(total) + 2)
        #expect(revisions.count == total - ChangeLog.chunkCapacity - 2)
        var copied = 0
        copy.forEach(from: 0) { _ in
            copied += 1
            return true
        }
        #expect(copied == total)
        log.dropBefore(Int64(total) + 10)
        #expect(log.isEmpty)
    }
}
