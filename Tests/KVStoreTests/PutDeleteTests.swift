import Testing

@testable import KVStore

@Suite("Put and DeleteRange (etcd applierV3backend.Put / DeleteRange)")
struct PutDeleteTests {
    @Test("prev_kv returns the previous pair on overwrite and nothing on creation")
    func putPrevKV() {
        var store = MVCCStore()
        let first = store.exec(.put(PutRequest(key: bytes("k"), value: bytes("1"), prevKV: true)))
        #expect(first.putResponse == PutResponse(revision: 2, prevKV: nil))
        let second = store.exec(
            .put(PutRequest(key: bytes("k"), value: bytes("2"), prevKV: true)))
        #expect(second.putResponse?.prevKV == KeyValue(
            key: bytes("k"), createRevision: 2, modRevision: 2, version: 1, value: bytes("1")))
    }

    @Test("without prev_kv the response carries no previous pair")
    func putWithoutPrevKV() {
        var store = MVCCStore()
        store.put("k", "1")
        #expect(store.put("k", "2").putResponse == PutResponse(revision: 3))
    }

    @Test("ignore_value keeps the current value and still bumps version and revision")
    func ignoreValue() throws {
        var store = MVCCStore()
        store.put("k", "keep")
        let outcome = store.exec(.put(PutRequest(key: bytes("k"), ignoreValue: true)))
        #expect(outcome.revision == 3)
        let kv = try #require(try store.get("k"))
        #expect(kv.value == bytes("keep"))
        #expect(kv.version == 2)
    }

    @Test("ignore_value on a missing key fails with \"key not found\" and no revision")
    func ignoreValueMissingKey() {
        var store = MVCCStore()
        let outcome = store.exec(.put(PutRequest(key: bytes("k"), ignoreValue: true)))
        #expect(outcome.error == .keyNotFound)
        #expect(store.revision == 1)
        #expect(KVError.keyNotFound.message == "etcdserver: key not found")
    }

    @Test("ignore_value with a value is rejected before proposing (checkPutRequest)")
    func ignoreValueWithValue() {
        let command = KVCommand.put(
            PutRequest(key: bytes("k"), value: bytes("v"), ignoreValue: true))
        #expect(throws: KVError.valueProvided) { try command.validate() }
    }

    @Test("ignore_lease with a lease is rejected before proposing (checkPutRequest)")
    func ignoreLeaseWithLease() {
        let command = KVCommand.put(PutRequest(key: bytes("k"), lease: 5, ignoreLease: true))
        #expect(throws: KVError.leaseProvided) { try command.validate() }
    }

    @Test("ignore_lease keeps the current lease while the value changes")
    func ignoreLease() throws {
        var store = MVCCStore()
        store.exec(.leaseGrant(id: 7, ttlSeconds: 60))
        store.put("k", "1", lease: 7)
        store.exec(.put(PutRequest(key: bytes("k"), value: bytes("2"), ignoreLease: true)))
        let kv = try #require(try store.get("k"))
        #expect(kv.lease == 7)
        #expect(kv.value == bytes("2"))
        #expect(store.leaseInfo(7)?.keys == [bytes("k")])
    }

    @Test("ignore_lease on a missing key fails with \"key not found\"")
    func ignoreLeaseMissingKey() {
        var store = MVCCStore()
        #expect(store.exec(.put(PutRequest(key: bytes("k"), ignoreLease: true))).error
            == .keyNotFound)
    }

    @Test("a put with an empty key is rejected with \"key is not provided\"")
    func putEmptyKey() {
        var store = MVCCStore()
        #expect(throws: KVError.keyNotProvided) {
            try KVCommand.put(PutRequest(key: [])).validate()
        }
        #expect(store.exec(.put(PutRequest(key: []))).error == .keyNotProvided)
    }

    @Test("deleterange removes every key of the range in one revision, one event each")
    func deleteRangeOneRevision() {
        var store = MVCCStore()
        store.put("a", "1")
        store.put("b", "2")
        store.put("c", "3")
        let outcome = store.delete("a", rangeEnd: "c")
        #expect(outcome.revision == 5)
        #expect(outcome.deleteResponse == DeleteRangeResponse(revision: 5, deleted: 2))
        #expect(outcome.events.map(\.kind) == [.delete, .delete])
        #expect(outcome.events.map(\.kv) == [
            KeyValue(key: bytes("a"), modRevision: 5), KeyValue(key: bytes("b"), modRevision: 5),
        ])
        #expect(store.keyCount == 1)
    }

    @Test("deleterange with prev_kv returns the deleted pairs in key order")
    func deletePrevKVs() {
        var store = MVCCStore()
        store.put("b", "2")
        store.put("a", "1")
        let outcome = store.delete("a", rangeEnd: "z", prevKV: true)
        #expect(outcome.deleteResponse?.prevKVs.map(\.value) == [bytes("1"), bytes("2")])
        #expect(outcome.events.map { $0.prevKV?.value } == [bytes("1"), bytes("2")])
    }

    @Test("a deleterange with an empty key is rejected with \"key is not provided\"")
    func deleteEmptyKey() {
        #expect(throws: KVError.keyNotProvided) {
            try KVCommand.deleteRange(DeleteRangeRequest(key: [])).validate()
        }
    }

    @Test("put events carry the new pair and the previous one")
    func putEvents() {
        var store = MVCCStore()
        store.put("k", "1")
        let outcome = store.put("k", "2")
        #expect(outcome.events == [
            Event(
                kind: .put,
                kv: KeyValue(
                    key: bytes("k"), createRevision: 2, modRevision: 3, version: 2,
                    value: bytes("2")),
                prevKV: KeyValue(
                    key: bytes("k"), createRevision: 2, modRevision: 2, version: 1,
                    value: bytes("1"))),
        ])
    }
}
