import Platform

/// `ttl-services`: N services, each with a TTL check, registered over the Consul agent
/// API, then each check passed once per interval (the issue: 10,000 services
/// heartbeating every 10 s on one server). After a warmup of one interval (the first
/// pass of each check turns it passing, a write) the window measures the steady state:
/// heartbeat latency and lateness, the server's CPU, memory and writes; at the end every
/// check must still be passing.
enum TTLServicesRun {
    /// Instances per service name: 10,000 services are 100 names of 100 instances.
    static let instancesPerName = 100
    static let firstPort = 20_000
    /// How often the server's memory is sampled in the window.
    static let memorySampleNanoseconds: UInt64 = 1_000_000_000
    /// Time for the loop to set up the lanes before the first heartbeat is due.
    static let startDelayNanoseconds: UInt64 = 100_000_000

    static func serviceID(_ number: Int) -> String { "ttl-\(number)" }
    static func checkID(_ number: Int) -> String { "service:ttl-\(number)" }
    static let checkIDPrefix = "service:ttl-"

    static func run(_ options: BenchOptions) throws(BenchError) -> TTLServicesReport {
        try ClientPool.withConnected(options, threadName: "bench-ttl") {
            (pool) throws(BenchError) -> TTLServicesReport in
            let host = options.endpoint.description
            let ttl = options.ttlSeconds
            let registration = try pool.register(
                options.services, timeLimitSeconds: options.timeLimitSeconds
            ) { number in
                ConsulRequest.register(
                    host: host, id: serviceID(number), name: "ttl-\(number / instancesPerName)",
                    port: firstPort + number % 40_000, ttlSeconds: ttl)
            }
            var report = try heartbeats(pool, options)
            report.registration = registration.stats
            report.registrationSeconds = registration.seconds
            let probe = ServerProbe(options.endpoint)
            defer { probe.close() }
            report.passing = try probe.countChecks(state: "passing", checkIDPrefix: checkIDPrefix)
            report.critical = try probe.countChecks(
                state: "critical", checkIDPrefix: checkIDPrefix)
            return report
        }
    }

    /// Starts the lanes, measures the window, stops the lanes.
    private static func heartbeats(
        _ pool: ClientPool, _ options: BenchOptions
    ) throws(BenchError) -> TTLServicesReport {
        let clock = MonotonicClock()
        let start = clock.nowNanoseconds() + startDelayNanoseconds
        let windowStart = start + UInt64(options.warmupSeconds * 1e9)
        let window = MeasureWindow(
            startNanoseconds: windowStart,
            endNanoseconds: windowStart + UInt64((options.durationSeconds ?? 60) * 1e9))
        let schedule = HeartbeatLane.Schedule(
            services: options.services, lanes: options.connections,
            intervalNanoseconds: UInt64(options.intervalSeconds * 1e9), startNanoseconds: start,
            window: window)
        let host = options.endpoint.description
        try pool.loopThread.run("heartbeats") { [pool] in
            pool.lanes = pool.clients.enumerated().map { lane, client in
                HeartbeatLane(
                    client: client, loop: pool.loopThread.loop, lane: lane, schedule: schedule
                ) { number in
                    ConsulRequest.checkUpdate(host: host, verb: "pass", checkID: checkID(number))
                }
            }
            for lane in pool.lanes { lane.start() }
        }
        let probe = ServerProbe(options.endpoint)
        defer { probe.close() }
        sleep(until: window.startNanoseconds, clock)
        let revisionBefore = try probe.revision()
        let cpuBefore = ServerSampler.CPU.now(serverPID: options.serverPID)
        var memory = ServerSampler.Memory()
        while clock.nowNanoseconds() < window.endNanoseconds {
            if let pid = options.serverPID, let sample = ProcessMemory.sample(pid: pid) {
                memory.add(sample)
            }
            sleep(
                until: min(clock.nowNanoseconds() + memorySampleNanoseconds, window.endNanoseconds),
                clock)
        }
        let cpu = ServerSampler.CPU.now(serverPID: options.serverPID).since(cpuBefore)
        if let pid = options.serverPID, let sample = ProcessMemory.sample(pid: pid) {
            memory.add(sample)
        }
        let revisionAfter = try probe.revision()
        let stats = try pool.loopThread.run("collect") { [pool] in
            var stats = HeartbeatLane.Stats()
            for lane in pool.lanes {
                stats.merge(lane.stats)
                lane.stop()
            }
            return stats
        }
        return TTLServicesReport(
            options: options, heartbeats: stats, windowSeconds: window.seconds, cpu: cpu,
            memory: options.serverPID == nil ? nil : memory,
            writesInWindow: revisionAfter - revisionBefore)
    }

    static func sleep(until deadline: UInt64, _ clock: MonotonicClock) {
        let now = clock.nowNanoseconds()
        if deadline > now { Sleep.nanoseconds(deadline - now) }
    }
}
