import KVStore
import Platform
import Synchronization

/// One blocking query (reference/consul.md §2.1): waits for a change under `ranges`
/// after `options.index`, or for the wait to run out, then answers with a fresh result.
///
/// Changes are found through watchers started at `index + 1`, so a change that happened
/// between the client's last answer and this request is seen at once from history, and
/// unrelated writes never wake the query. A timeout is not an error: it answers 200 with
/// the data and an index that has not moved.
final class ConsulBlockingQuery: WatchSink, @unchecked Sendable {
    private struct State {
        var finished = false
        var watcherIDs: [Int64] = []
        /// The newest revision of a change seen under the ranges.
        var changedRevision: Int64 = 0
        var timer: TimerID?
    }

    private let keySpace: any KeySpace
    private let responder: HTTPResponder
    private let options: ConsulQueryOptions
    private let run: @Sendable () -> ConsulAnswer
    private let changes: CatalogChangeFilter
    private let state = Mutex(State())

    /// `changes`: which events under the ranges can alter the answer; others are slept
    /// through, and a wait that ends without one answers the client's own index.
    init(
        keySpace: any KeySpace, responder: HTTPResponder, options: ConsulQueryOptions,
        changes: CatalogChangeFilter = .any, run: @escaping @Sendable () -> ConsulAnswer
    ) {
        self.keySpace = keySpace
        self.responder = responder
        self.options = options
        self.changes = changes
        self.run = run
    }

    /// Loop thread only (the request's handler).
    func start(ranges: [KeyRange]) {
        precondition(responder.loop.inEventLoop, "a blocking query starts on its loop")
        var ids: [Int64] = []
        for range in ranges {
            let outcome = keySpace.watches.register(
                WatchHub.Watcher(id: 0, range: range, prevKV: changes.needsPreviousValues),
                startRevision: options.index + 1,
                sink: self, keySpace: keySpace)
            switch outcome {
            case .registered(let id, let revision):
                ids.append(id)
                // A client index from the future (another server, a restore): answer now
                // with the real index so the client resets (§2.2).
                if options.index > revision { markChanged(revision) }
            case .compacted(let compactRevision):
                // Answer now, at the compaction point at least: from there the next query
                // can watch again. Just index + 1 would answer at once forever.
                markChanged(max(compactRevision, options.index + 1))
            case .tooManyWatchers:
                markChanged(options.index + 1)
            }
        }
        let changed = state.withLock { state -> Bool in
            state.watcherIDs = ids
            return state.changedRevision > 0 || state.finished
        }
        if changed { return finish() }
        // Server stopping or client gone: answer with what is there now (Consul returns
        // the current result when a blocking query is interrupted).
        responder.onCancel = { [self] in finish() }
        let wait = options.jitteredWait(random: UInt64.random(in: 0...UInt64.max))
        let timer = responder.loop.schedule(afterNanoseconds: wait) { [self] in finish() }
        let alreadyDone = state.withLock { state -> Bool in
            state.timer = timer
            return state.finished
        }
        if alreadyDone { responder.loop.cancel(timer) }
    }

    func deliver(watcherID: Int64, events: [Event]) {
        guard let newest = events.last?.kv.modRevision, !state.withLock({ $0.finished }) else {
            return
        }
        guard case .any = changes else {
            // Judging an event decodes the record it touched: on the query's own loop, not
            // on the thread that publishes (the Raft driver), once per waiting query.
            responder.loop.execute { [self] in
                guard let relevant = events.last(where: changes.isRelevant) else { return }
                markChanged(relevant.kv.modRevision)
                finish()
            }
            return
        }
        markChanged(newest)
        responder.loop.execute { [self] in finish() }
    }

    /// The store was replaced past this query's index: something may have changed.
    func historyLost(watcherID: Int64, compactRevision: Int64) {
        markChanged(max(compactRevision, options.index + 1))
        responder.loop.execute { [self] in finish() }
    }

    private func markChanged(_ revision: Int64) {
        state.withLock { $0.changedRevision = max($0.changedRevision, revision) }
    }

    /// Answers once: removes the watchers, cancels the timer, runs the query.
    private func finish() {
        let taken = state.withLock { state -> State? in
            guard !state.finished else { return nil }
            state.finished = true
            return state
        }
        guard let taken else { return }
        for id in taken.watcherIDs { keySpace.watches.remove(id) }
        // Break the responder → onCancel → query cycle.
        if responder.loop.inEventLoop {
            responder.onCancel = nil
        } else {
            responder.loop.execute { [responder] in responder.onCancel = nil }
        }
        if let timer = taken.timer, responder.loop.inEventLoop { responder.loop.cancel(timer) }
        let answer = run()
        answer.respond(
            responder, status: keySpace.status(), consistency: options.consistency,
            index: answeredIndex(answer.index, changedRevision: taken.changedRevision))
    }

    /// At least the change that woke the query, so a deleted key does not send the index
    /// backwards (Consul keeps tombstones for this). With no change: at least the client's
    /// index, and exactly it when only unrelated records moved (Consul's per-service index
    /// stays put then).
    private func answeredIndex(_ index: Int64, changedRevision: Int64) -> Int64 {
        if changedRevision > 0 { return max(index, changedRevision) }
        if case .any = changes { return max(index, options.index) }
        return options.index
    }
}
