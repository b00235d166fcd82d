import Platform

/// Response bodies of the catalog, health, agent and session endpoints, in Consul's shapes
/// (field order as Consul's Go structs marshal them; map keys sorted, as Go writes maps).
/// The shapes are those of Consul 1.9–1.10 CE, the most widely recorded in client fixtures:
/// no Namespace/Partition/PeerName/Locality fields (reference/consul.md §4, §5).
public enum ConsulJSON {
    /// `/v1/agent/services`: service ID → `api.AgentService`. Agent-local records carry no
    /// indexes (Consul omits them when 0).
    public static func agentServices(_ services: [CatalogService], datacenter: String) -> [UInt8] {
        encoded { writer in
            writer.beginObject()
            for service in services.sorted(by: { HealthView.precedes($0.id, $1.id) }) {
                writer.key(service.id)
                agentService(service, datacenter: datacenter, to: &writer)
            }
            writer.endObject()
        }
    }

    /// One `api.AgentService` (also `/v1/agent/service/<id>` without the ContentHash).
    public static func agentService(
        _ service: CatalogService, datacenter: String, to writer: inout JSONWriter
    ) {
        writer.beginObject()
        writer.field("ID", service.id)
        writer.field("Service", service.service)
        writer.key("Tags")
        writer.stringArray(service.tags)
        writer.key("Meta")
        writer.stringMap(service.meta)
        writer.field("Port", service.port)
        writer.field("Address", service.address)
        service.writeTaggedAddressesIfAny(to: &writer)
        writer.key("Weights")
        service.weights.encode(to: &writer)
        writer.field("EnableTagOverride", service.enableTagOverride)
        writer.field("Datacenter", datacenter)
        writer.endObject()
    }

    /// `/v1/agent/checks`: check ID → `HealthCheck`, with indexes 0 as the agent's local
    /// state has none.
    public static func agentChecks(_ checks: [CatalogCheck]) -> [UInt8] {
        encoded { writer in
            writer.beginObject()
            for check in checks.sorted(by: { HealthView.precedes($0.checkID, $1.checkID) }) {
                writer.key(check.checkID)
                check.encode(to: &writer, createIndex: 0, modifyIndex: 0)
            }
            writer.endObject()
        }
    }

    /// `/v1/catalog/services`: service name → the sorted union of its instances' tags.
    public static func catalogServices(_ services: [CatalogService]) -> [UInt8] {
        var tagsByName: [String: Set<String>] = [:]
        for service in services {
            tagsByName[service.service, default: []].formUnion(service.tags)
        }
        return encoded { writer in
            writer.beginObject()
            for name in sortedKeys(tagsByName) {
                writer.key(name)
                writer.stringArray(
                    (tagsByName[name] ?? []).sorted { HealthView.precedes($0, $1) })
            }
            writer.endObject()
        }
    }

    /// `/v1/catalog/service/<name>`: flattened node + service rows (`structs.ServiceNode`),
    /// indexes from the service record. Pass rows in the order to answer.
    public static func catalogServiceNodes(
        _ rows: [(node: Revisioned<CatalogNode>, service: Revisioned<CatalogService>)]
    ) -> [UInt8] {
        encoded { writer in
            writer.beginArray()
            for row in rows {
                serviceNode(node: row.node.record, service: row.service, to: &writer)
            }
            writer.endArray()
        }
    }

    static func serviceNode(
        node: CatalogNode, service: Revisioned<CatalogService>, to writer: inout JSONWriter
    ) {
        let instance = service.record
        writer.beginObject()
        writer.field("ID", node.id)
        writer.field("Node", node.node)
        writer.field("Address", node.address)
        writer.field("Datacenter", node.datacenter)
        writer.key("TaggedAddresses")
        writer.stringMap(node.taggedAddresses)
        writer.key("NodeMeta")
        writer.stringMap(node.meta)
        writer.field("ServiceKind", "")
        writer.field("ServiceID", instance.id)
        writer.field("ServiceName", instance.service)
        writer.key("ServiceTags")
        writer.stringArray(instance.tags)
        writer.field("ServiceAddress", instance.address)
        if !instance.taggedAddresses.isEmpty {
            writer.key("ServiceTaggedAddresses")
            instance.writeTaggedAddresses(to: &writer)
        }
        writer.key("ServiceWeights")
        instance.weights.encode(to: &writer)
        writer.key("ServiceMeta")
        writer.stringMap(instance.meta)
        writer.field("ServicePort", instance.port)
        writer.field("ServiceEnableTagOverride", instance.enableTagOverride)
        writer.key("ServiceProxy")
        writeEmptyProxy(to: &writer)
        writer.key("ServiceConnect")
        writeEmptyObject(to: &writer)
        writer.field("CreateIndex", service.createIndex)
        writer.field("ModifyIndex", service.modifyIndex)
        writer.endObject()
    }

    /// `/v1/catalog/nodes`.
    public static func catalogNodes(_ nodes: [Revisioned<CatalogNode>]) -> [UInt8] {
        encoded { writer in
            writer.beginArray()
            for node in nodes {
                node.record.encode(
                    to: &writer, createIndex: node.createIndex, modifyIndex: node.modifyIndex)
            }
            writer.endArray()
        }
    }

    /// `/v1/catalog/node/<node>`: `{"Node":…,"Services":{id: NodeService}}`, or JSON `null`
    /// (with status 200) for an unknown node.
    public static func catalogNode(
        _ node: Revisioned<CatalogNode>?, services: [Revisioned<CatalogService>]
    ) -> [UInt8] {
        encoded { writer in
            guard let node else {
                writer.null()
                return
            }
            writer.beginObject()
            writer.key("Node")
            node.record.encode(
                to: &writer, createIndex: node.createIndex, modifyIndex: node.modifyIndex)
            writer.key("Services")
            writer.beginObject()
            for service in services.sorted(by: { HealthView.precedes($0.record.id, $1.record.id) })
            {
                writer.key(service.record.id)
                nodeService(service, to: &writer)
            }
            writer.endObject()
            writer.endObject()
        }
    }

    /// One `structs.NodeService` (the `Service` of a health entry, values of a catalog node).
    public static func nodeService(
        _ service: Revisioned<CatalogService>, to writer: inout JSONWriter
    ) {
        let instance = service.record
        writer.beginObject()
        writer.field("ID", instance.id)
        writer.field("Service", instance.service)
        writer.key("Tags")
        writer.stringArray(instance.tags)
        writer.field("Address", instance.address)
        instance.writeTaggedAddressesIfAny(to: &writer)
        writer.key("Meta")
        writer.stringMap(instance.meta)
        writer.field("Port", instance.port)
        writer.key("Weights")
        instance.weights.encode(to: &writer)
        writer.field("EnableTagOverride", instance.enableTagOverride)
        writer.key("Proxy")
        writeEmptyProxy(to: &writer)
        writer.key("Connect")
        writeEmptyObject(to: &writer)
        writer.field("CreateIndex", service.createIndex)
        writer.field("ModifyIndex", service.modifyIndex)
        writer.endObject()
    }

    /// `/v1/health/service/<name>`: `[{"Node":…,"Service":…,"Checks":[…]}]`.
    public static func healthServiceEntries(_ entries: [ServiceHealthEntry]) -> [UInt8] {
        encoded { writer in
            writer.beginArray()
            for entry in entries {
                writer.beginObject()
                writer.key("Node")
                entry.node.record.encode(
                    to: &writer, createIndex: entry.node.createIndex,
                    modifyIndex: entry.node.modifyIndex)
                writer.key("Service")
                nodeService(entry.service, to: &writer)
                writer.key("Checks")
                writeChecks(entry.checks, to: &writer)
                writer.endObject()
            }
            writer.endArray()
        }
    }

    /// `/v1/health/checks/<service>`, `/v1/health/node/<node>`, `/v1/health/state/<state>`.
    public static func healthChecks(_ checks: [Revisioned<CatalogCheck>]) -> [UInt8] {
        encoded { writer in writeChecks(checks, to: &writer) }
    }

    static func writeChecks(_ checks: [Revisioned<CatalogCheck>], to writer: inout JSONWriter) {
        writer.beginArray()
        for check in checks {
            check.record.encode(
                to: &writer, createIndex: check.createIndex, modifyIndex: check.modifyIndex)
        }
        writer.endArray()
    }

    /// `/v1/session/info/<id>`, `/list`, `/node/<node>`, and `renew` (an array of one).
    public static func sessions(_ sessions: [Revisioned<CatalogSession>]) -> [UInt8] {
        encoded { writer in
            writer.beginArray()
            for session in sessions {
                session.record.encode(
                    to: &writer, createIndex: session.createIndex,
                    modifyIndex: session.modifyIndex)
            }
            writer.endArray()
        }
    }

    /// `PUT /v1/session/create` answer: `{"ID":"<uuid>"}`.
    public static func sessionCreated(id: String) -> [UInt8] {
        encoded { writer in
            writer.beginObject()
            writer.field("ID", id)
            writer.endObject()
        }
    }

    /// `ConnectProxyConfig` of a service that is not a proxy, as Consul writes it.
    private static func writeEmptyProxy(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("MeshGateway")
        writeEmptyObject(to: &writer)
        writer.key("Expose")
        writeEmptyObject(to: &writer)
        writer.endObject()
    }

    private static func writeEmptyObject(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.endObject()
    }
}
