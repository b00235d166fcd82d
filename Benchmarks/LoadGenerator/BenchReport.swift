import Platform

/// The outcome of one run, as a table for people or one JSON object for scripts.
struct BenchReport {
    let options: BenchOptions
    let stats: WorkerStats
    let elapsedSeconds: Double
    let clientCPUSeconds: Double
    let serverCPUSeconds: Double?
    /// The whole machine's busy CPU time in the window; minus ours and the server's, it is
    /// what other processes took (builds of other engineers on a shared box).
    let machineCPUSeconds: Double?

    var otherCPUSeconds: Double? {
        guard let machineCPUSeconds else { return nil }
        return max(0, machineCPUSeconds - clientCPUSeconds - (serverCPUSeconds ?? 0))
    }

    var requestsPerSecond: Double {
        elapsedSeconds > 0 ? Double(stats.succeeded) / elapsedSeconds : 0
    }
    var eventsPerSecond: Double { elapsedSeconds > 0 ? Double(stats.events) / elapsedSeconds : 0 }
    /// Events expected: every put sent in the window reaches every watcher.
    var expectedEvents: Int { stats.sentInWindow * options.watchersTotal }

    static func milliseconds(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1e6 }

    func text() -> String {
        var lines: [String] = []
        let label =
            options.mode == .range
            ? "range(\(options.consistency.rawValue))" : options.mode.rawValue
        lines.append(
            "\(label) \(options.endpoint): \(options.connections) connections, "
                + "\(options.keys) keys, \(options.valueBytes)-byte values, "
                + "\(format(elapsedSeconds)) s")
        lines.append(
            "  requests/s  \(format(requestsPerSecond))   ok \(stats.succeeded)"
                + "   failed \(stats.failed)   connection failures \(stats.connectionFailures)")
        lines.append("  latency ms  " + percentiles(stats.latency))
        if options.mode == .range { lines.append("  missing keys \(stats.missingKeys)") }
        if options.mode == .watch {
            lines.append(
                "  watchers \(options.watchersTotal) (created \(stats.watchersCreated))"
                    + "   events/s \(format(eventsPerSecond))   events \(stats.events)"
                    + " of \(expectedEvents) expected")
            lines.append("  event latency ms  " + percentiles(stats.eventLatency))
        }
        var cpu = "  cpu cores   generator \(format(clientCPUSeconds / elapsedSeconds))"
        if let serverCPUSeconds { cpu += "   server \(format(serverCPUSeconds / elapsedSeconds))" }
        if let otherCPUSeconds { cpu += "   others \(format(otherCPUSeconds / elapsedSeconds))" }
        lines.append(cpu)
        if let reason = stats.firstFailure { lines.append("  first failure: \(reason)") }
        for (status, count) in stats.failedByStatus.sorted(by: { $0.key < $1.key }) {
            lines.append("  status \(status): \(count)")
        }
        return lines.joined(separator: "\n")
    }

    private func percentiles(_ histogram: LatencyHistogram) -> String {
        Self.percentileText(histogram)
    }

    private func format(_ value: Double) -> String { Self.format(value) }

    /// "p50 …  p90 …  p99 …  max …  mean …" in milliseconds.
    static func percentileText(_ histogram: LatencyHistogram) -> String {
        let values = [0.5, 0.9, 0.99].map { milliseconds(histogram.percentile($0)) }
        return "p50 \(format(values[0]))  p90 \(format(values[1]))  p99 \(format(values[2]))"
            + "  max \(format(milliseconds(histogram.maxNanoseconds)))"
            + "  mean \(format(milliseconds(histogram.meanNanoseconds)))"
    }

    /// Three decimals below 100, whole numbers above.
    static func format(_ value: Double) -> String {
        let rounded = value >= 100 ? value.rounded() : (value * 1000).rounded() / 1000
        return rounded >= 100 ? String(Int(rounded)) : String(rounded)
    }
}
