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

    /// A registered service with the union of its instances' tags, whatever their health
    /// (Consul's `/v1/catalog/services`).
    public struct Service: Sendable, Equatable {
        public var name: String
        public var tags: [String]

        public init(name: String, tags: [String] = []) {
            self.name = name
            self.tags = tags
        }
    }

    /// Instances of the services the templates name, healthy or not.
    public var instances: [Instance]
    public var nodes: [Node]
    /// Every registered service, for `services`.
    public var services: [Service]

    public init(instances: [Instance] = [], nodes: [Node] = [], services: [Service] = []) {
        self.instances = instances
        self.nodes = nodes
        self.services = services
    }

    /// The service and the optional tag a `service` query names: `name`, or `tag.name`
    /// where the tag is everything before the last dot (so a tag may hold dots).
    public static func parseQuery(_ query: String) -> (name: String, tag: String?) {
        guard let dot = query.lastIndex(of: ".") else { return (query, nil) }
        return (String(query[query.index(after: dot)...]), String(query[..<dot]))
    }

    /// Healthy instances of `query` (`name` or `tag.name`, `parseQuery`), sorted by node,
    /// then ID (consul-template's order).
    public func healthyInstances(_ query: String) -> [Instance] {
        let (name, tag) = Self.parseQuery(query)
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

    /// Service names with their tags, each sorted (a name listed twice merges its tags).
    public func serviceSummaries() -> [(name: String, tags: [String])] {
        var tags: [String: Set<String>] = [:]
        for service in services { tags[service.name, default: []].formUnion(service.tags) }
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
