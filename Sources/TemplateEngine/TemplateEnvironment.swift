/// Everything a template function may ask of the outside world. The engine stays pure by
/// reading these only through this protocol; `SystemTemplateEnvironment` is the real one,
/// `StaticTemplateEnvironment` answers from values (reproducible renders, tests).
public protocol TemplateEnvironment: Sendable {
    /// `getenv`: the variable's value, nil when unset.
    func environmentVariable(named name: String) -> String?
    /// `datetime`: the current wall-clock time in the local zone.
    func now() -> TemplateTime
    /// `lookupIP`: textual addresses of a host, nil when resolution failed.
    func lookupIP(host: String) -> [String]?
    /// `lookupSRV`: SRV records of `_service._proto.name` (or `name` when both are empty),
    /// nil when resolution failed.
    func lookupSRV(service: String, proto: String, name: String) -> [TemplateSRVRecord]?
    /// `fileExists`: whether a file (of any type) exists at the path.
    func fileExists(atPath path: String) -> Bool
}

/// One DNS SRV answer (RFC 2782), as Go's `net.SRV`.
public struct TemplateSRVRecord: Sendable, Equatable {
    /// The target host name with its trailing dot, as Go returns it.
    public var target: String
    public var port: Int
    public var priority: Int
    public var weight: Int

    public init(target: String, port: Int, priority: Int, weight: Int) {
        self.target = target
        self.port = port
        self.priority = priority
        self.weight = weight
    }

    var record: TemplateRecord {
        TemplateRecord(
            typeName: "net.SRV",
            fields: [
                TemplateField("Target", .string(target)), TemplateField("Port", .int(port)),
                TemplateField("Priority", .int(priority)), TemplateField("Weight", .int(weight)),
            ])
    }
}

/// An environment given as values: no process environment, clock, resolver or file system
/// is consulted.
public struct StaticTemplateEnvironment: TemplateEnvironment, Equatable {
    public var variables: [String: String]
    public var time: TemplateTime
    public var hosts: [String: [String]]
    /// Keyed by the query name, e.g. `_etcd._tcp.example.com`.
    public var srvRecords: [String: [TemplateSRVRecord]]
    public var files: Set<String>

    public init(
        variables: [String: String] = [:],
        time: TemplateTime = TemplateTime(
            unixSeconds: 0, nanoseconds: 0, utcOffsetSeconds: 0, zoneName: "UTC"),
        hosts: [String: [String]] = [:], srvRecords: [String: [TemplateSRVRecord]] = [:],
        files: Set<String> = []
    ) {
        self.variables = variables
        self.time = time
        self.hosts = hosts
        self.srvRecords = srvRecords
        self.files = files
    }

    public func environmentVariable(named name: String) -> String? { variables[name] }
    public func now() -> TemplateTime { time }
    public func lookupIP(host: String) -> [String]? { hosts[host] }
    public func lookupSRV(service: String, proto: String, name: String) -> [TemplateSRVRecord]? {
        srvRecords[SRVQuery.name(service: service, proto: proto, name: name)]
    }
    public func fileExists(atPath path: String) -> Bool { files.contains(path) }
}

/// The query name Go's `net.LookupSRV` builds.
enum SRVQuery {
    static func name(service: String, proto: String, name: String) -> String {
        if service.isEmpty && proto.isEmpty { return name }
        return "_\(service)._\(proto).\(name)"
    }
}
