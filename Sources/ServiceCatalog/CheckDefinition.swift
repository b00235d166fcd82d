import Platform

/// How a check runs (Consul `structs.HealthCheckDefinition`, the subset Roost executes).
/// Durations are nanoseconds; 0 means unset.
public struct CheckDefinition: Sendable, Equatable {
    /// Consul `MinInterval`: shorter intervals are raised to this (agent/checks/check.go).
    public static let intervalMinNanoseconds: Int64 = 1_000_000_000
    /// Consul: `DeregisterCriticalServiceAfter` below a minute is raised to a minute.
    public static let deregisterMinNanoseconds: Int64 = 60_000_000_000

    public var http: String
    public var method: String
    public var header: [String: [String]]
    public var body: String
    public var tlsServerName: String
    public var tlsSkipVerify: Bool
    public var tcp: String
    public var scriptArgs: [String]
    public var intervalNanoseconds: Int64
    public var timeoutNanoseconds: Int64
    public var ttlNanoseconds: Int64
    public var deregisterCriticalServiceAfterNanoseconds: Int64
    /// Output bound of this check; 0 means `CheckOutput.bytesMaxDefault`.
    public var outputMaxSize: Int

    public init(
        http: String = "", method: String = "", header: [String: [String]] = [:],
        body: String = "", tlsServerName: String = "", tlsSkipVerify: Bool = false,
        tcp: String = "", scriptArgs: [String] = [], intervalNanoseconds: Int64 = 0,
        timeoutNanoseconds: Int64 = 0, ttlNanoseconds: Int64 = 0,
        deregisterCriticalServiceAfterNanoseconds: Int64 = 0, outputMaxSize: Int = 0
    ) {
        self.http = http
        self.method = method
        self.header = header
        self.body = body
        self.tlsServerName = tlsServerName
        self.tlsSkipVerify = tlsSkipVerify
        self.tcp = tcp
        self.scriptArgs = scriptArgs
        self.intervalNanoseconds = intervalNanoseconds
        self.timeoutNanoseconds = timeoutNanoseconds
        self.ttlNanoseconds = ttlNanoseconds
        self.deregisterCriticalServiceAfterNanoseconds = deregisterCriticalServiceAfterNanoseconds
        self.outputMaxSize = outputMaxSize
    }

    /// The kind, by Consul's precedence (`CheckType.Type()`).
    public var kind: CheckKind {
        if ttlNanoseconds > 0 { return .ttl }
        if !http.isEmpty { return .http }
        if !tcp.isEmpty { return .tcp }
        if !scriptArgs.isEmpty { return .script }
        return .none
    }

    /// The effective output bound.
    public var outputBytesMax: Int {
        outputMaxSize > 0
            ? min(outputMaxSize, CheckOutput.bytesMaxLimit) : CheckOutput.bytesMaxDefault
    }

    /// Reads definition fields from a check object (agent `CheckType`) or a catalog
    /// `Definition` object. `Args` and `ScriptArgs` are aliases.
    init(fields: JSONFields) throws(CatalogError) {
        self.init()
        http = try fields.string("HTTP") ?? ""
        method = try fields.string("Method") ?? ""
        header = try Self.header(fields)
        body = try fields.string("Body", bytesMax: CatalogLimits.textBytesMax) ?? ""
        tlsServerName = try fields.string("TLSServerName") ?? ""
        tlsSkipVerify = try fields.bool("TLSSkipVerify") ?? false
        tcp = try fields.string("TCP") ?? ""
        scriptArgs =
            try fields.strings("Args", "ScriptArgs", countMax: CatalogLimits.scriptArgumentsMax)
            ?? []
        intervalNanoseconds = try fields.duration("Interval") ?? 0
        timeoutNanoseconds = try fields.duration("Timeout") ?? 0
        ttlNanoseconds = try fields.duration("TTL") ?? 0
        deregisterCriticalServiceAfterNanoseconds =
            try fields.duration("DeregisterCriticalServiceAfter") ?? 0
        outputMaxSize = try fields.int("OutputMaxSize") ?? 0
    }

    private static func header(_ fields: JSONFields) throws(CatalogError) -> [String: [String]] {
        guard let object = try fields.fields("Header") else { return [:] }
        guard object.object.count <= CatalogLimits.headerFieldsMax else {
            throw .badRequest("Check.Header has more than \(CatalogLimits.headerFieldsMax) fields")
        }
        var result: [String: [String]] = [:]
        for member in object.object.members {
            guard let values = member.value.arrayValue?.compactMap(\.stringValue),
                values.count == member.value.arrayValue?.count
            else {
                throw .decodeFailed("Check.Header values must be arrays of strings")
            }
            result[member.key, default: []].append(contentsOf: values)
        }
        return result
    }

    /// Consul `CheckType.Validate()`, reported as `Invalid check: <reason>` by the caller.
    func validationProblem() -> String? {
        let intervalCheck = !http.isEmpty || !tcp.isEmpty || !scriptArgs.isEmpty
        if intervalNanoseconds > 0 && ttlNanoseconds > 0 {
            return "Interval and TTL cannot both be specified"
        }
        if intervalCheck && intervalNanoseconds <= 0 {
            return "Interval must be > 0 for Script, HTTP, H2PING, TCP or UDP checks"
        }
        if !intervalCheck && ttlNanoseconds <= 0 {
            return "TTL must be > 0 for TTL checks"
        }
        if outputMaxSize < 0 { return "MaxOutputMaxSize must be positive" }
        return nil
    }

    /// Consul's clamps: the interval is at least `intervalMinNanoseconds`, a non-zero
    /// deregistration delay at least `deregisterMinNanoseconds`.
    mutating func applyMinimums() {
        if intervalNanoseconds > 0 && intervalNanoseconds < Self.intervalMinNanoseconds {
            intervalNanoseconds = Self.intervalMinNanoseconds
        }
        if deregisterCriticalServiceAfterNanoseconds > 0
            && deregisterCriticalServiceAfterNanoseconds < Self.deregisterMinNanoseconds
        {
            deregisterCriticalServiceAfterNanoseconds = Self.deregisterMinNanoseconds
        }
    }

    /// Consul's `Definition` output (`HealthCheckDefinition.MarshalJSON`): every field
    /// omitted when empty; Interval, OutputMaxSize, Timeout and DeregisterCriticalServiceAfter
    /// first and as duration text; `TTL` last and, as in Consul, in nanoseconds.
    public func encode(to writer: inout JSONWriter) {
        writer.beginObject()
        writeDuration("Interval", intervalNanoseconds, to: &writer)
        if outputMaxSize > 0 { writer.field("OutputMaxSize", outputMaxSize) }
        writeDuration("Timeout", timeoutNanoseconds, to: &writer)
        writeDuration(
            "DeregisterCriticalServiceAfter", deregisterCriticalServiceAfterNanoseconds,
            to: &writer)
        if !http.isEmpty { writer.field("HTTP", http) }
        if !tlsServerName.isEmpty { writer.field("TLSServerName", tlsServerName) }
        if tlsSkipVerify { writer.field("TLSSkipVerify", true) }
        if !header.isEmpty {
            writer.key("Header")
            writeHeader(to: &writer)
        }
        if !method.isEmpty { writer.field("Method", method) }
        if !body.isEmpty { writer.field("Body", body) }
        if !tcp.isEmpty { writer.field("TCP", tcp) }
        if !scriptArgs.isEmpty {
            writer.key("ScriptArgs")
            writer.stringArray(scriptArgs)
        }
        if ttlNanoseconds != 0 {
            writer.key("TTL")
            writer.number(ttlNanoseconds)
        }
        writer.endObject()
    }

    private func writeDuration(_ name: StaticString, _ value: Int64, to writer: inout JSONWriter) {
        guard value != 0 else { return }
        writer.field(name, GoDuration.format(nanoseconds: value))
    }

    private func writeHeader(to writer: inout JSONWriter) {
        writer.beginObject()
        for key in sortedKeys(header) {
            writer.key(key)
            writer.stringArray(header[key] ?? [])
        }
        writer.endObject()
    }
}
