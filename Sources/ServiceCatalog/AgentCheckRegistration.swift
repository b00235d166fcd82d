import Platform

/// A `PUT /v1/agent/check/register` body (Consul `structs.CheckDefinition`).
///
/// The check's `serviceID` is taken from the body; the caller looks the instance up and calls
/// `CatalogCheck.attach(to:)`, or answers `CatalogError.unknownServiceID(_:)`.
public struct AgentCheckRegistration: Sendable, Equatable {
    public var check: CatalogCheck

    public init(body: [UInt8], node: String, scriptChecksEnabled: Bool) throws(CatalogError) {
        guard let json = try parseBody(body) else { throw .badRequest("Missing check name") }
        try self.init(json: json, node: node, scriptChecksEnabled: scriptChecksEnabled)
    }

    public init(json: JSONValue, node: String, scriptChecksEnabled: Bool) throws(CatalogError) {
        let checkType = try AgentCheckType(fields: JSONFields(json, context: "Check"))
        // Consul agent_endpoint.go AgentRegisterCheck: the name is required; the ID defaults
        // to it.
        guard !checkType.name.isEmpty else { throw .badRequest("Missing check name") }
        try checkType.validate(scriptChecksEnabled: scriptChecksEnabled)
        let checkID = checkType.checkID.isEmpty ? checkType.name : checkType.checkID
        check = checkType.check(node: node, checkID: checkID, name: checkType.name)
    }
}

extension CatalogError {
    /// A check registered against an instance this agent does not have (Consul
    /// `AgentRegisterCheck`).
    public static func unknownServiceID(_ serviceID: String) -> CatalogError {
        .badRequest("ServiceID \"\(serviceID)\" does not exist")
    }

    /// A TTL update for a check that is unknown or not a TTL check. Consul ≥ 1.11 answers
    /// 404 `Unknown check ID "<id>"` for an unknown check; older releases 500 with
    /// `CheckID "<id>" does not have associated TTL` (reference/consul.md §3.2). Roost picks
    /// the older text for non-TTL checks and the newer answer for unknown ones.
    public static func unknownCheckID(_ checkID: String) -> CatalogError {
        CatalogError(status: 404, message: "Unknown check ID \"\(checkID)\"")
    }

    public static func checkWithoutTTL(_ checkID: String) -> CatalogError {
        .serverError("CheckID \"\(checkID)\" does not have associated TTL")
    }
}
