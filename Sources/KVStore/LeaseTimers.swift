/// The leader's view of lease deadlines (reference/etcd.md §1.7, etcd `lessor`).
///
/// Grant and revoke go through the log; deadlines do not. Only the leader keeps them: a
/// keep-alive refreshes a deadline in memory without a log write, and an expired lease is
/// turned into a revoke proposal. When leadership moves, the new leader starts every
/// lease over at its full TTL, so a remaining TTL can only be extended by a leader
/// change, never cut short (etcd `Promote`).
///
/// Pure: time arrives as monotonic nanoseconds from the caller.
public struct LeaseTimers: Sendable, Equatable {
    struct Timer: Sendable, Equatable {
        var ttlSeconds: Int64
        var deadlineNanoseconds: UInt64
        /// A revoke for this lease is in the log or on its way; retry after this time.
        var revokeRetryNanoseconds: UInt64?
    }

    /// How long an expired lease waits for its revoke to be applied before the leader
    /// proposes it again (a proposal can be lost in a leader change).
    public static let revokeRetryNanoseconds: UInt64 = 3_000_000_000

    private(set) var timers: [Int64: Timer] = [:]
    /// Whether this member leads and so owns the deadlines.
    public private(set) var isPrimary = false

    public init() {}

    /// The number of leases with a deadline.
    public var count: Int { timers.count }

    /// Becomes the owner of deadlines: every granted lease (from the applied store) gets
    /// its full TTL from `now`.
    public mutating func promote(leases: [(id: Int64, ttlSeconds: Int64)], now: UInt64) {
        isPrimary = true
        timers.removeAll(keepingCapacity: true)
        for lease in leases {
            timers[lease.id] = Timer(
                ttlSeconds: lease.ttlSeconds,
                deadlineNanoseconds: now &+ LeaseTimers.nanoseconds(lease.ttlSeconds))
        }
    }

    /// Leadership is gone: deadlines belong to the next leader.
    public mutating func demote() {
        isPrimary = false
        timers.removeAll()
    }

    /// A grant was applied. Ignored unless primary.
    public mutating func granted(_ id: Int64, ttlSeconds: Int64, now: UInt64) {
        guard isPrimary else { return }
        timers[id] = Timer(
            ttlSeconds: ttlSeconds, deadlineNanoseconds: now &+ LeaseTimers.nanoseconds(ttlSeconds))
    }

    /// A revoke was applied: the lease is gone.
    public mutating func revoked(_ id: Int64) {
        timers[id] = nil
    }

    /// A keep-alive: restarts the lease's full TTL and returns it, or nil when the lease is
    /// unknown or already expired (its revoke is under way; etcd answers TTL 0 then).
    public mutating func renew(_ id: Int64, now: UInt64) -> Int64? {
        guard var timer = timers[id], timer.revokeRetryNanoseconds == nil,
            timer.deadlineNanoseconds > now
        else { return nil }
        timer.deadlineNanoseconds = now &+ LeaseTimers.nanoseconds(timer.ttlSeconds)
        timers[id] = timer
        return timer.ttlSeconds
    }

    /// Whole seconds left (truncated, as etcd reports them) and the granted TTL, or nil
    /// when unknown. An expired lease awaiting its revoke has 0 seconds left.
    public func remaining(_ id: Int64, now: UInt64) -> (seconds: Int64, grantedSeconds: Int64)? {
        guard let timer = timers[id] else { return nil }
        let left = timer.deadlineNanoseconds > now ? timer.deadlineNanoseconds - now : 0
        return (Int64(left / 1_000_000_000), timer.ttlSeconds)
    }

    /// Leases whose deadline passed and that need a revoke proposed now, at most `limit`,
    /// oldest deadline first. They are marked so that they are not proposed again until
    /// `revokeRetryNanoseconds` later.
    public mutating func takeExpired(now: UInt64, limit: Int) -> [Int64] {
        guard isPrimary, limit > 0 else { return [] }
        var due: [(id: Int64, deadline: UInt64)] = []
        for (id, timer) in timers where timer.deadlineNanoseconds <= now {
            if let retry = timer.revokeRetryNanoseconds, retry > now { continue }
            due.append((id, timer.deadlineNanoseconds))
        }
        due.sort { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
        let chosen = due.prefix(limit).map(\.id)
        for id in chosen {
            timers[id]?.revokeRetryNanoseconds = now &+ LeaseTimers.revokeRetryNanoseconds
        }
        return chosen
    }

    static func nanoseconds(_ seconds: Int64) -> UInt64 {
        precondition(seconds >= 0, "a lease TTL is never negative")
        let (product, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? UInt64.max / 2 : product
    }
}
