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

    /// An empty body fails to decode, as Go's JSON decoder reports it (`io.EOF`).
    public init(body: [UInt8], datacenter: String) throws(CatalogError) {
        guard let json = try parseBody(body) else { throw .decodeFailed("EOF") }
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
        if !node.id.isEmpty, let problem = Self.uuidProblem(node.id) {
            throw .serverError("Bad node ID: \(problem)")
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
        // Consul servicePreApply (agent/consul/catalog_endpoint.go).
        guard !name.isEmpty else {
            throw .serverError("Must provide service name (Service.Service) with ID (Service.ID)")
        }
        var service = try CatalogService(fields: serviceFields, node: node)
        if ["0.0.0.0", "::", "[::]"].contains(service.address) {
            throw .serverError("Invalid service address")
        }
        service.node = node
        return service
    }

    /// Why `text` is not a UUID, in hashicorp/go-uuid `ParseUUID`'s words; nil if it is one.
    static func uuidProblem(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return "uuid string is wrong length" }
        let dashes = [8, 13, 18, 23]
        guard dashes.allSatisfy({ bytes[$0] == UInt8(ascii: "-") }) else {
            return "uuid is improperly formatted"
        }
        for (offset, byte) in bytes.enumerated() where !dashes.contains(offset) {
            let isHex =
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
            if !isHex { return "encoding/hex: invalid byte: \(goRune(byte))" }
        }
        return nil
    }

    /// Go's `%#U` of one byte: `U+0067 'g'`, the quoted character only when printable ASCII.
    private static func goRune(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: 4 - digits.count) + digits
        guard (0x20..<0x7F).contains(byte) else { return code }
        return code + " '\(Character(Unicode.Scalar(byte)))'"
    }

    private static func checks(
        _ fields: JSONFields, node: String, service: CatalogService?
    )
        throws(CatalogError) -> [CatalogCheck]
    {
        var result: [CatalogCheck] = []
        for value in try fields.checkValues(owner: "Register", unit: "request") {
            var check = try CatalogCheck(json: value, node: node)
            guard check.node == node else {
                throw .serverError("Node mismatch for check '\(check.checkID)'")
            }
            check.definition.applyMinimums()
            check.catalogRegistered = true
            if let service, !check.serviceID.isEmpty, check.serviceID == service.id {
                check.attach(to: service)
            }
            result.append(check)
        }
        return result
    }
}
