import Platform

/// One put, range, watch or fill run: threads up, connections open, watchers created,
/// then the measured window, then the merged counters.
enum LoadRun {
    /// How long watch streams may take to confirm their watchers.
    static let watchSetupNanoseconds: UInt64 = 10_000_000_000
    static let pollNanoseconds: UInt64 = 2_000_000

    static func run(_ options: BenchOptions) throws(BenchError) -> BenchReport {
        let shared = RunShared(options: options)
        var workers: [BenchWorker] = []
        do {
            for index in 0..<options.threads {
                workers.append(try BenchWorker(shared: shared, index: index))
            }
        } catch {
            throw .connect("event loop: \(error)")
        }
        for worker in workers { worker.startThread() }
        do {
            try connect(workers, options)
            if options.mode == .watch { try awaitWatchers(shared, options) }
        } catch {
            for worker in workers { worker.loop.stop() }
            for worker in workers { _ = worker.join() }
            throw error
        }
        return measure(workers, options)
    }

    private static func connect(
        _ workers: [BenchWorker], _ options: BenchOptions
    ) throws(BenchError) {
        var firstIndex = 0
        for (index, worker) in workers.enumerated() {
            let clients = share(options.connections, index, workers.count)
            let streams = options.mode == .watch
                ? share(options.watchStreams, index, workers.count) : 0
            let first = firstIndex
            do {
                try worker.loop.executeAndWait { () throws(Errno) in
                    try worker.connect(
                        clientCount: clients, watchStreamCount: streams, firstIndex: first)
                }
            } catch {
                throw .connect("\(options.endpoint): \(error)")
            }
            firstIndex += clients
        }
    }

    /// The `index`th of `parts` near-equal shares of `count`.
    static func share(_ count: Int, _ index: Int, _ parts: Int) -> Int {
        count / parts + (index < count % parts ? 1 : 0)
    }

    private static func awaitWatchers(
        _ shared: RunShared, _ options: BenchOptions
    ) throws(BenchError) {
        let clock = MonotonicClock()
        let deadline = clock.nowNanoseconds() + watchSetupNanoseconds
        while shared.watchersCreated.load(ordering: .relaxed) < options.watchersTotal {
            guard clock.nowNanoseconds() < deadline else {
                let created = shared.watchersCreated.load(ordering: .relaxed)
                throw .timedOut("\(created) of \(options.watchersTotal) watchers created")
            }
            Sleep.nanoseconds(pollNanoseconds)
        }
    }

    /// Starts the load, samples CPU at the window's edges, waits for the threads.
    private static func measure(_ workers: [BenchWorker], _ options: BenchOptions) -> BenchReport {
        let clock = MonotonicClock()
        let now = clock.nowNanoseconds()
        let window: MeasureWindow
        if let duration = options.durationSeconds {
            let start = now + UInt64(options.warmupSeconds * 1e9)
            window = MeasureWindow(
                startNanoseconds: start, endNanoseconds: start + UInt64(duration * 1e9))
        } else {
            window = MeasureWindow(startNanoseconds: now, endNanoseconds: .max)
        }
        let timeLimit = UInt64(options.timeLimitSeconds * 1e9)
        for worker in workers {
            worker.loop.execute { worker.begin(window, timeLimitNanoseconds: timeLimit) }
        }
        let startNow = clock.nowNanoseconds()
        if window.startNanoseconds > startNow {
            Sleep.nanoseconds(window.startNanoseconds - startNow)
        }
        let clientBefore = ProcessCPU.selfSeconds()
        let serverBefore = options.serverPID.flatMap { ProcessCPU.seconds(pid: $0) }
        let machineBefore = ProcessCPU.machineBusySeconds()
        if window.endNanoseconds != .max {
            let sleepStart = clock.nowNanoseconds()
            if window.endNanoseconds > sleepStart {
                Sleep.nanoseconds(window.endNanoseconds - sleepStart)
            }
        }
        var clientAfter = ProcessCPU.selfSeconds()
        var serverAfter = options.serverPID.flatMap { ProcessCPU.seconds(pid: $0) }
        var machineAfter = ProcessCPU.machineBusySeconds()
        var stats = WorkerStats()
        for worker in workers { stats.merge(worker.join()) }
        var elapsed = window.seconds
        if window.endNanoseconds == .max {
            clientAfter = ProcessCPU.selfSeconds()
            serverAfter = options.serverPID.flatMap { ProcessCPU.seconds(pid: $0) }
            machineAfter = ProcessCPU.machineBusySeconds()
            let last = max(stats.lastAnswerNanoseconds, window.startNanoseconds + 1)
            elapsed = Double(last - window.startNanoseconds) / 1e9
        }
        var serverSeconds: Double?
        if let serverBefore, let serverAfter { serverSeconds = serverAfter - serverBefore }
        var machineSeconds: Double?
        if let machineBefore, let machineAfter { machineSeconds = machineAfter - machineBefore }
        return BenchReport(
            options: options, stats: stats, elapsedSeconds: elapsed,
            clientCPUSeconds: clientAfter - clientBefore, serverCPUSeconds: serverSeconds,
            machineCPUSeconds: machineSeconds)
    }
}
