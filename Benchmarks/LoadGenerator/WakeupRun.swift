import Platform

/// `blocking-wakeup`: Q blocking health queries parked on one service (the issue: 1,000
/// concurrent blocking queries), then one change (its TTL check flipped between critical
/// and passing), R times. Each answer's wake-up latency is measured from the change's
/// send and from its acknowledgement; an answer must carry an index past the one the
/// query waited on.
enum WakeupRun {
    static let serviceName = "wakeup"
    static let instanceID = "wakeup-1"
    static let checkID = "service:wakeup-1"
    /// Filler instances per service name (as in ttl-services).
    static let fillersPerName = 100
    /// How often the main thread looks at the answered count while a round wakes.
    static let pollNanoseconds: UInt64 = 1_000_000
    /// Registering the fillers may take long on a slow server; `--time-limit` bounds each
    /// round instead.
    static let fillerSecondsMax = 600.0
    /// The catalog is quiet once its index stayed put this long (see `awaitQuietCatalog`).
    static let quietNanoseconds: UInt64 = 2_000_000_000
    static let quietPollNanoseconds: UInt64 = 100_000_000
    static let quietWaitNanosecondsMax: UInt64 = 30_000_000_000

    static func run(_ options: BenchOptions) throws(BenchError) -> WakeupReport {
        let probe = ServerProbe(options.endpoint)
        defer { probe.close() }
        try probe.put(
            "/v1/agent/service/register",
            body: ConsulRequest.registration(
                id: instanceID, name: serviceName, port: 9_000,
                ttlSeconds: BenchOptions.ttlSecondsMax, status: "passing"))
        var report = WakeupReport(options: options)
        if options.services > 0 {
            (report.fillers, report.fillerSeconds) = try registerFillers(options)
        }
        let groups = try waiters(options)
        defer {
            for group in groups {
                group.closeAll()
                group.loopThread.stop()
            }
        }
        try awaitQuietCatalog(probe)
        if let pid = options.serverPID, let sample = ProcessMemory.sample(pid: pid) {
            report.residentBeforeKiB = sample.residentKiB
        }
        let clock = MonotonicClock()
        let started = clock.nowNanoseconds()
        let cpuBefore = ServerSampler.CPU.now(serverPID: options.serverPID)
        for round in 0..<options.rounds {
            try runRound(round, groups, probe, options, &report)
        }
        report.cpu = ServerSampler.CPU.now(serverPID: options.serverPID).since(cpuBefore)
        report.seconds = Double(clock.nowNanoseconds() - started) / 1e9
        for group in groups { report.failures.merge(try group.failureStats()) }
        return report
    }

    /// Parks every query, changes the check, waits for the answers (at most
    /// `--time-limit`), and adds them to the report.
    private static func runRound(
        _ round: Int, _ groups: [WakeupWaiters], _ probe: ServerProbe,
        _ options: BenchOptions, _ report: inout WakeupReport
    ) throws(BenchError) {
        let clock = MonotonicClock()
        let index = try probe.consulIndex("/v1/health/service/\(serviceName)")
        let request = ConsulRequest.healthService(
            host: options.endpoint.description, name: serviceName, index: index)
        for group in groups { try group.park(request) }
        Sleep.nanoseconds(UInt64(options.settleSeconds * 1e9))
        if let pid = options.serverPID, let sample = ProcessMemory.sample(pid: pid) {
            report.parkedMemory.add(sample)
        }
        // Registered passing: even rounds fail the check, odd rounds pass it again.
        let verb = round % 2 == 0 ? "fail" : "pass"
        let sent = clock.nowNanoseconds()
        try probe.put("/v1/agent/check/\(verb)/\(checkID)")
        let acknowledged = clock.nowNanoseconds()
        let deadline = acknowledged + UInt64(options.timeLimitSeconds * 1e9)
        while settledCount(groups) < options.queries, clock.nowNanoseconds() < deadline {
            Sleep.nanoseconds(pollNanoseconds)
        }
        var answers: [WakeupWaiters.Answer?] = []
        for group in groups { answers += try group.collect() }
        report.add(
            answers, waitedIndex: index, sentNanoseconds: sent,
            acknowledgedNanoseconds: acknowledged)
    }

    /// Waits until the service's index has not moved for `quietNanoseconds` (at most
    /// `quietWaitNanosecondsMax`): a server that just started still writes its node and
    /// liveness records, and any catalog write wakes the parked queries before the change.
    private static func awaitQuietCatalog(_ probe: ServerProbe) throws(BenchError) {
        let clock = MonotonicClock()
        let deadline = clock.nowNanoseconds() + quietWaitNanosecondsMax
        var index = try probe.consulIndex("/v1/health/service/\(serviceName)")
        var since = clock.nowNanoseconds()
        while clock.nowNanoseconds() - since < quietNanoseconds,
            clock.nowNanoseconds() < deadline
        {
            Sleep.nanoseconds(quietPollNanoseconds)
            let now = try probe.consulIndex("/v1/health/service/\(serviceName)")
            if now != index {
                index = now
                since = clock.nowNanoseconds()
            }
        }
    }

    private static func settledCount(_ groups: [WakeupWaiters]) -> Int {
        groups.reduce(0) { $0 + $1.settled.load(ordering: .relaxed) }
    }

    /// One loop thread per `--threads`, the queries shared out among them.
    private static func waiters(_ options: BenchOptions) throws(BenchError) -> [WakeupWaiters] {
        var groups: [WakeupWaiters] = []
        for index in 0..<options.threads {
            let loopThread: LoopThread
            do {
                loopThread = try LoopThread(name: "bench-wakeup-\(index)")
            } catch {
                for group in groups { group.loopThread.stop() }
                throw .connect("event loop: \(error)")
            }
            loopThread.start()
            let group = WakeupWaiters(loopThread: loopThread)
            groups.append(group)
            let count = LoadRun.share(options.queries, index, options.threads)
            do {
                try group.connect(count, to: options.endpoint)
            } catch {
                for group in groups {
                    group.closeAll()
                    group.loopThread.stop()
                }
                throw error
            }
        }
        return groups
    }

    /// Registers `--services` instances with no check (they only make the catalog big).
    private static func registerFillers(
        _ options: BenchOptions
    ) throws(BenchError) -> (WorkerStats, Double) {
        try ClientPool.withConnected(options, threadName: "bench-fill") {
            (pool) throws(BenchError) -> (WorkerStats, Double) in
            let host = options.endpoint.description
            let result = try pool.register(
                options.services, timeLimitSeconds: fillerSecondsMax
            ) { number in
                ConsulRequest.register(
                    host: host, id: "filler-\(number)", name: "filler-\(number / fillersPerName)",
                    port: 30_000 + number % 30_000, ttlSeconds: nil)
            }
            return (result.stats, result.seconds)
        }
    }
}
