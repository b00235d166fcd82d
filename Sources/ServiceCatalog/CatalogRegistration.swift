import Platform

/// A `PUT /v1/catalog/register` body (Consul `structs.RegisterRequest`): a node, and
/// optionally one service and checks on it (reference/consul.md §4). Registration does not
/// run checks; it stores the status given (critical when absent).
public struct CatalogRegistration: Sendable, Equatable {
    public var node: CatalogNode
    public var service: CatalogService?
    /// Checks with a `serviceID` of the body's service are attached to it; other service
    /// checks name an instance the caller must look up (`CatalogCheck.attach(to:)`).
    public var checks: [CatalogCheck]
    /// Keep the stored node as is and only add the service and checks.
    public var skipNodeUpdate: Bool

    public init(body: [UInt8], datacenter: String) throws(CatalogError) {
        guard let json = try parseBody(body) else { throw .serverError("Must provide node") }
        try self.init(json: json, datacenter: datacenter)
    }

    /// `datacenter` is the agent's; a body naming another one is refused, since Roost
    /// serves one datacenter (Consul answers `No path to datacenter`).
    public init(json: JSONValue, datacenter: String) throws(CatalogError) {
        let fields = try JSONFields(json, context: "Register")
        node = try CatalogNode(json: json)
        if node.datacenter.isEmpty { node.datacenter = datacenter }
        guard node.datacenter == datacenter else {
            throw .serverError("No path to datacenter")
        }
        skipNodeUpdate = try fields.bool("SkipNodeUpdate") ?? false
        // Consul agent/consul/catalog_endpoint.go Register: these are RPC errors (500).
        guard !node.node.isEmpty else { throw .serverError("Must provide node") }
        guard !node.address.isEmpty || skipNodeUpdate else {
            throw .serverError("Must provide address if SkipNodeUpdate is not set")
        }
        if node.node.contains("/") { throw .badRequest("Invalid node name: must not contain '/'") }
        if let problem = MetaValidation.problem(node.meta) {
            throw .badRequest("Invalid Node Meta: \(problem)")
        }
        service = try Self.service(fields, node: node.node)
        checks = try Self.checks(fields, node: node.node, service: service)
    }

    private static func service(
        _ fields: JSONFields, node: String
    ) throws(CatalogError)
        -> CatalogService?
    {
        guard let serviceFields = try fields.fields("Service") else { return nil }
        let name = try serviceFields.string("Service", "Name") ?? ""
        guard !name.isEmpty else { throw .serverError("Must provide service name") }
        var service = try CatalogService(fields: serviceFields, node: node)
        service.node = node
        return service
    }

    private static func checks(
        _ fields: JSONFields, node: String, service: CatalogService?
    )
        throws(CatalogError) -> [CatalogCheck]
    {
        var values: [JSONValue] = []
        if let single = fields.value("Check") { values.append(single) }
        if let many = fields.value("Checks") {
            guard let array = many.arrayValue else {
                throw .decodeFailed("Register.Checks must be an array")
            }
            values.append(contentsOf: array)
        }
        guard values.count <= CatalogLimits.checksPerRegistrationMax else {
            throw .badRequest(
                "Too many checks: at most \(CatalogLimits.checksPerRegistrationMax) per request")
        }
        var result: [CatalogCheck] = []
        for value in values {
            var check = try CatalogCheck(json: value, node: node)
            guard check.node == node else {
                throw .serverError("Node mismatch for check '\(check.checkID)'")
            }
            check.definition.applyMinimums()
            if let service, !check.serviceID.isEmpty, check.serviceID == service.id {
                check.attach(to: service)
            }
            result.append(check)
        }
        return result
    }
}
