import Platform

/// A session (Consul `structs.Session`), stored at `_roost/session/<uuid>`.
public struct CatalogSession: Sendable, Equatable {
    public var id: String
    public var name: String
    public var node: String
    public var lockDelayNanoseconds: Int64
    public var behavior: SessionBehavior
    /// Duration text as given (Consul keeps the string), empty for no TTL.
    public var ttl: String
    public var nodeChecks: [String]
    public var serviceChecks: [String]

    public init(
        id: String, name: String = "", node: String,
        lockDelayNanoseconds: Int64 = SessionDefinition.lockDelayDefaultNanoseconds,
        behavior: SessionBehavior = .release, ttl: String = "",
        nodeChecks: [String] = [SerfHealth.checkID], serviceChecks: [String] = []
    ) {
        self.id = id
        self.name = name
        self.node = node
        self.lockDelayNanoseconds = lockDelayNanoseconds
        self.behavior = behavior
        self.ttl = ttl
        self.nodeChecks = nodeChecks
        self.serviceChecks = serviceChecks
    }

    /// A new session from a create request, under the ID the server chose (a UUID).
    public init(id: String, definition: SessionDefinition) {
        self.init(
            id: id, name: definition.name, node: definition.node,
            lockDelayNanoseconds: definition.lockDelayNanoseconds,
            behavior: definition.behavior, ttl: definition.ttl,
            nodeChecks: definition.nodeChecks, serviceChecks: definition.serviceChecks)
    }

    /// The TTL in nanoseconds, 0 when the session has none.
    public var ttlNanoseconds: Int64 {
        (try? GoDuration.parseNanoseconds(ttl)) ?? 0
    }

    /// Consul's session JSON: `LockDelay` in nanoseconds, `TTL` as text, empty check lists
    /// as `null` (Go nil slices; reference/consul.md §6.1).
    public func encode(to writer: inout JSONWriter, createIndex: UInt64, modifyIndex: UInt64) {
        writer.beginObject()
        writeFields(to: &writer)
        writer.field("CreateIndex", createIndex)
        writer.field("ModifyIndex", modifyIndex)
        writer.endObject()
    }

    private func writeFields(to writer: inout JSONWriter) {
        writer.field("ID", id)
        writer.field("Name", name)
        writer.field("Node", node)
        writer.key("LockDelay")
        writer.number(lockDelayNanoseconds)
        writer.field("Behavior", behavior.rawValue)
        writer.field("TTL", ttl)
        writer.key("NodeChecks")
        writer.stringArrayOrNull(nodeChecks)
        writer.key("ServiceChecks")
        if serviceChecks.isEmpty {
            writer.null()
        } else {
            writer.beginArray()
            // Consul's `structs.ServiceCheck` has no omitempty: CE writes an empty Namespace.
            for checkID in serviceChecks {
                writer.beginObject()
                writer.field("ID", checkID)
                writer.field("Namespace", "")
                writer.endObject()
            }
            writer.endArray()
        }
    }

    /// The value stored under `CatalogKeys.session(_:)`.
    public func storedValue() -> [UInt8] {
        encoded { writer in
            writer.beginObject()
            writeFields(to: &writer)
            writer.endObject()
        }
    }

    /// Decodes a value written by `storedValue()`.
    public init(storedValue: [UInt8]) throws(CatalogError) {
        guard let json = try parseBody(storedValue) else { throw .decodeFailed("empty session") }
        let fields = try JSONFields(json, context: "Session")
        id = try fields.string("ID") ?? ""
        name = try fields.string("Name") ?? ""
        node = try fields.string("Node") ?? ""
        lockDelayNanoseconds = try fields.int("LockDelay").map(Int64.init) ?? 0
        behavior = SessionBehavior(rawValue: try fields.string("Behavior") ?? "") ?? .release
        ttl = try fields.string("TTL") ?? ""
        nodeChecks = try fields.strings("NodeChecks", countMax: Int.max) ?? []
        serviceChecks = try SessionDefinition.serviceCheckIDs(fields) ?? []
    }
}
