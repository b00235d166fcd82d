import Platform

/// The outcome of a `ttl-services` run, as a table for people or one JSON object.
struct TTLServicesReport {
    let options: BenchOptions
    var registration = WorkerStats()
    var registrationSeconds = 0.0
    let heartbeats: HeartbeatLane.Stats
    let windowSeconds: Double
    /// CPU spent in the window by the generator, the server and the machine.
    let cpu: ServerSampler.CPU
    /// The server's memory over the window (when its pid was given).
    let memory: ServerSampler.Memory?
    /// Store revisions made in the window: catalog writes of any kind (a heartbeat that
    /// changes nothing should make none).
    let writesInWindow: Int64
    /// Checks of the run listed by `/v1/health/state/passing` and `/critical` at the end.
    var passing = 0
    var critical = 0

    /// Heartbeats per second the schedule offers: every check once per interval.
    var offeredPerSecond: Double { Double(options.services) / options.intervalSeconds }
    var heartbeatsPerSecond: Double {
        windowSeconds > 0 ? Double(heartbeats.requests.succeeded) / windowSeconds : 0
    }
    var registrationsPerSecond: Double {
        registrationSeconds > 0 ? Double(registration.succeeded) / registrationSeconds : 0
    }

    func text() -> String {
        let requests = heartbeats.requests
        var lines = [
            "ttl-services \(options.endpoint): \(options.services) services, TTL "
                + "\(options.ttlSeconds) s, a pass every \(format(options.intervalSeconds)) s "
                + "on \(options.connections) connections, \(format(windowSeconds)) s window",
            "  registered  \(registration.succeeded) in \(format(registrationSeconds)) s "
                + "(\(format(registrationsPerSecond))/s)   failed \(registration.failed)   "
                + "connection failures \(registration.connectionFailures)",
            "  registration latency ms  " + BenchReport.percentileText(registration.latency),
            "  heartbeats/s  \(format(heartbeatsPerSecond)) of \(format(offeredPerSecond)) "
                + "offered   ok \(requests.succeeded)   failed \(requests.failed)   "
                + "connection failures \(requests.connectionFailures)",
            "  heartbeat latency ms  " + BenchReport.percentileText(requests.latency),
            "  heartbeat lateness ms  " + BenchReport.percentileText(heartbeats.lag),
            "  store writes in the window  \(writesInWindow)",
        ]
        var cpuLine = "  cpu cores   generator \(format(cpu.clientSeconds / windowSeconds))"
        if let server = cpu.serverSeconds {
            cpuLine += "   server \(format(server / windowSeconds))"
        }
        if let other = cpu.otherSeconds { cpuLine += "   others \(format(other / windowSeconds))" }
        lines.append(cpuLine)
        if let memory {
            lines.append(
                "  server RSS MiB  first \(mebibytes(memory.firstKiB))   last "
                    + "\(mebibytes(memory.lastKiB))   max \(mebibytes(memory.maxKiB))   "
                    + "peak (VmHWM) \(mebibytes(memory.peakKiB))")
        }
        lines.append(
            "  at the end: \(passing) of \(options.services) checks passing, \(critical) critical")
        for reason in [registration.firstFailure, requests.firstFailure].compactMap({ $0 }) {
            lines.append("  first failure: \(reason)")
        }
        for (status, count) in requests.failedByStatus.sorted(by: { $0.key < $1.key }) {
            lines.append("  heartbeat status \(status): \(count)")
        }
        return lines.joined(separator: "\n")
    }

    func mebibytes(_ kibibytes: Int) -> String { format(Double(kibibytes) / 1024) }

    func format(_ value: Double) -> String { BenchReport.format(value) }
}
