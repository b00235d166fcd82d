import Platform

/// A `PUT /v1/agent/service/register` body (Consul `structs.ServiceDefinition`), turned into
/// the records to write: the instance and its checks (reference/consul.md §3.1).
public struct AgentServiceDefinition: Sendable, Equatable {
    public var service: CatalogService
    /// In registration order: `Check` first, then `Checks`.
    public var checks: [CatalogCheck]

    public init(service: CatalogService, checks: [CatalogCheck]) {
        self.service = service
        self.checks = checks
    }

    /// Parses a register body for the agent on `node`. Script checks are refused unless
    /// `scriptChecksEnabled` (Consul's `enable_script_checks`).
    public init(body: [UInt8], node: String, scriptChecksEnabled: Bool) throws(CatalogError) {
        guard let json = try parseBody(body) else { throw .badRequest("Missing service name") }
        try self.init(json: json, node: node, scriptChecksEnabled: scriptChecksEnabled)
    }

    public init(json: JSONValue, node: String, scriptChecksEnabled: Bool) throws(CatalogError) {
        let fields = try JSONFields(json, context: "Service")
        if let kind = try fields.string("Kind"), !kind.isEmpty {
            throw .badRequest("Invalid service kind '\(kind)': not supported by this server")
        }
        service = try CatalogService(fields: fields, node: node)
        service.node = node
        let checkTypes = try Self.checkTypes(fields)
        for checkType in checkTypes {
            try checkType.validate(scriptChecksEnabled: scriptChecksEnabled)
        }
        checks = []
        for (index, checkType) in checkTypes.enumerated() {
            // Consul agent.go addServiceInternal: service:<id>, or service:<id>:<n> (1-based)
            // when the definition has several checks.
            var checkID = checkType.checkID
            if checkID.isEmpty {
                checkID = "service:\(service.id)"
                if checkTypes.count > 1 { checkID += ":\(index + 1)" }
            }
            let name =
                checkType.name.isEmpty ? "Service '\(service.service)' check" : checkType.name
            var check = checkType.check(node: node, checkID: checkID, name: name)
            check.attach(to: service)
            checks.append(check)
        }
    }

    /// `Check` then `Checks`, bounded by `CatalogLimits.checksPerRegistrationMax`.
    static func checkTypes(_ fields: JSONFields) throws(CatalogError) -> [AgentCheckType] {
        var result: [AgentCheckType] = []
        for value in try fields.checkValues(owner: "Service", unit: "service") {
            result.append(try AgentCheckType(fields: JSONFields(value, context: "Check")))
        }
        return result
    }
}
