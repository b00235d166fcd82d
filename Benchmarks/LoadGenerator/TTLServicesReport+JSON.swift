import Platform

extension TTLServicesReport {
    func json() -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("mode")
        writer.string(options.mode.rawValue)
        for (key, value) in [
            ("services", options.services), ("connections", options.connections),
            ("ttl_seconds", options.ttlSeconds), ("registered", registration.succeeded),
            ("registration_failed", registration.failed + registration.connectionFailures),
            ("heartbeats", heartbeats.requests.succeeded),
            ("heartbeats_sent", heartbeats.requests.sentInWindow),
            ("heartbeats_failed", heartbeats.requests.failed),
            ("connection_failures", heartbeats.requests.connectionFailures),
            ("passing_at_end", passing), ("critical_at_end", critical),
        ] {
            writer.key(key)
            writer.number(value)
        }
        for (key, value) in [
            ("interval_seconds", options.intervalSeconds), ("seconds", windowSeconds),
            ("registration_seconds", registrationSeconds),
            ("registrations_per_second", registrationsPerSecond),
            ("heartbeats_per_second", heartbeatsPerSecond),
            ("heartbeats_offered_per_second", offeredPerSecond),
            ("generator_cpu_cores", cpu.clientSeconds / windowSeconds),
        ] {
            writer.key(key)
            writer.number(value)
        }
        writer.key("store_writes_in_window")
        writer.number(writesInWindow)
        writer.key("registration_latency_ms")
        BenchReport.write(registration.latency, to: &writer)
        writer.key("heartbeat_latency_ms")
        BenchReport.write(heartbeats.requests.latency, to: &writer)
        writer.key("heartbeat_lateness_ms")
        BenchReport.write(heartbeats.lag, to: &writer)
        if let server = cpu.serverSeconds {
            writer.key("server_cpu_cores")
            writer.number(server / windowSeconds)
        }
        if let other = cpu.otherSeconds {
            writer.key("other_cpu_cores")
            writer.number(other / windowSeconds)
        }
        if let memory { memoryFields(memory, &writer) }
        if let reason = registration.firstFailure ?? heartbeats.requests.firstFailure {
            writer.key("first_failure")
            writer.string(reason)
        }
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private func memoryFields(_ memory: ServerSampler.Memory, _ writer: inout JSONWriter) {
        for (key, value) in [
            ("server_rss_first_mib", memory.firstKiB), ("server_rss_last_mib", memory.lastKiB),
            ("server_rss_max_mib", memory.maxKiB), ("server_rss_peak_mib", memory.peakKiB),
        ] {
            writer.key(key)
            writer.number(Double(value) / 1024)
        }
    }
}
