import Platform

/// The one check a `roost services register` attaches to a service (the `Check` member
/// of Consul's register body, reference/consul.md §3.1). Durations are nanoseconds.
public struct ConsulCheckDefinition: Sendable, Equatable {
    /// How the check learns the instance's health.
    public enum Probe: Sendable, Equatable {
        /// Critical unless updated (pass/warn/fail) within the TTL.
        case ttl(nanoseconds: Int64)
        /// The agent GETs the URL every interval: 2xx passing, 429 warning, else critical.
        case http(url: String, intervalNanoseconds: Int64)
        /// The agent connects to `host:port` every interval.
        case tcp(address: String, intervalNanoseconds: Int64)
    }

    public var probe: Probe
    /// How long one HTTP or TCP probe may take; 0 leaves the server's default (10 s).
    public var timeoutNanoseconds: Int64
    /// Remove the service once the check has been critical this long; 0 never.
    public var deregisterCriticalServiceAfterNanoseconds: Int64

    public init(
        _ probe: Probe, timeoutNanoseconds: Int64 = 0,
        deregisterCriticalServiceAfterNanoseconds: Int64 = 0
    ) {
        self.probe = probe
        self.timeoutNanoseconds = timeoutNanoseconds
        self.deregisterCriticalServiceAfterNanoseconds = deregisterCriticalServiceAfterNanoseconds
    }

    /// The ID Consul gives the only check of service `serviceID` (agent.go
    /// `addServiceInternal`): what `check pass|warn|fail` take.
    public static func checkID(serviceID: String) -> String {
        "service:\(serviceID)"
    }

    /// Writes the check object (`{"TTL":"10s"}`, `{"HTTP":…,"Interval":…}`, …).
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        switch probe {
        case .ttl(let nanoseconds):
            Self.duration(&writer, "TTL", nanoseconds)
        case .http(let url, let interval):
            writer.key("HTTP")
            writer.string(url)
            Self.duration(&writer, "Interval", interval)
        case .tcp(let address, let interval):
            writer.key("TCP")
            writer.string(address)
            Self.duration(&writer, "Interval", interval)
        }
        Self.duration(&writer, "Timeout", timeoutNanoseconds)
        Self.duration(
            &writer, "DeregisterCriticalServiceAfter", deregisterCriticalServiceAfterNanoseconds)
        writer.endObject()
    }

    /// A duration member in Go syntax, omitted when 0 (unset).
    private static func duration(
        _ writer: inout JSONWriter, _ name: StaticString, _ nanoseconds: Int64
    ) {
        guard nanoseconds != 0 else { return }
        writer.key(name)
        writer.string(goDuration(nanoseconds))
    }

    /// Go duration text in the largest unit that divides `nanoseconds` exactly ("90s",
    /// "2m", "1500ms"): `time.ParseDuration` reads it back to the same value.
    static func goDuration(_ nanoseconds: Int64) -> String {
        let units: [(suffix: String, nanoseconds: Int64)] = [
            ("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000),
            ("ms", 1_000_000), ("us", 1_000),
        ]
        for unit in units where nanoseconds % unit.nanoseconds == 0 {
            return "\(nanoseconds / unit.nanoseconds)\(unit.suffix)"
        }
        return "\(nanoseconds)ns"
    }
}
