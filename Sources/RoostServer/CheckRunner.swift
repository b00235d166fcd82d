import Platform
import ServiceCatalog
import Synchronization

/// Runs this node's HTTP, TCP and script checks and says what to write back: the shell
/// around `CheckTracker` (what runs, what is written) and `CriticalServiceReaper` (what is
/// deregistered), with a `CheckWorkerPool` for the blocking runs.
///
/// Threading: `poll` is called by the agent's thread only. Runs finish on worker threads and
/// writes are answered on the Raft driver's thread; both only append to `inbox`, which the
/// next `poll` drains. It stays within a few entries per tracked check: a check has at most
/// one run in flight, and a write is proposed again only after `writeRetryNanoseconds`.
final class CheckRunner: Sendable {
    /// What one poll asks the agent to propose.
    struct Pass: Sendable, Equatable {
        var writes: [CheckWrite] = []
        var reaps: [CriticalServiceReaper.Reap] = []
    }

    /// Counters for tests and diagnostics.
    struct Stats: Sendable, Equatable {
        var runsStarted = 0
        /// Runs skipped because `CheckWorkerPool.queuedMax` runs were already waiting.
        var runsSkipped = 0
        var runsFinished = 0
    }

    private enum Event: Sendable {
        case ran(CheckRun, CheckResult)
        case wrote(CheckWrite, CheckWrite.Outcome)
    }

    private struct State {
        var tracker: CheckTracker
        var reaper = CriticalServiceReaper()
        var stats = Stats()
    }

    let node: String
    private let pool: CheckWorkerPool
    /// Set by `stop`: runs in progress give up instead of waiting out their timeouts.
    private let cancellation = CancellationFlag()
    private let state: Mutex<State>
    private let inbox = Inbox()

    /// A class, so worker jobs can hold it without holding the runner.
    private final class Inbox: Sendable {
        let events = Mutex<[Event]>([])

        func append(_ event: Event) {
            events.withLock { $0.append(event) }
        }

        func drain() -> [Event] {
            events.withLock { events in
                defer { events = [] }
                return events
            }
        }
    }

    init(
        node: String, scriptChecksEnabled: Bool, seed: UInt64,
        workersMax: Int = CheckWorkerPool.workersMaxDefault,
        queuedMax: Int = CheckWorkerPool.queuedMaxDefault
    ) {
        self.node = node
        pool = CheckWorkerPool(workersMax: workersMax, queuedMax: queuedMax)
        state = Mutex(
            State(
                tracker: CheckTracker(
                    node: node, scriptChecksEnabled: scriptChecksEnabled, seed: seed)))
    }

    /// One pass over the node's checks as the catalog shows them (`checks` may hold other
    /// nodes' checks; they are ignored): takes in finished runs and answered writes,
    /// follows registrations and removals, starts the runs that are due, and returns the
    /// writes and deregistrations to propose.
    func poll(_ checks: [Revisioned<CatalogCheck>], nowNanoseconds now: UInt64) -> Pass {
        let events = inbox.drain()
        // Catalog-registered checks are stored, never run (Consul: only agents run checks,
        // and only those in their local state).
        let mine = checks.filter { $0.record.node == node && !$0.record.catalogRegistered }
        return state.withLock { state in
            for event in events {
                switch event {
                case .ran(let run, let result):
                    state.stats.runsFinished += 1
                    state.tracker.finished(run, result: result, nowNanoseconds: now)
                case .wrote(let write, let outcome):
                    state.tracker.written(write, outcome, nowNanoseconds: now)
                }
            }
            state.tracker.reconcile(mine, nowNanoseconds: now)
            for run in state.tracker.due(nowNanoseconds: now) {
                if pool.submit({ [inbox, cancellation] in
                    let result = run.execute(cancellation: cancellation)
                    inbox.append(.ran(run, result))
                }) {
                    state.stats.runsStarted += 1
                } else {
                    state.stats.runsSkipped += 1
                    state.tracker.finished(run, result: nil, nowNanoseconds: now)
                }
            }
            return Pass(
                writes: state.tracker.writes(nowNanoseconds: now),
                reaps: state.reaper.observe(mine, nowNanoseconds: now))
        }
    }

    /// The answer to a write from the last `poll`; any thread.
    func written(_ write: CheckWrite, _ outcome: CheckWrite.Outcome) {
        inbox.append(.wrote(write, outcome))
    }

    var stats: Stats { state.withLock { $0.stats } }

    /// Checks whose run is queued or in progress.
    var runningCount: Int { state.withLock { $0.tracker.running.count } }

    /// Stops the workers: queued runs are dropped, runs in progress are cancelled (script
    /// checks' process groups killed and reaped, HTTP and TCP checks' sockets closed, each
    /// within a `CancellationFlag.pollNanoseconds` slice) and their results discarded. A
    /// stopping server never waits out a check's timeout; only a host name lookup
    /// (getaddrinfo, which cannot be interrupted) can still hold a worker for a while.
    func stop() {
        cancellation.cancel()
        pool.stop()
    }
}
