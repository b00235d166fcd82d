import Platform

extension BenchReport {
    func json() -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("mode")
        writer.string(options.mode.rawValue)
        if options.mode == .range {
            writer.key("consistency")
            writer.string(options.consistency.rawValue)
        }
        writer.key("endpoint")
        writer.string(options.endpoint.description)
        writer.key("connections")
        writer.number(options.connections)
        writer.key("keys")
        writer.number(options.keys)
        writer.key("value_bytes")
        writer.number(options.valueBytes)
        writer.key("seconds")
        writer.number(elapsedSeconds)
        writer.key("requests_per_second")
        writer.number(requestsPerSecond)
        writer.key("succeeded")
        writer.number(stats.succeeded)
        writer.key("failed")
        writer.number(stats.failed)
        writer.key("connection_failures")
        writer.number(stats.connectionFailures)
        writer.key("missing_keys")
        writer.number(stats.missingKeys)
        writer.key("latency_ms")
        Self.write(stats.latency, to: &writer)
        if options.mode == .watch { watchFields(&writer) }
        writer.key("generator_cpu_cores")
        writer.number(clientCPUSeconds / elapsedSeconds)
        if let serverCPUSeconds {
            writer.key("server_cpu_cores")
            writer.number(serverCPUSeconds / elapsedSeconds)
        }
        if let otherCPUSeconds {
            writer.key("other_cpu_cores")
            writer.number(otherCPUSeconds / elapsedSeconds)
        }
        if let reason = stats.firstFailure {
            writer.key("first_failure")
            writer.string(reason)
        }
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private func watchFields(_ writer: inout JSONWriter) {
        writer.key("watchers")
        writer.number(options.watchersTotal)
        writer.key("watchers_created")
        writer.number(stats.watchersCreated)
        writer.key("events")
        writer.number(stats.events)
        writer.key("events_expected")
        writer.number(expectedEvents)
        writer.key("events_per_second")
        writer.number(eventsPerSecond)
        writer.key("event_latency_ms")
        Self.write(stats.eventLatency, to: &writer)
    }

    static func write(_ histogram: LatencyHistogram, to writer: inout JSONWriter) {
        writer.beginObject()
        for (name, fraction) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99)] {
            writer.key(name)
            writer.number(milliseconds(histogram.percentile(fraction)))
        }
        writer.key("max")
        writer.number(milliseconds(histogram.maxNanoseconds))
        writer.key("mean")
        writer.number(milliseconds(histogram.meanNanoseconds))
        writer.endObject()
    }
}
