import Platform
import ServiceCatalog

/// `?filter=` (go-bexpr expressions, reference/consul.md §2): a listing keeps the elements
/// the expression matches, judged on the JSON Roost answers with, whose field names are
/// Consul's.
extension ConsulGateway {
    /// The request's filter; nil when absent or empty (Consul skips an empty filter). A bad
    /// expression is a 500: Consul raises it inside its RPC layer, which reports every
    /// error so (hashicorp/consul#7338, #9441); `viaRPC` adds the prefix the catalog and
    /// health endpoints carry and the agent's, answered locally, do not.
    static func filter(_ request: HTTPRequest, viaRPC: Bool) throws(ConsulError) -> ConsulFilter? {
        guard let text = request.queryValue("filter"), !text.isEmpty else { return nil }
        do {
            return try ConsulFilter(text)
        } catch {
            let prefix = viaRPC ? "rpc error making call: " : ""
            throw ConsulError(.internalServerError, prefix + error.message)
        }
    }

    /// `body` with its top-level array narrowed to the elements `filter` matches, or, for
    /// an object (the agent's maps by ID), to the members whose values match.
    static func filtered(
        _ body: @escaping @Sendable (CatalogSnapshot, HealthView) -> [UInt8],
        by filter: ConsulFilter?
    ) -> @Sendable (CatalogSnapshot, HealthView) -> [UInt8] {
        guard let filter else { return body }
        return { snapshot, health in filtered(body(snapshot, health), by: filter) }
    }

    static func filtered(_ json: [UInt8], by filter: ConsulFilter) -> [UInt8] {
        guard let value = try? JSONParser.parse(json) else { return json }
        var writer = JSONWriter(reservingCapacity: json.count)
        switch value {
        case .array(let elements):
            writer.value(.array(elements.filter(filter.matches)))
        case .object(let object):
            writer.value(.object(JSONObject(filteredMembers(of: .object(object), by: filter))))
        default:
            return json
        }
        return writer.bytes
    }

    /// `/v1/catalog/node/<node>?filter=`: the node's `Services` map keeps the services the
    /// expression matches; the node itself is not filtered.
    static func filteredNodeServices(_ json: [UInt8], by filter: ConsulFilter) -> [UInt8] {
        guard case .object(var object)? = try? JSONParser.parse(json),
            let index = object.members.firstIndex(where: { $0.key == "Services" }),
            case .object = object.members[index].value
        else { return json }
        object.members[index].value = .object(
            JSONObject(
                filteredMembers(of: object.members[index].value, by: filter)))
        var writer = JSONWriter(reservingCapacity: json.count)
        writer.value(.object(object))
        return writer.bytes
    }

    private static func filteredMembers(
        of value: JSONValue, by filter: ConsulFilter
    ) -> [(String, JSONValue)] {
        guard case .object(let object) = value else { return [] }
        return object.members.filter { filter.matches($0.value) }.map { ($0.key, $0.value) }
    }

    /// `/v1/catalog/services?filter=`: Consul filters the instance rows (`ServiceNode`,
    /// as `/v1/catalog/service/<name>` lists them), then groups what is left by name.
    static func filteredServices(
        _ services: [Revisioned<CatalogService>], health: HealthView, by filter: ConsulFilter
    ) -> [CatalogService] {
        let nodes = Dictionary(
            health.nodes.map { ($0.record.node, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = services.compactMap { service in
            nodes[service.record.node].map { (node: $0, service: service) }
        }
        guard
            case .array(let elements)? = try? JSONParser.parse(
                ConsulJSON.catalogServiceNodes(rows))
        else { return [] }
        return zip(rows, elements).filter { filter.matches($0.1) }.map(\.0.service.record)
    }
}
