import Testing

@testable import KVStore

@Suite("Revisions and versions (etcd data model)")
struct RevisionTests {
    @Test("a new store is at revision 1 and its first write creates revision 2 (data_model.md)")
    func initialRevision() {
        var store = MVCCStore()
        #expect(store.revision == 1)
        let outcome = store.put("a", "1")
        #expect(outcome.revision == 2)
        #expect(outcome.putResponse?.revision == 2)
        #expect(store.revision == 2)
    }

    @Test("create_revision stays, mod_revision and version advance on every put (kv.proto)")
    func createModVersion() throws {
        var store = MVCCStore()
        store.put("k", "v1")
        store.put("other", "x")
        store.put("k", "v2")
        let kv = try #require(try store.get("k"))
        #expect(kv.createRevision == 2)
        #expect(kv.modRevision == 4)
        #expect(kv.version == 2)
        #expect(kv.value == bytes("v2"))
    }

    @Test("a deletion resets the version; re-creating starts a new generation (kv.proto)")
    func deletionResetsVersion() throws {
        var store = MVCCStore()
        store.put("k", "v1")
        store.put("k", "v2")
        store.delete("k")
        #expect(try store.get("k") == nil)
        store.put("k", "v3")
        let kv = try #require(try store.get("k"))
        #expect(kv.version == 1)
        #expect(kv.createRevision == 5)
        #expect(kv.modRevision == 5)
    }

    @Test("a put always creates a revision, even with an unchanged value")
    func putSameValueBumps() {
        var store = MVCCStore()
        store.put("k", "v")
        store.put("k", "v")
        #expect(store.revision == 3)
    }

    @Test("deleting nothing does not create a revision (storeTxnWrite.deleteRange)")
    func deleteNothingNoRevision() {
        var store = MVCCStore()
        store.put("a", "1")
        let outcome = store.delete("zzz")
        #expect(outcome.revision == 2)
        #expect(outcome.deleteResponse == DeleteRangeResponse(revision: 2, deleted: 0))
        #expect(outcome.events.isEmpty)
    }

    @Test("a txn gets one revision for all of its writes, ordered by sub revision")
    func txnOneRevision() throws {
        var store = MVCCStore()
        let outcome = store.txn(
            TxnRequest(success: [
                .put(PutRequest(key: bytes("b"), value: bytes("1"))),
                .put(PutRequest(key: bytes("a"), value: bytes("2"))),
                .deleteRange(DeleteRangeRequest(key: bytes("none"))),
            ]))
        #expect(outcome.revision == 2)
        #expect(outcome.events.map(\.kv.key) == [bytes("b"), bytes("a")])
        #expect(outcome.events.allSatisfy { $0.kv.modRevision == 2 })
        let history = try store.events(in: .all, fromRevision: 1, limit: 10).events
        #expect(history.map(\.kv.key) == [bytes("b"), bytes("a")])
    }

    @Test("a txn whose branch only reads does not create a revision (api_guarantees.md)")
    func readOnlyTxnNoRevision() {
        var store = MVCCStore()
        store.put("a", "1")
        let outcome = store.txn(
            TxnRequest(success: [.range(RangeRequest(key: bytes("a")))]))
        #expect(outcome.revision == 2)
        #expect(outcome.txnResponse?.revision == 2)
        #expect(store.revision == 2)
    }

    @Test("a failed request changes nothing, not even the revision")
    func failedRequestNoRevision() {
        var store = MVCCStore()
        store.put("a", "1")
        let outcome = store.exec(.put(PutRequest(key: bytes("a"), value: [], lease: 99)))
        #expect(outcome.error == .leaseNotFound)
        #expect(outcome.revision == 2)
        #expect(store.revision == 2)
    }

    @Test("keyCount counts live keys only")
    func keyCountLive() {
        var store = MVCCStore()
        store.put("a", "1")
        store.put("b", "1")
        store.put("a", "2")
        store.delete("b")
        #expect(store.keyCount == 1)
    }
}
