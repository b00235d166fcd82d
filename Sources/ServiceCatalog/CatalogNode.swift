import Platform

/// A node of the catalog (Consul `structs.Node`), stored at `_roost/node/<node>`.
public struct CatalogNode: Sendable, Equatable {
    /// The node's UUID (Consul `types.NodeID`); may be empty for catalog-registered nodes.
    public var id: String
    public var node: String
    public var address: String
    public var datacenter: String
    /// `lan`, `wan`, `lan_ipv4`, … → address (Consul writes plain strings for nodes).
    public var taggedAddresses: [String: String]
    public var meta: [String: String]
    /// Registered through `PUT /v1/catalog/register` for a name that is no cluster member:
    /// no agent heartbeats it, so it has no `serfHealth` check (Consul shows such external
    /// nodes without one, since only gossip members get it). Roost-only; never in Consul's
    /// JSON, kept in the stored record as `RoostExternal`.
    public var external: Bool

    public init(
        id: String = "", node: String, address: String, datacenter: String,
        taggedAddresses: [String: String] = [:], meta: [String: String] = [:],
        external: Bool = false
    ) {
        self.id = id
        self.node = node
        self.address = address
        self.datacenter = datacenter
        self.taggedAddresses = taggedAddresses
        self.meta = meta
        self.external = external
    }

    /// Reads a stored node or a node in Consul's shape (keys matched case-insensitively;
    /// `NodeMeta` is accepted for `Meta`, as the catalog register body names it).
    public init(json: JSONValue) throws(CatalogError) {
        let fields = try JSONFields(json, context: "Node")
        id = try fields.string("ID") ?? ""
        node = try fields.string("Node") ?? ""
        address = try fields.string("Address") ?? ""
        datacenter = try fields.string("Datacenter") ?? ""
        taggedAddresses =
            try fields.stringMap("TaggedAddresses", countMax: CatalogLimits.metaPairsMax) ?? [:]
        meta = try fields.stringMap("Meta", "NodeMeta", countMax: CatalogLimits.metaPairsMax) ?? [:]
        external = false
    }

    /// Consul's node JSON (`/v1/catalog/nodes` element, `Node` of health entries).
    public func encode(to writer: inout JSONWriter, createIndex: UInt64, modifyIndex: UInt64) {
        writer.beginObject()
        writeFields(to: &writer)
        writer.field("CreateIndex", createIndex)
        writer.field("ModifyIndex", modifyIndex)
        writer.endObject()
    }

    func writeFields(to writer: inout JSONWriter) {
        writer.field("ID", id)
        writer.field("Node", node)
        writer.field("Address", address)
        writer.field("Datacenter", datacenter)
        writer.key("TaggedAddresses")
        writer.stringMap(taggedAddresses)
        writer.key("Meta")
        writer.stringMap(meta)
    }

    /// The value stored under `CatalogKeys.node(_:)`.
    public func storedValue() -> [UInt8] {
        encoded { writer in
            writer.beginObject()
            writeFields(to: &writer)
            if external { writer.field("RoostExternal", true) }
            writer.endObject()
        }
    }

    /// Decodes a value written by `storedValue()`.
    public init(storedValue: [UInt8]) throws(CatalogError) {
        guard let json = try parseBody(storedValue) else { throw .decodeFailed("empty node") }
        try self.init(json: json)
        // A stored-only key: `init(json:)` ignores it, so request bodies cannot set it.
        external = try JSONFields(json, context: "Node").bool("RoostExternal") ?? false
    }
}
