import Testing

@testable import KVStore

@Suite("Leases (etcd lessor, reference/etcd.md §1.7)")
struct LeaseTests {
    @Test("grant records the lease; an existing id fails with \"lease already exists\"")
    func grantAndExists() {
        var store = MVCCStore()
        #expect(store.exec(.leaseGrant(id: 5, ttlSeconds: 60)).result
            == .leaseGranted(id: 5, ttlSeconds: 60))
        #expect(store.exec(.leaseGrant(id: 5, ttlSeconds: 30)).error == .leaseExists)
        #expect(KVError.leaseExists.grpcCode == 9)
        #expect(store.leases() == [5])
        #expect(store.leaseInfo(5)?.ttlSeconds == 60)
        #expect(store.revision == 1)
    }

    @Test("a TTL below the minimum is raised to it (lessor minLeaseTTL)")
    func minimumTTL() {
        var store = MVCCStore()
        #expect(store.exec(.leaseGrant(id: 1, ttlSeconds: 1)).result
            == .leaseGranted(id: 1, ttlSeconds: KVLimits.leaseTTLSecondsMin))
    }

    @Test("a TTL of 9,000,000,000 s is accepted and one more fails with \"too large lease TTL\"")
    func maximumTTL() {
        var store = MVCCStore()
        let atLimit = KVCommand.leaseGrant(id: 1, ttlSeconds: KVLimits.leaseTTLSecondsMax)
        #expect(throws: Never.self) { try atLimit.validate() }
        #expect(store.exec(atLimit).error == nil)
        let overLimit = KVCommand.leaseGrant(id: 2, ttlSeconds: KVLimits.leaseTTLSecondsMax + 1)
        #expect(throws: KVError.leaseTTLTooLarge) { try overLimit.validate() }
        #expect(store.exec(overLimit).error == .leaseTTLTooLarge)
    }

    @Test("revoke deletes every attached key in one revision with one delete event each")
    func revokeDeletesKeys() throws {
        var store = MVCCStore()
        store.exec(.leaseGrant(id: 3, ttlSeconds: 10))
        store.put("b", "1", lease: 3)
        store.put("a", "1", lease: 3)
        store.put("free", "1")
        let outcome = store.exec(.leaseRevoke(id: 3))
        #expect(outcome.result == .leaseRevoked)
        #expect(outcome.revision == 5)
        #expect(outcome.events.map(\.kind) == [.delete, .delete])
        #expect(outcome.events.map(\.kv.key) == [bytes("a"), bytes("b")])
        #expect(try store.all().map(\.key) == [bytes("free")])
        #expect(store.leases().isEmpty)
    }

    @Test("revoking a lease without keys removes it without a revision")
    func revokeEmptyLease() {
        var store = MVCCStore()
        store.exec(.leaseGrant(id: 3, ttlSeconds: 10))
        let outcome = store.exec(.leaseRevoke(id: 3))
        #expect(outcome.revision == 1)
        #expect(outcome.events.isEmpty)
        #expect(store.leaseInfo(3) == nil)
    }

    @Test("revoking an unknown lease fails with \"requested lease not found\" (NotFound 5)")
    func revokeUnknown() {
        var store = MVCCStore()
        let outcome = store.exec(.leaseRevoke(id: 77))
        #expect(outcome.error == .leaseNotFound)
        #expect(KVError.leaseNotFound.grpcCode == 5)
        #expect(KVError.leaseNotFound.httpStatus == 404)
    }

    @Test("a put with an unknown lease fails with \"requested lease not found\"")
    func putUnknownLease() {
        var store = MVCCStore()
        #expect(store.put("k", "v", lease: 8).error == .leaseNotFound)
        #expect(store.keyCount == 0)
    }

    @Test("a put with another lease moves the key from the old lease to the new one")
    func putMovesKey() throws {
        var store = MVCCStore()
        store.exec(.leaseGrant(id: 1, ttlSeconds: 10))
        store.exec(.leaseGrant(id: 2, ttlSeconds: 10))
        store.put("k", "v", lease: 1)
        store.put("k", "v", lease: 2)
        #expect(store.leaseInfo(1)?.keys == [])
        #expect(store.leaseInfo(2)?.keys == [bytes("k")])
        store.put("k", "v")
        #expect(store.leaseInfo(2)?.keys == [])
        #expect(try store.get("k")?.lease == 0)
    }

    @Test("deleting a key detaches it, so a later revoke does not touch it again")
    func deleteDetaches() {
        var store = MVCCStore()
        store.exec(.leaseGrant(id: 1, ttlSeconds: 10))
        store.put("k", "v", lease: 1)
        store.delete("k")
        #expect(store.leaseInfo(1)?.keys == [])
        store.put("k", "again")
        let outcome = store.exec(.leaseRevoke(id: 1))
        #expect(outcome.events.isEmpty)
        #expect(store.keyCount == 1)
    }

    @Test("granting lease id 0 fails: 0 means no lease (lessor.Grant)")
    func grantZero() {
        #expect(throws: KVError.leaseNotFound) {
            try KVCommand.leaseGrant(id: 0, ttlSeconds: 10).validate()
        }
    }
}
