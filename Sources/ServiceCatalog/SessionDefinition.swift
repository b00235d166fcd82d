import Platform

/// A `PUT /v1/session/create` body with Consul's defaults applied (reference/consul.md §6.1;
/// `agent/session_endpoint.go`, `agent/consul/session_endpoint.go`).
public struct SessionDefinition: Sendable, Equatable {
    /// Consul's default lock delay.
    public static let lockDelayDefaultNanoseconds: Int64 = 15_000_000_000
    /// Consul `structs.MaxLockDelay`: a longer delay would keep locks unusable for minutes.
    public static let lockDelayMaxNanoseconds: Int64 = 60_000_000_000
    /// A numeric `LockDelay` below this is seconds, at or above it nanoseconds (Consul
    /// `lockDelayMinThreshold`).
    public static let lockDelaySecondsThreshold: Int64 = 1000
    /// Consul's `session_ttl_min` default.
    public static let ttlMinNanoseconds: Int64 = 10_000_000_000
    /// Consul `structs.SessionTTLMax`.
    public static let ttlMaxNanoseconds: Int64 = 86_400_000_000_000
    /// Checks one session may depend on; each is re-evaluated on every health change.
    public static let checksMax = 64

    public var name: String
    public var node: String
    public var lockDelayNanoseconds: Int64
    public var behavior: SessionBehavior
    public var ttl: String
    public var nodeChecks: [String]
    public var serviceChecks: [String]

    /// Parses a create body; an empty body gets every default. `agentNode` is the node of
    /// the agent answering, the default `Node`.
    public init(body: [UInt8], agentNode: String) throws(CatalogError) {
        guard let json = try parseBody(body) else {
            self.init(defaultsFor: agentNode)
            return
        }
        try self.init(json: json, agentNode: agentNode)
    }

    private init(defaultsFor node: String) {
        name = ""
        self.node = node
        lockDelayNanoseconds = Self.lockDelayDefaultNanoseconds
        behavior = .release
        ttl = ""
        nodeChecks = [SerfHealth.checkID]
        serviceChecks = []
    }

    public init(json: JSONValue, agentNode: String) throws(CatalogError) {
        self.init(defaultsFor: agentNode)
        let fields = try JSONFields(json, context: "Session")
        name = try fields.string("Name") ?? ""
        if let node = try fields.string("Node"), !node.isEmpty { self.node = node }
        lockDelayNanoseconds = try Self.lockDelay(fields) ?? Self.lockDelayDefaultNanoseconds
        let behaviorText = try fields.string("Behavior") ?? ""
        if !behaviorText.isEmpty {
            guard let parsed = SessionBehavior(rawValue: behaviorText) else {
                throw .serverError("Invalid Behavior setting '\(behaviorText)'")
            }
            behavior = parsed
        }
        ttl = try fields.string("TTL") ?? ""
        try Self.validateTTL(ttl)
        try readChecks(fields)
        guard lockDelayNanoseconds >= 0, lockDelayNanoseconds <= Self.lockDelayMaxNanoseconds
        else {
            throw .serverError(
                "Lock delay must be between 0s and "
                    + GoDuration.format(nanoseconds: Self.lockDelayMaxNanoseconds)
            )
        }
    }

    /// Consul's `FixupLockDelay`: duration text or a number of nanoseconds, where a value
    /// below `lockDelaySecondsThreshold` ns (`"5ns"` as much as `5`) is read as seconds.
    /// Negative values stay as they are, for the range check to refuse.
    private static func lockDelay(_ fields: JSONFields) throws(CatalogError) -> Int64? {
        guard let value = fields.value("LockDelay") else { return nil }
        let nanoseconds: Int64
        if value.stringValue != nil {
            nanoseconds = try fields.duration("LockDelay") ?? 0
        } else if let number = value.int64Value {
            nanoseconds = number
        } else {
            throw .decodeFailed("Session.LockDelay must be a duration")
        }
        if nanoseconds >= 0 && nanoseconds < lockDelaySecondsThreshold {
            return nanoseconds * 1_000_000_000
        }
        return nanoseconds
    }

    /// Consul `Session.Apply`: the TTL must parse and, unless zero, lie in 10s…24h.
    static func validateTTL(_ ttl: String) throws(CatalogError) {
        guard !ttl.isEmpty else { return }
        let nanoseconds: Int64
        do {
            nanoseconds = try GoDuration.parseNanoseconds(ttl)
        } catch {
            throw .serverError("Session TTL '\(ttl)' invalid: \(error.message)")
        }
        if nanoseconds != 0 && (nanoseconds < ttlMinNanoseconds || nanoseconds > ttlMaxNanoseconds)
        {
            throw .serverError(
                "Invalid Session TTL '\(nanoseconds)', must be between "
                    + "[\(GoDuration.format(nanoseconds: ttlMinNanoseconds))="
                    + "\(GoDuration.format(nanoseconds: ttlMaxNanoseconds))]")
        }
    }

    /// `NodeChecks`, `ServiceChecks` and the deprecated `Checks` (node check IDs). The
    /// default `serfHealth` stays only when none of the three keys is sent; sending any of
    /// them, even empty, replaces it (reference/consul.md §6.1).
    private mutating func readChecks(_ fields: JSONFields) throws(CatalogError) {
        guard fields.has("NodeChecks", "ServiceChecks", "Checks") else { return }
        var node = try fields.strings("NodeChecks", countMax: Self.checksMax) ?? []
        for checkID in try fields.strings("Checks", countMax: Self.checksMax) ?? []
        where !node.contains(checkID) {
            node.append(checkID)
        }
        nodeChecks = node
        serviceChecks = try Self.serviceCheckIDs(fields) ?? []
        guard nodeChecks.count + serviceChecks.count <= Self.checksMax else {
            throw .badRequest("A session may depend on at most \(Self.checksMax) checks")
        }
    }

    /// `ServiceChecks: [{"ID":"service:web"}]`.
    static func serviceCheckIDs(_ fields: JSONFields) throws(CatalogError) -> [String]? {
        guard let value = fields.value("ServiceChecks") else { return nil }
        guard let array = value.arrayValue, array.count <= checksMax else {
            throw .decodeFailed("Session.ServiceChecks must be an array of at most \(checksMax)")
        }
        var result: [String] = []
        for element in array {
            let entry = try JSONFields(element, context: "ServiceChecks")
            guard let id = try entry.string("ID"), !id.isEmpty else {
                throw .decodeFailed("Session.ServiceChecks entries need an ID")
            }
            result.append(id)
        }
        return result
    }
}
