import Platform

/// A service instance on a node (Consul `structs.NodeService` plus the node's name), stored at
/// `_roost/service/<node>/<serviceID>`.
public struct CatalogService: Sendable, Equatable {
    /// Largest port number.
    public static let portMax = 65_535

    /// The node that registered the instance.
    public var node: String
    public var id: String
    /// The service name (Consul's field is called `Service`).
    public var service: String
    public var tags: [String]
    /// Empty means "use the node's address" (reference/consul.md §4).
    public var address: String
    public var port: Int
    public var meta: [String: String]
    public var enableTagOverride: Bool
    public var weights: ServiceWeights
    public var taggedAddresses: [String: ServiceTaggedAddress]

    public init(
        node: String, id: String, service: String, tags: [String] = [], address: String = "",
        port: Int = 0, meta: [String: String] = [:], enableTagOverride: Bool = false,
        weights: ServiceWeights = ServiceWeights(),
        taggedAddresses: [String: ServiceTaggedAddress] = [:]
    ) {
        self.node = node
        self.id = id
        self.service = service
        self.tags = tags
        self.address = address
        self.port = port
        self.meta = meta
        self.enableTagOverride = enableTagOverride
        self.weights = weights
        self.taggedAddresses = taggedAddresses
    }

    /// Reads a service definition: the agent's (`Name`), the catalog's (`Service`) or a
    /// stored one. `ID` defaults to the name. Validates like Consul's agent endpoint.
    public init(json: JSONValue, node: String) throws(CatalogError) {
        let fields = try JSONFields(json, context: "Service")
        try self.init(fields: fields, node: node)
    }

    init(fields: JSONFields, node: String) throws(CatalogError) {
        self.node = try fields.string("Node") ?? node
        service = try fields.string("Service", "Name") ?? ""
        id = try fields.string("ID") ?? ""
        if id.isEmpty { id = service }
        tags = try fields.strings("Tags", countMax: CatalogLimits.tagsMax) ?? []
        address = try fields.string("Address") ?? ""
        port = try fields.int("Port") ?? 0
        meta = try fields.stringMap("Meta", countMax: CatalogLimits.metaPairsMax) ?? [:]
        enableTagOverride = try fields.bool("EnableTagOverride") ?? false
        if let weightFields = try fields.fields("Weights") {
            weights = try ServiceWeights(fields: weightFields)
        } else {
            weights = ServiceWeights()
        }
        taggedAddresses = try Self.taggedAddresses(fields)
        try validate()
    }

    private static func taggedAddresses(
        _ fields: JSONFields
    ) throws(CatalogError)
        -> [String: ServiceTaggedAddress]
    {
        guard let object = try fields.fields("TaggedAddresses") else { return [:] }
        guard object.object.count <= CatalogLimits.metaPairsMax else {
            throw .badRequest("Service.TaggedAddresses has too many entries")
        }
        var result: [String: ServiceTaggedAddress] = [:]
        for member in object.object.members {
            let entry = try JSONFields(member.value, context: "TaggedAddresses.\(member.key)")
            result[member.key] = ServiceTaggedAddress(
                address: try entry.string("Address") ?? "", port: try entry.int("Port") ?? 0)
        }
        return result
    }

    /// Consul's agent-side checks (`AgentRegisterService`), as 400s.
    func validate() throws(CatalogError) {
        if service.isEmpty { throw .badRequest("Missing service name") }
        if let problem = MetaValidation.problem(meta) {
            throw .badRequest("Invalid Service Meta: \(problem)")
        }
        try weights.validate()
        if port < 0 || port > Self.portMax {
            throw .badRequest("Invalid service port: \(port)")
        }
        if node.contains("/") {
            // The node name is a segment of the MVCC key (`CatalogKeys`).
            throw .badRequest("Invalid node name: must not contain '/'")
        }
    }

    /// The value stored under `CatalogKeys.service(node:serviceID:)`.
    public func storedValue() -> [UInt8] {
        encoded { writer in
            writer.beginObject()
            writer.field("Node", node)
            writer.field("ID", id)
            writer.field("Service", service)
            writer.key("Tags")
            writer.stringArray(tags)
            writer.field("Address", address)
            writer.field("Port", port)
            writer.key("Meta")
            writer.stringMap(meta)
            writer.field("EnableTagOverride", enableTagOverride)
            writer.key("Weights")
            weights.encode(to: &writer)
            writeTaggedAddressesIfAny(to: &writer)
            writer.endObject()
        }
    }

    /// Decodes a value written by `storedValue()`.
    public init(storedValue: [UInt8]) throws(CatalogError) {
        guard let json = try parseBody(storedValue) else { throw .decodeFailed("empty service") }
        try self.init(json: json, node: "")
    }

    /// `TaggedAddresses` is `omitempty` in every Consul shape that carries it.
    func writeTaggedAddressesIfAny(to writer: inout JSONWriter) {
        guard !taggedAddresses.isEmpty else { return }
        writer.key("TaggedAddresses")
        writeTaggedAddresses(to: &writer)
    }

    func writeTaggedAddresses(to writer: inout JSONWriter) {
        writer.beginObject()
        for key in sortedKeys(taggedAddresses) {
            writer.key(key)
            taggedAddresses[key]?.encode(to: &writer)
        }
        writer.endObject()
    }

    /// Whether every tag in `wanted` is one of the instance's tags. Consul compares tags
    /// case-insensitively (state store `serviceTagFilter`), as DNS lookups do.
    public func hasTags(_ wanted: [String]) -> Bool {
        let own = Set(tags.map { $0.lowercased() })
        return wanted.allSatisfy { own.contains($0.lowercased()) }
    }
}
