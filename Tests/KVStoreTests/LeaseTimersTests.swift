import Testing

@testable import KVStore

@Suite("Lease deadlines on the leader (etcd lessor, reference/etcd.md §1.7)")
struct LeaseTimersTests {
    let second: UInt64 = 1_000_000_000

    @Test("a follower keeps no deadlines: grants are ignored until it is promoted")
    func followerIgnores() {
        var timers = LeaseTimers()
        timers.granted(1, ttlSeconds: 5, now: 0)
        #expect(timers.count == 0)
        #expect(timers.renew(1, now: 0) == nil)
        #expect(timers.takeExpired(now: 100 * second, limit: 10).isEmpty)
    }

    @Test("promotion gives every lease its full TTL from now, so a leader change never cuts one short")
    func promotionExtends() {
        var timers = LeaseTimers()
        timers.promote(leases: [(1, 10), (2, 60)], now: 50 * second)
        #expect(timers.remaining(1, now: 50 * second)! == (10, 10))
        #expect(timers.remaining(2, now: 59 * second)! == (51, 60))
        #expect(timers.takeExpired(now: 60 * second - 1, limit: 10).isEmpty)
        #expect(timers.takeExpired(now: 60 * second, limit: 10) == [1])
    }

    @Test("a keep-alive restarts the full TTL; remaining seconds are truncated like etcd's")
    func renewRestarts() {
        var timers = LeaseTimers()
        timers.promote(leases: [], now: 0)
        timers.granted(7, ttlSeconds: 10, now: 0)
        #expect(timers.remaining(7, now: 3 * second + 900_000_000)?.seconds == 6)
        #expect(timers.renew(7, now: 9 * second) == 10)
        #expect(timers.takeExpired(now: 18 * second, limit: 10).isEmpty)
        #expect(timers.takeExpired(now: 19 * second, limit: 10) == [7])
    }

    @Test("an expired lease cannot be renewed while its revoke is under way")
    func expiredCannotRenew() {
        var timers = LeaseTimers()
        timers.promote(leases: [(4, 2)], now: 0)
        #expect(timers.renew(4, now: 2 * second) == nil)
        #expect(timers.takeExpired(now: 2 * second, limit: 10) == [4])
        #expect(timers.renew(4, now: 2 * second) == nil)
        #expect(timers.remaining(4, now: 3 * second)?.seconds == 0)
    }

    @Test("an expired lease is proposed once, then again only after the retry interval")
    func revokeRetry() {
        var timers = LeaseTimers()
        timers.promote(leases: [(4, 2)], now: 0)
        #expect(timers.takeExpired(now: 2 * second, limit: 10) == [4])
        #expect(timers.takeExpired(now: 2 * second + LeaseTimers.revokeRetryNanoseconds - 1,
                                   limit: 10).isEmpty)
        #expect(timers.takeExpired(now: 2 * second + LeaseTimers.revokeRetryNanoseconds,
                                   limit: 10) == [4])
        timers.revoked(4)
        #expect(timers.count == 0)
    }

    @Test("expiry takes at most the limit per call, oldest deadline first (etcd leaseRevokeRate)")
    func expiryLimit() {
        var timers = LeaseTimers()
        timers.promote(leases: [(1, 30), (2, 10), (3, 20)], now: 0)
        #expect(timers.takeExpired(now: 100 * second, limit: 2) == [2, 3])
        #expect(timers.takeExpired(now: 100 * second, limit: 2) == [1])
        #expect(timers.takeExpired(now: 100 * second, limit: 0).isEmpty)
    }

    @Test("demotion forgets every deadline: the next leader owns them")
    func demotion() {
        var timers = LeaseTimers()
        timers.promote(leases: [(1, 30)], now: 0)
        timers.demote()
        #expect(!timers.isPrimary)
        #expect(timers.count == 0)
        #expect(timers.renew(1, now: 0) == nil)
    }

    @Test("the largest TTL does not overflow the deadline")
    func largestTTL() {
        var timers = LeaseTimers()
        timers.promote(leases: [(1, KVLimits.leaseTTLSecondsMax)], now: 5 * second)
        #expect(timers.remaining(1, now: 5 * second)?.seconds == KVLimits.leaseTTLSecondsMax)
        #expect(timers.takeExpired(now: 1_000_000 * second, limit: 10).isEmpty)
    }
}
