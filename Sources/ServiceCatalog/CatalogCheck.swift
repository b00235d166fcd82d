import Platform

/// A health check (Consul `structs.HealthCheck`), stored at `_roost/check/<node>/<checkID>`.
/// A check with a `serviceID` belongs to that instance; one without is a node check.
public struct CatalogCheck: Sendable, Equatable {
    public var node: String
    public var checkID: String
    public var name: String
    public var status: HealthStatus
    public var notes: String
    public var output: String
    public var serviceID: String
    public var serviceName: String
    public var serviceTags: [String]
    public var definition: CheckDefinition
    /// Consecutive successes before a passing/warning result is reported (Consul ≥ 1.7).
    public var successBeforePassing: Int
    /// Consecutive failures before a failure is reported as warning; defaults to
    /// `failuresBeforeCritical`, as in Consul.
    public var failuresBeforeWarning: Int
    /// Consecutive failures before critical is reported.
    public var failuresBeforeCritical: Int
    /// Written by `PUT /v1/catalog/register`: the catalog only stores the status given, and
    /// no agent runs the check, its TTL timer or its critical-service reaper (Consul never
    /// runs catalog-registered checks; reference/consul.md §4). Roost-only; kept in the
    /// stored record as `RoostCatalogRegistered`, never in Consul's JSON.
    public var catalogRegistered: Bool
    /// A maintenance-mode check: its `Type` is `maintenance` whatever its definition.
    /// Kept in the stored record through that `Type`; request bodies cannot set it.
    public var maintenance: Bool

    public init(
        node: String, checkID: String, name: String, status: HealthStatus = .critical,
        notes: String = "", output: String = "", serviceID: String = "",
        serviceName: String = "", serviceTags: [String] = [],
        definition: CheckDefinition = CheckDefinition(), successBeforePassing: Int = 0,
        failuresBeforeWarning: Int = 0, failuresBeforeCritical: Int = 0,
        catalogRegistered: Bool = false, maintenance: Bool = false
    ) {
        self.node = node
        self.checkID = checkID
        self.name = name
        self.status = status
        self.notes = notes
        self.output = output
        self.serviceID = serviceID
        self.serviceName = serviceName
        self.serviceTags = serviceTags
        self.definition = definition
        self.successBeforePassing = successBeforePassing
        self.failuresBeforeWarning = failuresBeforeWarning
        self.failuresBeforeCritical = failuresBeforeCritical
        self.catalogRegistered = catalogRegistered
        self.maintenance = maintenance
    }

    /// Consul's check type string: `ttl`, `http`, `tcp`, `script`, `maintenance` or empty.
    public var type: CheckKind { maintenance ? .maintenance : definition.kind }

    /// Reads a check in Consul's `HealthCheck` shape: a `PUT /v1/catalog/register` `Check`
    /// (definition nested under `Definition`) or a stored check. `CheckID` defaults to
    /// `Name` and `Status` to critical, as Consul's catalog does.
    public init(json: JSONValue, node: String) throws(CatalogError) {
        let fields = try JSONFields(json, context: "Check")
        try self.init(healthCheckFields: fields, node: node)
    }

    init(healthCheckFields fields: JSONFields, node: String) throws(CatalogError) {
        self.node = try fields.string("Node") ?? ""
        if self.node.isEmpty { self.node = node }
        name = try fields.string("Name") ?? ""
        checkID = try fields.string("CheckID", "ID") ?? ""
        if checkID.isEmpty { checkID = name }
        let statusText = try fields.string("Status") ?? ""
        if statusText.isEmpty {
            status = .critical
        } else if let parsed = HealthStatus.storable(statusText) {
            status = parsed
        } else {
            throw .badRequest("Bad check status")
        }
        notes = try fields.string("Notes", bytesMax: CatalogLimits.textBytesMax) ?? ""
        output = try fields.string("Output", bytesMax: CatalogLimits.textBytesMax) ?? ""
        serviceID = try fields.string("ServiceID") ?? ""
        serviceName = try fields.string("ServiceName") ?? ""
        serviceTags = try fields.strings("ServiceTags", countMax: CatalogLimits.tagsMax) ?? []
        if let definitionFields = try fields.fields("Definition") {
            definition = try CheckDefinition(fields: definitionFields)
        } else {
            definition = CheckDefinition()
        }
        successBeforePassing = try fields.int("SuccessBeforePassing") ?? 0
        failuresBeforeWarning = try fields.int("FailuresBeforeWarning") ?? 0
        failuresBeforeCritical = try fields.int("FailuresBeforeCritical") ?? 0
        catalogRegistered = false
        maintenance = false
        if checkID.isEmpty { throw .serverError("Missing check ID") }
    }

    /// Copies the instance's name and tags onto a service check (Consul's state store does
    /// this on every write, so the check follows tag changes).
    public mutating func attach(to service: CatalogService) {
        serviceID = service.id
        serviceName = service.service
        serviceTags = service.tags
    }

    /// Consul's `HealthCheck` JSON (`/v1/health/checks/…`, `/v1/agent/checks` values).
    public func encode(to writer: inout JSONWriter, createIndex: UInt64, modifyIndex: UInt64) {
        writer.beginObject()
        writeConsulFields(to: &writer)
        writer.field("CreateIndex", createIndex)
        writer.field("ModifyIndex", modifyIndex)
        writer.endObject()
    }

    private func writeConsulFields(to writer: inout JSONWriter) {
        writer.field("Node", node)
        writer.field("CheckID", checkID)
        writer.field("Name", name)
        writer.field("Status", status.rawValue)
        writer.field("Notes", notes)
        writer.field("Output", output)
        writer.field("ServiceID", serviceID)
        writer.field("ServiceName", serviceName)
        writer.key("ServiceTags")
        writer.stringArray(serviceTags)
        writer.field("Type", type.rawValue)
        // The agent writes these as text, empty when unset (agent/agent.go).
        let interval = definition.intervalNanoseconds
        let timeout = definition.timeoutNanoseconds
        writer.field("Interval", interval == 0 ? "" : GoDuration.format(nanoseconds: interval))
        writer.field("Timeout", timeout == 0 ? "" : GoDuration.format(nanoseconds: timeout))
        writer.field("ExposedPort", 0)
        writer.key("Definition")
        definition.encode(to: &writer)
    }

    /// The value stored under `CatalogKeys.check(node:checkID:)`: Consul's shape plus the
    /// damping thresholds the server needs to run the check.
    public func storedValue() -> [UInt8] {
        encoded { writer in
            writer.beginObject()
            writeConsulFields(to: &writer)
            writer.field("SuccessBeforePassing", successBeforePassing)
            writer.field("FailuresBeforeWarning", failuresBeforeWarning)
            writer.field("FailuresBeforeCritical", failuresBeforeCritical)
            if catalogRegistered { writer.field("RoostCatalogRegistered", true) }
            writer.endObject()
        }
    }

    /// Decodes a value written by `storedValue()`.
    public init(storedValue: [UInt8]) throws(CatalogError) {
        guard let json = try parseBody(storedValue) else { throw .decodeFailed("empty check") }
        try self.init(json: json, node: "")
        // Stored-only: `init(json:node:)` ignores these, so request bodies cannot set them.
        let fields = try JSONFields(json, context: "Check")
        catalogRegistered = try fields.bool("RoostCatalogRegistered") ?? false
        maintenance = try fields.string("Type") == CheckKind.maintenance.rawValue
    }
}
