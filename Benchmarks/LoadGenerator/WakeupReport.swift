import Platform

/// The outcome of a `blocking-wakeup` run, as a table for people or one JSON object.
struct WakeupReport {
    let options: BenchOptions
    var fillers = WorkerStats()
    var fillerSeconds = 0.0
    /// Answers after the change with a new index, and their latency from the change's
    /// send and from its acknowledgement (0 when the answer came first).
    var woke = 0
    var fromSend = LatencyHistogram()
    var fromAcknowledgement = LatencyHistogram()
    /// How long each change took to be acknowledged (its commit).
    var changeLatency = LatencyHistogram()
    /// The latest wake-up of each round, from the change's send.
    var roundMaxNanoseconds: [UInt64] = []
    /// Answered before the change (the query did not stay parked).
    var early = 0
    /// Answered 200 after the change with the index it waited on (a timeout).
    var stale = 0
    /// Answered with another status, by status.
    var failedByStatus: [Int: Int] = [:]
    /// Not answered within the round's time limit, or lost with their connection.
    var missing = 0
    var failures = WorkerStats()
    var residentBeforeKiB: Int?
    /// The server's memory with every query parked (one sample per round).
    var parkedMemory = ServerSampler.Memory()
    var cpu = ServerSampler.CPU(clientSeconds: 0)
    var seconds = 0.0

    init(options: BenchOptions) {
        self.options = options
    }

    mutating func add(
        _ answers: [WakeupWaiters.Answer?], waitedIndex: Int64, sentNanoseconds: UInt64,
        acknowledgedNanoseconds: UInt64
    ) {
        changeLatency.record(acknowledgedNanoseconds - sentNanoseconds)
        var roundMax: UInt64 = 0
        for answer in answers {
            guard let answer else {
                missing += 1
                continue
            }
            if answer.nanoseconds < sentNanoseconds {
                early += 1
            } else if answer.status != 200 {
                failedByStatus[answer.status, default: 0] += 1
            } else if answer.index <= waitedIndex {
                stale += 1
            } else {
                woke += 1
                let latency = answer.nanoseconds - sentNanoseconds
                fromSend.record(latency)
                roundMax = max(roundMax, latency)
                fromAcknowledgement.record(
                    answer.nanoseconds > acknowledgedNanoseconds
                        ? answer.nanoseconds - acknowledgedNanoseconds : 0)
            }
        }
        roundMaxNanoseconds.append(roundMax)
    }

    var expected: Int { options.queries * options.rounds }

    func text() -> String {
        var lines = [
            "blocking-wakeup \(options.endpoint): \(options.queries) queries on "
                + "/v1/health/service/\(WakeupRun.serviceName), \(options.rounds) rounds, "
                + "\(options.services) filler services",
            "  woke \(woke) of \(expected)   early \(early)   stale (timeout) \(stale)   "
                + "failed \(failedByStatus.values.reduce(0, +))   missing \(missing)   "
                + "connection failures \(failures.connectionFailures)",
            "  wake-up ms from the change's send  " + BenchReport.percentileText(fromSend),
            "  wake-up ms from its acknowledgement  "
                + BenchReport.percentileText(fromAcknowledgement),
            "  change acknowledged ms  " + BenchReport.percentileText(changeLatency),
            "  last wake-up of each round ms  "
                + roundMaxNanoseconds.map { format(BenchReport.milliseconds($0)) }.joined(
                    separator: " "),
        ]
        if options.services > 0 {
            lines.append(
                "  fillers registered \(fillers.succeeded) in \(format(fillerSeconds)) s")
        }
        var cpuLine =
            "  cpu seconds over \(format(seconds)) s   generator "
            + format(cpu.clientSeconds)
        if let server = cpu.serverSeconds { cpuLine += "   server \(format(server))" }
        if let other = cpu.otherSeconds { cpuLine += "   others \(format(other))" }
        lines.append(cpuLine)
        if let residentBeforeKiB {
            lines.append(
                "  server RSS MiB  before parking \(mebibytes(residentBeforeKiB))   parked "
                    + "max \(mebibytes(parkedMemory.maxKiB))")
        }
        if let reason = failures.firstFailure ?? fillers.firstFailure {
            lines.append("  first failure: \(reason)")
        }
        for (status, count) in failedByStatus.sorted(by: { $0.key < $1.key }) {
            lines.append("  status \(status): \(count)")
        }
        return lines.joined(separator: "\n")
    }

    func mebibytes(_ kibibytes: Int) -> String { format(Double(kibibytes) / 1024) }

    func format(_ value: Double) -> String { BenchReport.format(value) }
}
