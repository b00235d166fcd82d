import KVStore
import Synchronization

/// Receives the events of one watcher. Implementations are thread-safe: `deliver` is
/// called from the apply thread (live events) or an event loop (history catch-up), in
/// revision order for any one watcher.
public protocol WatchSink: AnyObject, Sendable {
    func deliver(watcherID: Int64, events: [Event])
    /// The store was replaced by one whose history starts after this watcher's position
    /// (`compactRevision`): the events in between cannot be delivered. The watcher stays
    /// registered from the new revision on; a sink that promises every revision (an etcd
    /// watch) cancels itself with `compactRevision`, as etcd does.
    func historyLost(watcherID: Int64, compactRevision: Int64)
}

/// Named limits of the watch fan-out.
public struct WatchLimits: Sendable {
    /// Watchers across the whole server. Each costs a hub entry and a queue; beyond this a
    /// create request is refused instead of slowing every publish.
    public var watchersMax = 100_000
    /// Events read from history per step of a catch-up, so one watcher starting far in
    /// the past holds the store's read lock only briefly at a time.
    public var catchUpBatchEventsMax = 1_000

    public init() {}
}

/// Connects the apply path to watchers. Live watchers are "synced": they are in the
/// hub and get each published batch. A watcher that starts in the past is first caught
/// up from the store's history and joins the hub under the broker's lock, so no
/// revision is missed or repeated between history and live events (etcd's
/// synced/unsynced split, `watchable_store.go`).
///
/// Lock order: broker lock, then the store's read lock. The apply thread releases the
/// store's write lock before it publishes, so the two never wait on each other.
public final class WatchBroker: Sendable {
    public enum RegisterOutcome: Sendable, Equatable {
        /// Joined; `revision` is the store's revision at the join (etcd's `wsrev`): every
        /// later event reaches the sink.
        case registered(id: Int64, revision: Int64)
        /// `startRevision` is older than the compaction point (etcd cancels the watcher
        /// with `compact_revision`).
        case compacted(compactRevision: Int64)
        case tooManyWatchers
    }

    private struct Subscriber {
        var sink: any WatchSink
        var watcher: WatchHub.Watcher
        /// Events below this revision were already delivered from history.
        var nextRevision: Int64
    }

    private struct State {
        var hub = WatchHub()
        var subscribers: [Int64: Subscriber] = [:]
        var nextID: Int64 = 1
        var reserved = 0
        /// The newest revision whose events were handed to every matching sink.
        var publishedRevision: Int64 = 0
    }

    public let limits: WatchLimits
    private let state = Mutex(State())

    public init(limits: WatchLimits = WatchLimits()) {
        self.limits = limits
    }

    public var count: Int {
        state.withLock { $0.subscribers.count }
    }

    /// Every event up to this revision has been handed to its sinks: the basis of
    /// progress notifications (etcd's "Bookmarkable" guarantee).
    public var publishedRevision: Int64 {
        state.withLock { $0.publishedRevision }
    }

    /// Sets the starting point after recovery, before any publish.
    public func resetPublishedRevision(_ revision: Int64) {
        state.withLock { $0.publishedRevision = revision }
    }

    /// Hands the events of applied revisions to every matching watcher. Called by the
    /// apply thread only, in revision order, after the store's write lock is released.
    public func publish(_ events: [Event]) {
        guard let newest = events.last?.kv.modRevision else { return }
        let deliveries: [(any WatchSink, Int64, [Event])] = state.withLock { state in
            guard !state.subscribers.isEmpty else { return [] }
            var deliveries: [(any WatchSink, Int64, [Event])] = []
            for (id, matched) in state.hub.match(events) {
                guard let subscriber = state.subscribers[id] else { continue }
                let fresh = matched.filter { $0.kv.modRevision >= subscriber.nextRevision }
                if !fresh.isEmpty { deliveries.append((subscriber.sink, id, fresh)) }
            }
            return deliveries
        }
        for (sink, id, matched) in deliveries {
            sink.deliver(watcherID: id, events: matched)
        }
        state.withLock { $0.publishedRevision = max($0.publishedRevision, newest) }
    }

    /// Registers a watcher that sees every event from `startRevision` on (0 = from the
    /// next revision). History is delivered to `sink` before this returns.
    public func register(
        _ spec: WatchHub.Watcher, startRevision: Int64, sink: any WatchSink, keySpace: some KeySpace
    ) -> RegisterOutcome {
        let reserved = state.withLock { state -> Int64? in
            guard state.subscribers.count + state.reserved < limits.watchersMax else { return nil }
            state.reserved += 1
            defer { state.nextID += 1 }
            return state.nextID
        }
        guard let id = reserved else { return .tooManyWatchers }
        var watcher = spec
        watcher.id = id
        let outcome = catchUpAndJoin(watcher, from: startRevision, sink: sink, keySpace: keySpace)
        state.withLock { $0.reserved -= 1 }
        return outcome
    }

    /// The store was replaced wholesale: a follower installed its leader's snapshot (§7),
    /// skipping revisions whose events were never published. Every watcher gets the events
    /// it missed from the new store's history, in order and once, or `historyLost` when
    /// that history no longer reaches back to it; publishing then goes on from the new
    /// store's revision. Call it from the apply thread, right after the replacement.
    public func storeReplaced(keySpace: some KeySpace) {
        let lost = state.withLock { state -> [(any WatchSink, Int64, Int64)] in
            let published = state.publishedRevision
            var lost: [(any WatchSink, Int64, Int64)] = []
            for id in state.subscribers.keys.sorted() {
                guard let subscriber = state.subscribers[id] else { continue }
                // Every event up to `published` has reached the sink already.
                var next = max(subscriber.nextRevision, published + 1)
                do {
                    while true {
                        let step = try keySpace.withStore { (store) throws(KVError) in
                            try HistoryStep.read(
                                store, watcher: subscriber.watcher, from: next, limit: limits)
                        }
                        deliver(step.events, for: subscriber.watcher, to: subscriber.sink)
                        next = step.nextRevision
                        if step.caughtUp { break }
                    }
                } catch {
                    lost.append((subscriber.sink, id, keySpace.withCompactRevision()))
                    next = keySpace.withCurrentRevision() + 1
                }
                state.subscribers[id]?.nextRevision = next
            }
            state.publishedRevision = keySpace.withCurrentRevision()
            return lost
        }
        for (sink, id, compactRevision) in lost {
            sink.historyLost(watcherID: id, compactRevision: compactRevision)
        }
    }

    public func remove(_ id: Int64) {
        state.withLock { state in
            guard state.subscribers.removeValue(forKey: id) != nil else { return }
            state.hub.remove(id: id)
        }
    }

    private func catchUpAndJoin(
        _ watcher: WatchHub.Watcher, from startRevision: Int64, sink: any WatchSink,
        keySpace: some KeySpace
    ) -> RegisterOutcome {
        var next = startRevision
        // Catch up in batches outside the broker lock while history is long.
        while next > 0 {
            let step: HistoryStep
            do {
                step = try keySpace.withStore { (store) throws(KVError) in
                    try HistoryStep.read(store, watcher: watcher, from: next, limit: limits)
                }
            } catch {
                return .compacted(compactRevision: keySpace.withCompactRevision())
            }
            deliver(step.events, for: watcher, to: sink)
            next = step.nextRevision
            if step.caughtUp { break }
        }
        // Join under the lock: no publish can run between the last read and the join.
        return state.withLock { state -> RegisterOutcome in
            do {
                var joinedAt: Int64 = 0
                while true {
                    let step = try keySpace.withStore { (store) throws(KVError) in
                        try HistoryStep.read(store, watcher: watcher, from: next, limit: limits)
                    }
                    deliver(step.events, for: watcher, to: sink)
                    next = step.nextRevision
                    joinedAt = step.current
                    if step.caughtUp { break }
                }
                state.subscribers[watcher.id] = Subscriber(
                    sink: sink, watcher: watcher, nextRevision: next)
                state.hub.add(watcher)
                return .registered(id: watcher.id, revision: joinedAt)
            } catch {
                return .compacted(compactRevision: keySpace.withCompactRevision())
            }
        }
    }

    private func deliver(_ events: [Event], for watcher: WatchHub.Watcher, to sink: any WatchSink) {
        let matched = WatchBroker.matching(events, for: watcher)
        if !matched.isEmpty { sink.deliver(watcherID: watcher.id, events: matched) }
    }

    /// The events `watcher` would be sent, filters applied: for history a caller reads
    /// itself (a catch-up in steps).
    public static func matching(_ events: [Event], for watcher: WatchHub.Watcher) -> [Event] {
        guard !events.isEmpty else { return [] }
        var hub = WatchHub()
        hub.add(watcher)
        return hub.match(events).first { $0.watcherID == watcher.id }?.events ?? []
    }
}

/// One read of history for a catching-up watcher.
private struct HistoryStep {
    var events: [Event]
    var nextRevision: Int64
    var caughtUp: Bool
    /// The store's revision when this step read it.
    var current: Int64

    static func read(
        _ store: borrowing MVCCStore, watcher: WatchHub.Watcher, from start: Int64,
        limit: WatchLimits
    ) throws(KVError) -> HistoryStep {
        let current = store.revision
        let first = start == 0 ? current + 1 : start
        guard first <= current else {
            return HistoryStep(events: [], nextRevision: first, caughtUp: true, current: current)
        }
        let batch = limit.catchUpBatchEventsMax
        let (events, next) = try store.events(in: watcher.range, fromRevision: first, limit: batch)
        return HistoryStep(
            events: events, nextRevision: next, caughtUp: next > current, current: current)
    }
}
