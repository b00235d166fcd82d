import Testing

@testable import KVStore

@Suite("Txn (etcd applierV3backend.Txn, compareKV, checkIntervals)")
struct TxnTests {
    static func put(_ key: String, _ value: String = "v") -> RequestOp {
        .put(PutRequest(key: bytes(key), value: bytes(value)))
    }

    static func get(_ key: String, end: String = "") -> RequestOp {
        .range(RangeRequest(key: bytes(key), rangeEnd: bytes(end)))
    }

    static func compare(
        _ key: String, _ target: Compare.Target, _ result: Compare.Result,
        _ operand: Compare.Operand?, end: String = ""
    ) -> Compare {
        Compare(result: result, target: target, key: bytes(key), rangeEnd: bytes(end),
            operand: operand)
    }

    /// Runs `compares` against a store holding k = "v" at create 2, mod 3, version 2.
    static func succeeds(_ compares: [Compare]) -> Bool {
        var store = MVCCStore()
        store.put("k", "x")
        store.put("k", "v")
        return store.txn(TxnRequest(compare: compares)).txnResponse?.succeeded ?? false
    }

    @Test("compares on VERSION, CREATE, MOD and VALUE read the key's fields (compareKV)")
    func compareTargets() {
        #expect(Self.succeeds([Self.compare("k", .version, .equal, .version(2))]))
        #expect(Self.succeeds([Self.compare("k", .create, .equal, .createRevision(2))]))
        #expect(Self.succeeds([Self.compare("k", .mod, .greater, .modRevision(2))]))
        #expect(Self.succeeds([Self.compare("k", .value, .equal, .value(bytes("v")))]))
        #expect(Self.succeeds([Self.compare("k", .value, .less, .value(bytes("w")))]))
        #expect(!Self.succeeds([Self.compare("k", .version, .notEqual, .version(2))]))
        #expect(!Self.succeeds([Self.compare("k", .mod, .less, .modRevision(3))]))
    }

    @Test("a LEASE compare reads the attached lease id")
    func compareLease() {
        var store = MVCCStore()
        store.exec(.leaseGrant(id: 9, ttlSeconds: 10))
        store.put("k", "v", lease: 9)
        let hit = store.txn(TxnRequest(compare: [Self.compare("k", .lease, .equal, .lease(9))]))
        #expect(hit.txnResponse?.succeeded == true)
        let miss = store.txn(TxnRequest(compare: [Self.compare("k", .lease, .equal, .lease(0))]))
        #expect(miss.txnResponse?.succeeded == false)
    }

    @Test("a missing key compares as a zero KeyValue: create_revision == 0 holds (etcd txn)")
    func missingKeyIsZero() {
        #expect(Self.succeeds([Self.compare("absent", .create, .equal, .createRevision(0))]))
        #expect(Self.succeeds([Self.compare("absent", .version, .less, .version(1))]))
        #expect(Self.succeeds([Self.compare("absent", .lease, .equal, .lease(0))]))
    }

    @Test("a VALUE compare on a missing key is always false, even NOT_EQUAL (applyCompare)")
    func missingKeyValueFails() {
        #expect(!Self.succeeds([Self.compare("absent", .value, .notEqual, .value(bytes("x")))]))
        #expect(!Self.succeeds([Self.compare("absent", .value, .equal, .value([]))]))
    }

    @Test("an operand that does not match the target reads as zero (compareKV)")
    func mismatchedOperand() {
        #expect(Self.succeeds([Self.compare("k", .version, .greater, .modRevision(99))]))
        #expect(Self.succeeds([Self.compare("k", .mod, .greater, nil)]))
    }

    @Test("a range compare requires every key in the range to satisfy it")
    func rangeCompare() {
        var store = MVCCStore()
        store.put("a1", "x")
        store.put("a2", "x")
        store.put("a3", "y")
        let all = Self.compare("a", .value, .equal, .value(bytes("x")), end: "b")
        #expect(store.txn(TxnRequest(compare: [all])).txnResponse?.succeeded == false)
        let firstTwo = Self.compare("a1", .value, .equal, .value(bytes("x")), end: "a3")
        #expect(store.txn(TxnRequest(compare: [firstTwo])).txnResponse?.succeeded == true)
        let empty = Self.compare("q", .create, .equal, .createRevision(0), end: "r")
        #expect(store.txn(TxnRequest(compare: [empty])).txnResponse?.succeeded == true)
    }

    @Test("all compares must hold for success; otherwise the failure branch runs")
    func branches() {
        var store = MVCCStore()
        store.put("k", "v")
        let request = TxnRequest(
            compare: [
                Self.compare("k", .value, .equal, .value(bytes("v"))),
                Self.compare("k", .version, .equal, .version(5)),
            ],
            success: [Self.put("s")], failure: [Self.put("f")])
        let outcome = store.txn(request)
        #expect(outcome.txnResponse?.succeeded == false)
        #expect(outcome.events.map(\.kv.key) == [bytes("f")])
    }

    @Test("responses come back in request order with etcd's header revisions")
    func responsesInOrder() throws {
        var store = MVCCStore()
        store.put("a", "1")
        let outcome = store.txn(
            TxnRequest(success: [
                Self.get("a"),
                Self.put("b"),
                .deleteRange(DeleteRangeRequest(key: bytes("zz"))),
                Self.get("b"),
            ]))
        let response = try #require(outcome.txnResponse)
        #expect(response.revision == 3)
        #expect(response.responses.count == 4)
        #expect(response.responses[0].range?.revision == 2)
        #expect(response.responses[1].put == PutResponse(revision: 3))
        #expect(response.responses[2].deleteRange == DeleteRangeResponse(revision: 3))
        #expect(response.responses[3].range?.revision == 3)
    }

    @Test("a range inside a txn sees the txn's earlier writes")
    func rangeSeesEarlierWrites() throws {
        var store = MVCCStore()
        store.put("a", "old")
        let outcome = store.txn(
            TxnRequest(success: [
                Self.put("a", "new"), .deleteRange(DeleteRangeRequest(key: bytes("gone"))),
                Self.put("b", "fresh"), Self.get("a", end: "c"),
            ]))
        let kvs = try #require(outcome.txnResponse?.responses[3].range?.kvs)
        #expect(kvs.map(\.value) == [bytes("new"), bytes("fresh")])
        #expect(kvs.map(\.modRevision) == [3, 3])
    }

    @Test("a nested txn runs its own branch and its response keeps an empty header")
    func nestedTxn() throws {
        var store = MVCCStore()
        store.put("flag", "on")
        let inner = TxnRequest(
            compare: [Self.compare("flag", .value, .equal, .value(bytes("on")))],
            success: [Self.put("inner")], failure: [Self.put("never")])
        let outcome = store.txn(TxnRequest(success: [Self.put("outer"), .txn(inner)]))
        let response = try #require(outcome.txnResponse)
        let nested = try #require(response.responses[1].txn)
        #expect(nested.succeeded)
        #expect(nested.revision == 0)
        #expect(nested.responses == [.put(PutResponse(revision: 3))])
        #expect(outcome.events.map(\.kv.key) == [bytes("outer"), bytes("inner")])
        #expect(outcome.revision == 3)
    }

    @Test("nested compares are evaluated before the outer txn writes (compareToPath)")
    func nestedComparesSeePreTxnState() {
        var store = MVCCStore()
        let inner = TxnRequest(
            compare: [Self.compare("x", .create, .equal, .createRevision(0))],
            success: [Self.put("saw-absent")], failure: [Self.put("saw-present")])
        let outcome = store.txn(TxnRequest(success: [Self.put("x"), .txn(inner)]))
        #expect(outcome.events.map(\.kv.key) == [bytes("x"), bytes("saw-absent")])
    }

    @Test("a failing ignore_value put anywhere on the path fails the whole txn unchanged")
    func txnPrecheckFailsAtomically() {
        var store = MVCCStore()
        let outcome = store.txn(
            TxnRequest(success: [
                Self.put("a"), .put(PutRequest(key: bytes("missing"), ignoreValue: true)),
            ]))
        #expect(outcome.error == .keyNotFound)
        #expect(store.revision == 1)
        #expect(store.keyCount == 0)
    }

    @Test("a txn put with an unknown lease fails with \"requested lease not found\"")
    func txnLeaseNotFound() {
        var store = MVCCStore()
        let outcome = store.txn(
            TxnRequest(success: [.put(PutRequest(key: bytes("a"), lease: 42))]))
        #expect(outcome.error == .leaseNotFound)
        #expect(store.revision == 1)
    }

    @Test("a txn range at a compacted revision fails the txn (checkRequestRange)")
    func txnRangeCompacted() {
        var store = MVCCStore()
        store.put("a", "1")
        store.put("a", "2")
        store.exec(.compact(revision: 3))
        let outcome = store.txn(
            TxnRequest(success: [.range(RangeRequest(key: bytes("a"), revision: 2))]))
        #expect(outcome.error == .compacted)
        let future = store.txn(
            TxnRequest(success: [.range(RangeRequest(key: bytes("a"), revision: 4))]))
        #expect(future.error == .futureRevision)
    }

    @Test("ops per txn: max(compares, success, failure) of 128 passes, 129 fails")
    func tooManyOps() {
        let atLimit = TxnRequest(
            compare: Array(repeating: Self.compare("k", .version, .equal, .version(0)),
                count: KVLimits.txnOpsMax))
        #expect(throws: Never.self) { try KVCommand.txn(atLimit).validate() }
        let overLimit = TxnRequest(
            success: (0...KVLimits.txnOpsMax).map { Self.get("k\($0)") })
        #expect(throws: KVError.tooManyOperations) { try KVCommand.txn(overLimit).validate() }
        var store = MVCCStore()
        #expect(store.txn(overLimit).error == .tooManyOperations)
    }

    @Test("a nested txn gets only the parent's remaining op budget (checkTxnRequest)")
    func nestedBudget() {
        let inner = TxnRequest(success: (0..<64).map { Self.get("i\($0)") })
        let fits = TxnRequest(success: (0..<64).map { Self.get("o\($0)") } + [.txn(inner)])
        #expect(throws: KVError.tooManyOperations) { try KVCommand.txn(fits).validate() }
        let smaller = TxnRequest(success: (0..<63).map { Self.get("o\($0)") } + [.txn(inner)])
        #expect(throws: Never.self) { try KVCommand.txn(smaller).validate() }
    }

    @Test("putting one key twice in a branch is a duplicate key (checkIntervals)")
    func duplicatePut() {
        let request = TxnRequest(success: [Self.put("a"), Self.put("a")])
        #expect(throws: KVError.duplicateKey) { try KVCommand.txn(request).validate() }
        var store = MVCCStore()
        #expect(store.txn(request).error == .duplicateKey)
    }

    @Test("a put inside a delete range of the same branch is a duplicate key")
    func putInsideDelete() {
        let request = TxnRequest(
            failure: [
                .deleteRange(DeleteRangeRequest(key: bytes("a"), rangeEnd: bytes("c"))),
                Self.put("b"),
            ])
        #expect(throws: KVError.duplicateKey) { try KVCommand.txn(request).validate() }
    }

    @Test("a nested put under a parent's delete range is a duplicate key")
    func nestedPutUnderDelete() {
        let request = TxnRequest(success: [
            .deleteRange(DeleteRangeRequest(key: bytes("a"), rangeEnd: [0])),
            .txn(TxnRequest(success: [Self.put("m")])),
        ])
        #expect(throws: KVError.duplicateKey) { try KVCommand.txn(request).validate() }
    }

    @Test("puts of a nested txn's success and failure may share a key; deletes may overlap")
    func allowedOverlaps() {
        let request = TxnRequest(success: [
            .txn(TxnRequest(success: [Self.put("k")], failure: [Self.put("k")])),
            .deleteRange(DeleteRangeRequest(key: bytes("x"), rangeEnd: bytes("z"))),
            .deleteRange(DeleteRangeRequest(key: bytes("y"))),
        ])
        #expect(throws: Never.self) { try KVCommand.txn(request).validate() }
        let separateBranches = TxnRequest(success: [Self.put("k")], failure: [Self.put("k")])
        #expect(throws: Never.self) { try KVCommand.txn(separateBranches).validate() }
    }

    @Test("an empty compare key or op key is rejected with \"key is not provided\"")
    func emptyKeysInTxn() {
        let compare = TxnRequest(compare: [Self.compare("", .version, .equal, .version(0))])
        #expect(throws: KVError.keyNotProvided) { try KVCommand.txn(compare).validate() }
        let nested = TxnRequest(success: [.txn(TxnRequest(failure: [Self.get("")]))])
        #expect(throws: KVError.keyNotProvided) { try KVCommand.txn(nested).validate() }
    }

    @Test("a put then a delete of one key through sibling nested txns share a revision")
    func putThenDeleteSameRevision() throws {
        var store = MVCCStore()
        let request = TxnRequest(success: [
            .txn(TxnRequest(success: [Self.put("k", "1")])),
            .txn(TxnRequest(success: [.deleteRange(DeleteRangeRequest(key: bytes("k")))])),
        ])
        #expect(throws: Never.self) { try KVCommand.txn(request).validate() }
        let outcome = store.txn(request)
        #expect(outcome.events.map(\.kind) == [.put, .delete])
        #expect(try store.get("k") == nil)
        let history = try store.events(in: .all, fromRevision: 2, limit: 10).events
        #expect(history == outcome.events)
    }
}
