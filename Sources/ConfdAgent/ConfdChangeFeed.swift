import Platform
import RoostClient
import Synchronization

/// Threads that turn server-side changes into wake-ups of the agent's main loop: one etcd
/// watch per watched key prefix, resumed from the last revision seen across reconnects and
/// endpoint failover (so no change is missed and none replayed), and one Consul blocking
/// query on the catalog when a template reads services.
///
/// A feed never renders: it only notifies `wake`; the main loop decides when to read and
/// render (quiescence). `restart` retires the running threads by generation; a retired
/// thread exits at its next look-up, at most `idleTimeoutMilliseconds` later.
final class ConfdChangeFeed: @unchecked Sendable {
    /// Distinct prefixes watched at once (one thread and connection each). confd setups
    /// watch a handful; past this the agent asks for `--interval` instead.
    static let watchedPrefixesMax = 256
    /// A quiet watch is re-opened this often, from its revision, so retired threads exit
    /// and a half-open connection to a dead member is noticed.
    static let idleTimeoutMilliseconds = 30_000
    /// The catalog blocking query's `wait` (Consul caps it at 10 minutes).
    static let catalogWaitSeconds = 60
    /// Reconnect backoff after a failed attempt: doubles from the minimum to the maximum,
    /// so a downed cluster is not hammered and a restarted one is found quickly.
    static let backoffMinimumNanoseconds: UInt64 = 100_000_000
    static let backoffMaximumNanoseconds: UInt64 = 5_000_000_000

    let endpoints: [Endpoint]
    let wake: WakeEvent
    let log: ConfdLog
    private let generation = Atomic<UInt64>(0)

    init(endpoints: [Endpoint], wake: WakeEvent, log: ConfdLog) {
        self.endpoints = endpoints
        self.wake = wake
        self.log = log
    }

    /// Watches `prefixes` from `revision` (the next revision after the last read), and the
    /// catalog when `catalog`; threads of any earlier call retire.
    func restart(prefixes: [String], fromRevision revision: Int64, catalog: Bool) {
        let current = generation.add(1, ordering: .sequentiallyConsistent).newValue
        for prefix in prefixes {
            PlatformThread.spawn(name: "confd-watch") { [self] in
                watchKeys(prefix: prefix, from: revision, generation: current)
            }.detach()
        }
        if catalog {
            PlatformThread.spawn(name: "confd-catalog") { [self] in
                watchCatalog(generation: current)
            }.detach()
        }
    }

    /// Retires every thread.
    func stop() {
        generation.add(1, ordering: .sequentiallyConsistent)
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

    private func watchCatalog(generation: UInt64) {
        let timeout = (Self.catalogWaitSeconds + Self.catalogWaitSeconds / 16 + 10) * 1_000
        let client = EtcdClient(endpoints: endpoints, timeoutMilliseconds: timeout)
        var index: UInt64 = 0
        var backoff = Backoff()
        while isCurrent(generation) {
            let path = "/v1/catalog/services?index=\(index)&wait=\(Self.catalogWaitSeconds)s"
            guard let response = try? client.get(path), response.status == 200,
                let text = response.headers.first("X-Consul-Index"),
                let answered = UInt64(text)
            else {
                backoff.sleep()
                continue
            }
            backoff.reset()
            if index != 0 && answered != index && isCurrent(generation) { wake.notify() }
            // Consul's rule: an index that went backwards (a restored snapshot) restarts.
            index = answered < index ? 0 : answered
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
