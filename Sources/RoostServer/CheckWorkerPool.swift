import Platform
import Synchronization

/// A bounded pool of threads for blocking check runs (TCP connects, HTTP exchanges, child
/// processes), so none of them ever runs on an event loop or on the agent's thread.
///
/// Threads start on demand, up to `workersMax`, and then stay (a few threads idle on a
/// condition variable cost nothing). A job submitted when every worker is busy waits in a
/// queue of at most `queuedMax`; past that `submit` refuses it and the caller skips the run.
/// Each idle worker sleeps on its own one-slot mailbox, so handing it a job and counting
/// idle workers happen under one lock, with no window where a job waits beside an idle
/// thread.
final class CheckWorkerPool: Sendable {
    /// Checks running at once. A worker is a thread blocked for up to its check's timeout
    /// (Consul defaults: 10 s for HTTP and TCP, 30 s for scripts); sixteen let a few slow
    /// checks wait out their timeouts without delaying the rest, without a thread per check
    /// (Consul's goroutine per check has no bound).
    static let workersMaxDefault = 16
    /// Runs waiting for a worker. A check has at most one run queued or running, so this
    /// fills only when more checks are due than the workers can serve; past it a run is
    /// skipped (the check is tried again one interval later) instead of a backlog that grows
    /// with the number of checks and only makes every result later.
    static let queuedMaxDefault = 1_024

    typealias Job = @Sendable () -> Void

    let workersMax: Int
    let queuedMax: Int
    private let state = Mutex(State())

    private struct State {
        var threads: [PlatformThread] = []
        var idle: [WorkQueue<Job>] = []
        var queued: [Job] = []
        var stopped = false
    }

    init(workersMax: Int = workersMaxDefault, queuedMax: Int = queuedMaxDefault) {
        precondition(workersMax > 0 && queuedMax >= 0, "a pool needs a worker")
        self.workersMax = workersMax
        self.queuedMax = queuedMax
    }

    /// Hands `job` to an idle worker, a new worker, or the queue; false when the queue is
    /// full or the pool stopped (the job is dropped and will not run).
    func submit(_ job: @escaping Job) -> Bool {
        state.withLock { state in
            guard !state.stopped else { return false }
            if let mailbox = state.idle.popLast() {
                let handed = mailbox.offer(job)
                precondition(handed, "an idle worker's mailbox is empty")
                return true
            }
            if state.threads.count < workersMax {
                let index = state.threads.count
                state.threads.append(
                    PlatformThread.spawn(name: "roost-check-\(index)") { [self] in work(job) })
                return true
            }
            guard state.queued.count < queuedMax else { return false }
            state.queued.append(job)
            return true
        }
    }

    /// Workers started so far, workers waiting for a job, and jobs waiting (snapshots).
    var workerCount: Int { state.withLock { $0.threads.count } }
    var idleCount: Int { state.withLock { $0.idle.count } }
    var queuedCount: Int { state.withLock { $0.queued.count } }

    /// Drops queued jobs, lets running ones finish, and joins every worker. Idempotent. The
    /// pool cannot interrupt a job: the caller cancels its jobs first (`CheckRunner.stop`),
    /// or this waits for them.
    func stop() {
        let threads = state.withLock { state in
            state.stopped = true
            state.queued = []
            for mailbox in state.idle { mailbox.close() }
            state.idle = []
            defer { state.threads = [] }
            return state.threads
        }
        for thread in threads { thread.join() }
    }

    /// A worker's life: run its job, then the next queued one, or sleep until handed one.
    private func work(_ first: @escaping Job) {
        let mailbox = WorkQueue<Job>(capacity: 1)
        var job: Job? = first
        while let current = job {
            current()
            let next = state.withLock { state -> Next in
                guard !state.stopped else { return .exit }
                if !state.queued.isEmpty { return .run(state.queued.removeFirst()) }
                state.idle.append(mailbox)
                return .sleep
            }
            switch next {
            case .run(let queued): job = queued
            // Empty only once the pool stopped and closed the mailbox.
            case .sleep: job = mailbox.takeAll(max: 1, timeoutNanoseconds: nil).first
            case .exit: job = nil
            }
        }
    }

    private enum Next {
        case run(Job)
        case sleep
        case exit
    }
}
