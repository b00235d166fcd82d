/// What one event loop thread counted; merged into the report at the end.
struct WorkerStats: Sendable {
    var latency = LatencyHistogram()
    /// Answers with status 200 inside the window.
    var succeeded = 0
    /// Answers with another status inside the window, by status.
    var failedByStatus: [Int: Int] = [:]
    /// Ranges answered 200 without the key (the key space was not filled).
    var missingKeys = 0
    /// Connections lost, with the first reason.
    var connectionFailures = 0
    var firstFailure: String?
    /// Requests sent inside the window (watch runs: every such put should reach every watcher).
    var sentInWindow = 0
    /// Last answer of a `--total` run, for its elapsed time.
    var lastAnswerNanoseconds: UInt64 = 0
    /// Watch runs: events for puts sent inside the window, and their delivery latency.
    var events = 0
    var eventLatency = LatencyHistogram()
    var watchersCreated = 0

    var failed: Int { failedByStatus.values.reduce(0, +) }

    mutating func merge(_ other: WorkerStats) {
        latency.merge(other.latency)
        succeeded += other.succeeded
        failedByStatus.merge(other.failedByStatus, uniquingKeysWith: +)
        missingKeys += other.missingKeys
        connectionFailures += other.connectionFailures
        firstFailure = firstFailure ?? other.firstFailure
        sentInWindow += other.sentInWindow
        lastAnswerNanoseconds = max(lastAnswerNanoseconds, other.lastAnswerNanoseconds)
        events += other.events
        eventLatency.merge(other.eventLatency)
        watchersCreated += other.watchersCreated
    }

    mutating func noteFailure(_ reason: String) {
        connectionFailures += 1
        if firstFailure == nil { firstFailure = reason }
    }
}
