/// The service-discovery view a template reads through `service`, `services` and `nodes`
/// (Roost's extension, shaped like consul-template's functions).
public struct TemplateServiceCatalog: Sendable, Equatable {
    public struct Instance: Sendable, Equatable {
        public var name: String
        public var id: String
        public var node: String
        public var address: String
        public var port: Int
        public var tags: [String]
        public var meta: [String: String]
        /// Only healthy (passing) instances are returned by `service`.
        public var isHealthy: Bool

        public init(
            name: String, id: String, node: String, address: String, port: Int,
            tags: [String] = [], meta: [String: String] = [:], isHealthy: Bool = true
        ) {
            self.name = name
            self.id = id
            self.node = node
            self.address = address
            self.port = port
            self.tags = tags
            self.meta = meta
            self.isHealthy = isHealthy
        }

        var record: TemplateRecord {
            TemplateRecord(
                typeName: "roost.ServiceInstance",
                fields: [
                    TemplateField("Name", .string(name)), TemplateField("ID", .string(id)),
                    TemplateField("Node", .string(node)),
                    TemplateField("Address", .string(address)), TemplateField("Port", .int(port)),
                    TemplateField(
                        "Tags", .strings(tags.sorted(by: TemplateKeyValueStore.byteOrder))),
                    TemplateField("Meta", .map(meta.mapValues { .string($0) })),
                ])
        }
    }

    public struct Node: Sendable, Equatable {
        public var name: String
        public var address: String
        public var meta: [String: String]

        public init(name: String, address: String, meta: [String: String] = [:]) {
            self.name = name
            self.address = address
            self.meta = meta
        }

        var record: TemplateRecord {
            TemplateRecord(
                typeName: "roost.Node",
                fields: [
                    TemplateField("Node", .string(name)),
                    TemplateField("Address", .string(address)),
                    TemplateField("Meta", .map(meta.mapValues { .string($0) })),
                ])
        }
    }

    public var instances: [Instance]
    public var nodes: [Node]

    public init(instances: [Instance] = [], nodes: [Node] = []) {
        self.instances = instances
        self.nodes = nodes
    }

    /// Healthy instances of `query` (`name` or `tag.name`; the tag is everything before the
    /// last dot), sorted by node, then ID (consul-template's order).
    public func healthyInstances(_ query: String) -> [Instance] {
        var name = query
        var tag: String?
        if let dot = query.lastIndex(of: ".") {
            tag = String(query[..<dot])
            name = String(query[query.index(after: dot)...])
        }
        return instances.filter { instance in
            instance.isHealthy && instance.name == name
                && (tag.map { instance.tags.contains($0) } ?? true)
        }.sorted { left, right in
            if left.node != right.node {
                return TemplateKeyValueStore.byteOrder(left.node, right.node)
            }
            return TemplateKeyValueStore.byteOrder(left.id, right.id)
        }
    }

    /// Service names with the union of their instances' tags, sorted by name.
    public func serviceSummaries() -> [(name: String, tags: [String])] {
        var tags: [String: Set<String>] = [:]
        for instance in instances { tags[instance.name, default: []].formUnion(instance.tags) }
        return tags.keys.sorted(by: TemplateKeyValueStore.byteOrder).map { name in
            (name, (tags[name] ?? []).sorted(by: TemplateKeyValueStore.byteOrder))
        }
    }
}

/// `service`, `services`, `nodes` and `keyOrDefault`.
enum ServiceFunctions {
    static let set = TemplateFunctionSet([
        "service": TemplateFunction([.string]) { arguments, context in
            let query = arguments[0].stringValue ?? ""
            return .list(context.catalog.healthyInstances(query).map { .record($0.record) })
        },
        "services": TemplateFunction([]) { _, context in
            .list(
                context.catalog.serviceSummaries().map { summary in
                    .record(
                        TemplateRecord(
                            typeName: "roost.ServiceSummary",
                            fields: [
                                TemplateField("Name", .string(summary.name)),
                                TemplateField("Tags", .strings(summary.tags)),
                            ]))
                })
        },
        "nodes": TemplateFunction([]) { _, context in
            .list(
                context.catalog.nodes.sorted {
                    TemplateKeyValueStore.byteOrder($0.name, $1.name)
                }.map { .record($0.record) })
        },
        "keyOrDefault": TemplateFunction([.string, .string]) { arguments, context in
            let key = arguments[0].stringValue ?? ""
            if let value = context.store.value(key), !value.isEmpty { return .string(value) }
            return arguments[1]
        },
    ])
}
