/// A token bucket (as GCRA: one "theoretical arrival time") pacing one blocking-query
/// loop: Consul asks clients to rate-limit theirs (reference/consul.md §2.2, "a token bucket
/// with burst 2"), so a server that keeps answering at once (an index that never settles,
/// a changing catalog) costs at most one request per interval instead of a tight loop.
/// Pure: the caller passes the time and sleeps.
struct BlockingQueryPace: Sendable {
    /// Requests allowed back to back before the interval applies (Consul's suggestion).
    static let burst: UInt64 = 2
    /// The sustained spacing of requests. A change is still reported the moment its
    /// query answers; only the query after it waits, by at most this.
    static let intervalNanoseconds: UInt64 = 200_000_000

    private var theoreticalArrivalNanoseconds: UInt64 = 0

    /// How long to wait before sending a request wanted at `now`; the request is counted.
    mutating func delayNanoseconds(now: UInt64) -> UInt64 {
        let tolerance = (Self.burst - 1) * Self.intervalNanoseconds
        let earliest =
            theoreticalArrivalNanoseconds > tolerance
            ? theoreticalArrivalNanoseconds - tolerance : 0
        let start = max(now, earliest)
        theoreticalArrivalNanoseconds =
            max(theoreticalArrivalNanoseconds, start) + Self.intervalNanoseconds
        return start - now
    }
}
