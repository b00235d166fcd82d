import Platform

/// A service instance to register on the agent of the server that receives it
/// (`PUT /v1/agent/service/register`, reference/consul.md §3.1).
public struct ConsulServiceRegistration: Sendable, Equatable {
    public var name: String
    /// Empty: the server uses the name, as Consul does.
    public var id: String
    /// Empty: clients fall back to the node's address.
    public var address: String
    public var port: Int
    public var tags: [String]
    /// Written in key order, as Go writes maps.
    public var meta: [String: String]
    public var check: ConsulCheckDefinition?

    public init(
        name: String, id: String = "", address: String = "", port: Int = 0,
        tags: [String] = [], meta: [String: String] = [:], check: ConsulCheckDefinition? = nil
    ) {
        self.name = name
        self.id = id
        self.address = address
        self.port = port
        self.tags = tags
        self.meta = meta
        self.check = check
    }

    /// The ID the instance is registered under.
    public var effectiveID: String { id.isEmpty ? name : id }

    /// The register body, in Consul's PascalCase.
    public var jsonBody: [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("Name")
        writer.string(name)
        for (key, value) in [("ID", id), ("Address", address)] where !value.isEmpty {
            writer.key(key)
            writer.string(value)
        }
        if port != 0 {
            writer.key("Port")
            writer.number(port)
        }
        if !tags.isEmpty {
            writer.key("Tags")
            writer.beginArray()
            for tag in tags { writer.string(tag) }
            writer.endArray()
        }
        if !meta.isEmpty {
            writer.key("Meta")
            writer.beginObject()
            for key in meta.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                writer.key(key)
                writer.string(meta[key] ?? "")
            }
            writer.endObject()
        }
        if let check {
            writer.key("Check")
            check.write(to: &writer)
        }
        writer.endObject()
        return writer.bytes
    }
}
