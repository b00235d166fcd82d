import Testing

@testable import KVStore

@Suite("Range (etcd applierV3backend.Range)")
struct RangeTests {
    /// Keys a..e with values chosen so value order differs from key order; foo1..foo3 later.
    static func fixture() -> MVCCStore {
        var store = MVCCStore()
        store.put("a", "5")  // rev 2
        store.put("b", "3")  // rev 3
        store.put("c", "4")  // rev 4
        store.put("d", "1")  // rev 5
        store.put("e", "2")  // rev 6
        store.put("b", "3")  // rev 7: b version 2
        store.put("c", "4")  // rev 8
        store.put("c", "4")  // rev 9: c version 3
        return store
    }

    @Test("an empty key is rejected with \"key is not provided\" (checkRangeRequest)")
    func emptyKey() {
        let store = Self.fixture()
        #expect(throws: KVError.keyNotProvided) { try store.range(RangeRequest()) }
    }

    @Test("range_end selects [key, range_end) in ascending key order")
    func interval() throws {
        let store = Self.fixture()
        #expect(try store.keys(RangeRequest(key: bytes("b"), rangeEnd: bytes("d"))) == ["b", "c"])
        #expect(try store.keys(RangeRequest(key: bytes("c"), rangeEnd: [0])) == ["c", "d", "e"])
        #expect(try store.keys(RangeRequest(key: [0], rangeEnd: [0])).count == 5)
        #expect(try store.keys(RangeRequest(key: bytes("d"), rangeEnd: bytes("b"))).isEmpty)
    }

    @Test("a miss returns no kvs and count 0 with the current header revision")
    func miss() throws {
        let store = Self.fixture()
        #expect(try store.range(RangeRequest(key: bytes("zz"))) == RangeResponse(revision: 9))
    }

    @Test("limit truncates and sets more; count still covers the range (etcd Range)")
    func limitAndMore() throws {
        let store = Self.fixture()
        let response = try store.range(RangeRequest(key: [0], rangeEnd: [0], limit: 2))
        #expect(response.kvs.map(\.key) == [bytes("a"), bytes("b")])
        #expect(response.more)
        #expect(response.count == 5)
        let exact = try store.range(RangeRequest(key: [0], rangeEnd: [0], limit: 5))
        #expect(!exact.more)
        #expect(exact.kvs.count == 5)
    }

    @Test("a limit of zero or below means no limit")
    func nonPositiveLimit() throws {
        let store = Self.fixture()
        #expect(try store.range(RangeRequest(key: [0], rangeEnd: [0], limit: -3)).kvs.count == 5)
    }

    @Test("count ignores limit and the min/max filters (etcd Range)")
    func countIgnoresLimitAndFilters() throws {
        let store = Self.fixture()
        let response = try store.range(
            RangeRequest(key: [0], rangeEnd: [0], limit: 1, minModRevision: 7))
        #expect(response.count == 5)
        #expect(response.kvs.map(\.key) == [bytes("b")])
        #expect(response.more)
    }

    @Test("min/max mod_revision filters prune kvs after fetching")
    func modFilters() throws {
        let store = Self.fixture()
        let request = RangeRequest(key: [0], rangeEnd: [0], minModRevision: 5, maxModRevision: 7)
        #expect(try store.keys(request) == ["b", "d", "e"])
    }

    @Test("min/max create_revision filters prune kvs after fetching")
    func createFilters() throws {
        let store = Self.fixture()
        let request = RangeRequest(
            key: [0], rangeEnd: [0], minCreateRevision: 3, maxCreateRevision: 4)
        #expect(try store.keys(request) == ["b", "c"])
    }

    @Test("a read at a past revision sees that revision; the header has the current one")
    func pastRevision() throws {
        let store = Self.fixture()
        let response = try store.range(RangeRequest(key: [0], rangeEnd: [0], revision: 4))
        #expect(response.kvs.map(\.key) == [bytes("a"), bytes("b"), bytes("c")])
        #expect(response.revision == 9)
        #expect(try store.get("c", revision: 8)?.version == 2)
    }

    @Test("a revision above the current one fails with the future-revision error (rangeKeys)")
    func futureRevision() {
        let store = Self.fixture()
        #expect(throws: KVError.futureRevision) {
            try store.range(RangeRequest(key: bytes("a"), revision: 10))
        }
        #expect(KVError.futureRevision.grpcCode == 11)
    }

    @Test("sort_order DESCEND with target KEY reverses key order")
    func descendByKey() throws {
        let store = Self.fixture()
        let request = RangeRequest(key: [0], rangeEnd: [0], sortOrder: .descend)
        #expect(try store.keys(request) == ["e", "d", "c", "b", "a"])
    }

    @Test("target != KEY with order NONE sorts ASCEND (etcd Range)")
    func noneOrderWithTargetSortsAscend() throws {
        let store = Self.fixture()
        let request = RangeRequest(key: [0], rangeEnd: [0], sortOrder: .none, sortTarget: .value)
        #expect(try store.keys(request) == ["d", "e", "b", "c", "a"])
    }

    @Test("sorting by VERSION, CREATE and MOD orders by that field, ties by key")
    func sortByRevisionFields() throws {
        let store = Self.fixture()
        let byVersion = RangeRequest(
            key: [0], rangeEnd: [0], sortOrder: .descend, sortTarget: .version)
        #expect(try store.keys(byVersion) == ["c", "b", "e", "d", "a"])
        let byCreate = RangeRequest(
            key: [0], rangeEnd: [0], sortOrder: .descend, sortTarget: .create)
        #expect(try store.keys(byCreate) == ["e", "d", "c", "b", "a"])
        let byMod = RangeRequest(key: [0], rangeEnd: [0], sortOrder: .ascend, sortTarget: .mod)
        #expect(try store.keys(byMod) == ["a", "d", "e", "b", "c"])
    }

    @Test("with sorting, limit applies after the sort (etcd fetches everything first)")
    func sortThenLimit() throws {
        let store = Self.fixture()
        let request = RangeRequest(
            key: [0], rangeEnd: [0], limit: 2, sortOrder: .descend, sortTarget: .value)
        let response = try store.range(request)
        #expect(response.kvs.map(\.value) == [bytes("5"), bytes("4")])
        #expect(response.more)
        #expect(response.count == 5)
    }

    @Test("keys_only strips values but keeps every other field")
    func keysOnly() throws {
        let store = Self.fixture()
        let response = try store.range(RangeRequest(key: bytes("c"), keysOnly: true))
        #expect(response.kvs == [KeyValue(
            key: bytes("c"), createRevision: 4, modRevision: 9, version: 3, value: [])])
    }

    @Test("count_only returns no kvs, only the count, and never more")
    func countOnly() throws {
        let store = Self.fixture()
        let response = try store.range(
            RangeRequest(key: [0], rangeEnd: [0], limit: 1, countOnly: true))
        #expect(response.kvs.isEmpty)
        #expect(response.count == 5)
        #expect(!response.more)
    }

    @Test("a deleted key is absent after its deletion and present before it")
    func deletedKeyVisibility() throws {
        var store = Self.fixture()
        store.delete("a")
        #expect(try store.get("a") == nil)
        #expect(try store.get("a", revision: 9)?.value == bytes("5"))
        #expect(try store.range(RangeRequest(key: [0], rangeEnd: [0], countOnly: true)).count == 4)
    }
}
