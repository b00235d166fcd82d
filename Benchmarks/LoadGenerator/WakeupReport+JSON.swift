import Platform

extension WakeupReport {
    func json() -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("mode")
        writer.string(options.mode.rawValue)
        for (key, value) in [
            ("queries", options.queries), ("rounds", options.rounds),
            ("filler_services", options.services), ("fillers_registered", fillers.succeeded),
            ("expected", expected), ("woke", woke), ("early", early), ("stale", stale),
            ("failed", failedByStatus.values.reduce(0, +)), ("missing", missing),
            ("connection_failures", failures.connectionFailures),
        ] {
            writer.key(key)
            writer.number(value)
        }
        for (key, value) in [
            ("settle_seconds", options.settleSeconds), ("seconds", seconds),
            ("filler_seconds", fillerSeconds), ("generator_cpu_seconds", cpu.clientSeconds),
        ] {
            writer.key(key)
            writer.number(value)
        }
        for (key, histogram) in [
            ("wakeup_from_send_ms", fromSend), ("wakeup_from_ack_ms", fromAcknowledgement),
            ("change_ack_ms", changeLatency),
        ] {
            writer.key(key)
            BenchReport.write(histogram, to: &writer)
        }
        writer.key("round_max_ms")
        writer.beginArray()
        for value in roundMaxNanoseconds { writer.number(BenchReport.milliseconds(value)) }
        writer.endArray()
        if let server = cpu.serverSeconds {
            writer.key("server_cpu_seconds")
            writer.number(server)
        }
        if let other = cpu.otherSeconds {
            writer.key("other_cpu_seconds")
            writer.number(other)
        }
        if let residentBeforeKiB {
            writer.key("server_rss_before_mib")
            writer.number(Double(residentBeforeKiB) / 1024)
            writer.key("server_rss_parked_max_mib")
            writer.number(Double(parkedMemory.maxKiB) / 1024)
        }
        if let reason = failures.firstFailure ?? fillers.firstFailure {
            writer.key("first_failure")
            writer.string(reason)
        }
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
