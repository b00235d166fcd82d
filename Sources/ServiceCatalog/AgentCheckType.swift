import Platform

/// A check as the agent endpoints take it (Consul `structs.CheckType` and
/// `CheckDefinition`): definition fields at the top level, beside ID, Name, Status and Notes.
struct AgentCheckType: Equatable {
    var checkID: String
    var name: String
    var status: HealthStatus?
    var notes: String
    var serviceID: String
    var definition: CheckDefinition
    var successBeforePassing: Int
    var failuresBeforeWarning: Int
    var failuresBeforeCritical: Int

    /// Check kinds Consul knows and Roost does not run. Rejected rather than stored, so a
    /// client never believes a check protects an instance when nothing executes it.
    static let unsupportedKinds = [
        "GRPC", "H2PING", "UDP", "DockerContainerID", "AliasService", "AliasNode", "OSService",
        "Script",
    ]

    init(fields: JSONFields) throws(CatalogError) {
        checkID = try fields.string("CheckID", "ID") ?? ""
        name = try fields.string("Name") ?? ""
        notes = try fields.string("Notes", bytesMax: CatalogLimits.textBytesMax) ?? ""
        serviceID = try fields.string("ServiceID") ?? ""
        let statusText = try fields.string("Status") ?? ""
        if statusText.isEmpty {
            status = nil
        } else if let parsed = HealthStatus.storable(statusText) {
            status = parsed
        } else {
            throw .badRequest("Status for checks must 'passing', 'warning', 'critical'")
        }
        for kind in Self.unsupportedKinds where fields.lookup([kind]) != nil {
            throw .badRequest("Invalid check: \(kind) checks are not supported by this server")
        }
        definition = try CheckDefinition(fields: fields)
        successBeforePassing = try fields.int("SuccessBeforePassing") ?? 0
        failuresBeforeCritical = try fields.int("FailuresBeforeCritical") ?? 0
        failuresBeforeWarning = try fields.int("FailuresBeforeWarning") ?? failuresBeforeCritical
        if successBeforePassing < 0 || failuresBeforeCritical < 0 || failuresBeforeWarning < 0 {
            throw .badRequest("Invalid check: thresholds must not be negative")
        }
    }

    /// `Invalid check: …` (400) and the script gate (Consul: 500 from `AddService`).
    func validate(scriptChecksEnabled: Bool) throws(CatalogError) {
        if let problem = definition.validationProblem() {
            throw .badRequest("Invalid check: \(problem)")
        }
        if definition.kind == .script && !scriptChecksEnabled {
            throw .serverError(
                "Scripts are disabled on this agent; to enable, configure 'enable_script_checks'"
                    + " or 'enable_local_script_checks' to true")
        }
    }

    /// The catalog record, with Consul's defaults: status critical unless given.
    func check(node: String, checkID: String, name: String) -> CatalogCheck {
        var definition = definition
        definition.applyMinimums()
        return CatalogCheck(
            node: node, checkID: checkID, name: name, status: status ?? .critical, notes: notes,
            serviceID: serviceID, definition: definition,
            successBeforePassing: successBeforePassing,
            failuresBeforeWarning: failuresBeforeWarning,
            failuresBeforeCritical: failuresBeforeCritical)
    }
}
