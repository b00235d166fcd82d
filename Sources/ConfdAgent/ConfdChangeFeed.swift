import Platform
import RoostClient
import Synchronization

/// Threads that turn server-side changes into wake-ups of the agent's main loop: one etcd
/// watch per watched key prefix, resumed from the last revision seen across reconnects and
/// endpoint failover (so no change is missed and none replayed), and one Consul blocking
/// query per catalog read the templates make (`ConsulQuery`): a service's passing
/// instances, the service list, the nodes. Watching exactly what was read is what makes
/// the agent correct against Consul too, where the service list's index does not move when
/// an instance's health changes.
///
/// A feed never renders: it only notifies `wake`; the main loop decides when to read and
/// render (quiescence). Key watches retire by generation when the prefixes change; a
/// blocking query retires when it is no longer wanted (`BlockingQueryTickets`). A retired
/// thread exits at its next look-up: at most `idleTimeoutMilliseconds` later for a key
/// watch, `blockingWaitSeconds` (plus jitter) for a blocking query.
final class ConfdChangeFeed: @unchecked Sendable {
    /// Distinct prefixes watched at once (one thread and connection each). confd setups
    /// watch a handful; past this the agent asks for `--interval` instead.
    static let watchedPrefixesMax = 256
    /// Services followed with a blocking query each (one thread and connection each): a
    /// proxy config names a few. Past this one query on `/v1/catalog/services` stands in
    /// for them all; on Roost its index moves with every catalog change, health included,
    /// but on Consul only when services come or go (docs/confd.md).
    static let healthQueriesMax = 64
    /// A quiet watch is re-opened this often, from its revision, so retired threads exit
    /// and a half-open connection to a dead member is noticed.
    static let idleTimeoutMilliseconds = 30_000
    /// Each blocking query's `wait` (Consul caps it at 10 minutes): also how long a retired
    /// query thread may linger, and how soon a half-open connection is noticed.
    static let blockingWaitSeconds = 60
    /// Reconnect backoff after a failed attempt: doubles from the minimum to the maximum,
    /// so a downed cluster is not hammered and a restarted one is found quickly.
    static let backoffMinimumNanoseconds: UInt64 = 100_000_000
    static let backoffMaximumNanoseconds: UInt64 = 5_000_000_000

    let endpoints: [Endpoint]
    let wake: WakeEvent
    let log: ConfdLog
    private let generation = Atomic<UInt64>(0)
    private let tickets = BlockingQueryTickets()

    init(endpoints: [Endpoint], wake: WakeEvent, log: ConfdLog) {
        self.endpoints = endpoints
        self.wake = wake
        self.log = log
    }

    /// Watches `prefixes` from `revision` (the next revision after the last read); key
    /// watches of any earlier call retire.
    func watchKeys(prefixes: [String], fromRevision revision: Int64) {
        let current = generation.add(1, ordering: .sequentiallyConsistent).newValue
        for prefix in prefixes {
            PlatformThread.spawn(name: "confd-watch") { [self] in
                watchKeys(prefix: prefix, from: revision, generation: current)
            }.detach()
        }
    }

    /// Holds a blocking query on each of `queries`, a new one starting from the index its
    /// read returned; queries no longer listed retire, those still listed go on.
    func watchConsul(_ queries: [ConsulQuery: UInt64]) {
        for (query, ticket) in tickets.update(wanted: Set(queries.keys)) {
            let start = queries[query] ?? 0
            PlatformThread.spawn(name: "confd-consul") { [self] in
                follow(query, from: start, ticket: ticket)
            }.detach()
        }
    }

    /// The blocking queries that follow a pass's Consul reads (`read`, with their indexes):
    /// every read, except that more service health reads than `healthQueriesMax` give way
    /// to the one service-list query (`CatalogNeeds.readsServiceList` made sure it was
    /// read, so it has an index to start from).
    static func blockingQueries(_ read: [ConsulQuery: UInt64]) -> [ConsulQuery: UInt64] {
        let healthCount = read.keys.count(where: { if case .health = $0 { true } else { false } })
        guard healthCount > healthQueriesMax else { return read }
        var queries = read.filter { if case .health = $0.key { false } else { true } }
        queries[.serviceList] = read[.serviceList] ?? 0
        return queries
    }

    /// Retires every thread.
    func stop() {
        generation.add(1, ordering: .sequentiallyConsistent)
        tickets.retireAll()
    }

    private func isCurrent(_ value: UInt64) -> Bool {
        generation.load(ordering: .sequentiallyConsistent) == value
    }

    private func watchKeys(prefix: String, from revision: Int64, generation: UInt64) {
        let client = EtcdClient(endpoints: endpoints)
        let key = prefix.isEmpty ? [0] : Array(prefix.utf8)
        let rangeEnd = prefix.isEmpty ? [0] : EtcdClient.prefixEnd(key)
        var next = revision
        var backoff = Backoff()
        while isCurrent(generation) {
            var established = false
            do {
                try client.watch(
                    key, rangeEnd: rangeEnd, startRevision: next,
                    idleTimeoutMilliseconds: Self.idleTimeoutMilliseconds
                ) { response in
                    guard isCurrent(generation) else { return false }
                    if response.created { established = true }
                    if response.canceled {
                        // Compacted past `next`: resume from the oldest revision kept and
                        // have the main loop re-read, so nothing in between is lost.
                        if response.compactRevision > 0 { next = response.compactRevision }
                        wake.notify()
                        return false
                    }
                    if let last = response.events.last {
                        next = last.kv.modRevision + 1
                        wake.notify()
                    }
                    return true
                }
            } catch {
                if !established { log.debug("watch \(prefix): \(error)") }
            }
            if established { backoff.reset() } else { backoff.sleep() }
        }
    }

    /// One blocking query's loop: wakes the main loop whenever the index moves (or resets),
    /// paced so that a server answering at once cannot make it spin.
    private func follow(_ query: ConsulQuery, from start: UInt64, ticket: UInt64) {
        let wait = Self.blockingWaitSeconds
        // Consul adds up to wait/16 of jitter; the margin covers a slow answer on top.
        let client = EtcdClient(
            endpoints: endpoints, timeoutMilliseconds: (wait + wait / 16 + 10) * 1_000)
        let clock = MonotonicClock()
        var index = BlockingQueryIndex(start: start)
        var pace = BlockingQueryPace()
        var backoff = Backoff()
        while tickets.isCurrent(query, ticket: ticket) {
            Sleep.nanoseconds(pace.delayNanoseconds(now: clock.nowNanoseconds()))
            let answered: UInt64
            do {
                answered = try client.consulBlockingIndex(
                    query.path, index: index.value, waitSeconds: wait)
            } catch {
                log.debug("blocking query \(query): \(error)")
                backoff.sleep()
                continue
            }
            backoff.reset()
            if index.record(answered: answered), tickets.isCurrent(query, ticket: ticket) {
                wake.notify()
            }
        }
    }

    private struct Backoff {
        var nanoseconds = ConfdChangeFeed.backoffMinimumNanoseconds

        mutating func reset() {
            nanoseconds = ConfdChangeFeed.backoffMinimumNanoseconds
        }

        mutating func sleep() {
            Sleep.nanoseconds(nanoseconds)
            nanoseconds = min(nanoseconds * 2, ConfdChangeFeed.backoffMaximumNanoseconds)
        }
    }
}
