import KVStore
import Platform
import ServiceCatalog

/// Catalog, health and agent reads. Catalog and health reads are blocking queries over
/// the catalog's key ranges; agent reads answer this member's node at once.
extension ConsulGateway {
    func agentRead(
        _ route: Substring, _ request: HTTPRequest, _ responder: HTTPResponder
    )
        throws(ConsulError)
    {
        try ConsulGateway.only(.get, request)
        let node = keySpace.identity.name
        let snapshot = CatalogSnapshot.read(keySpace, node: node)
        let filter = try ConsulGateway.filter(request, viaRPC: false)
        let respond = { (body: [UInt8]) in
            ConsulGateway.respondJSON(
                filter.map { ConsulGateway.filtered(body, by: $0) } ?? body, responder)
        }
        switch route {
        case "services":
            let services = snapshot.services.map(\.record).filter { $0.node == node }
            respond(ConsulJSON.agentServices(services, datacenter: ConsulGateway.datacenter))
        case "checks":
            // The agent's own checks: catalog-registered ones are no agent's (Consul lists
            // its local state here).
            let checks = snapshot.health.nodeChecks(node: node).map(\.record).filter {
                !$0.catalogRegistered
            }
            respond(ConsulJSON.agentChecks(checks))
        case "self", "members":
            ConsulGateway.respondJSON(route == "self" ? agentSelf() : agentMembers(), responder)
        default:
            throw .unknownPath
        }
    }

    private func agentSelf() -> [UInt8] {
        let node = agentNode()
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("Config")
        writer.beginObject()
        for (key, value) in [
            ("Datacenter", node.datacenter), ("NodeName", node.node), ("NodeID", node.id),
            ("Version", RoostVersion.current),
        ] {
            writer.key(key)
            writer.string(value)
        }
        writer.key("Server")
        writer.bool(true)
        writer.endObject()
        writer.key("Member")
        member(&writer, name: node.node, address: node.address, alive: true)
        writer.endObject()
        return writer.bytes
    }

    /// `/v1/agent/members`: every cluster member as a gossip member would be listed.
    private func agentMembers() -> [UInt8] {
        let alive = CatalogSnapshot.aliveNodes(keySpace)
        let status = keySpace.status()
        let members =
            status.members.isEmpty
            ? [
                MemberInfo(
                    id: 0, name: keySpace.identity.name, peerURLs: status.peerURLs,
                    clientURLs: status.clientURLs)
            ]
            : status.members
        var writer = JSONWriter()
        writer.beginArray()
        for info in members {
            let host = ConsulGateway.host(ofURL: info.peerURLs.first ?? "")
            member(&writer, name: info.name, address: host, alive: alive.contains(info.name))
        }
        writer.endArray()
        return writer.bytes
    }

    private func member(_ writer: inout JSONWriter, name: String, address: String, alive: Bool) {
        writer.beginObject()
        writer.key("Name")
        writer.string(name)
        writer.key("Addr")
        writer.string(address)
        writer.key("Port")
        writer.number(8301)
        writer.key("Tags")
        writer.beginObject()
        writer.key("role")
        writer.string("consul")
        writer.key("dc")
        writer.string(ConsulGateway.datacenter)
        writer.endObject()
        // Serf's member status: 1 alive, 4 failed.
        writer.key("Status")
        writer.number(alive ? 1 : 4)
        writer.endObject()
    }

    func catalog(
        _ route: Substring, _ request: HTTPRequest, _ responder: HTTPResponder
    )
        throws(ConsulError)
    {
        if route == "register" || route == "deregister" {
            return try catalogWrite(route, request, responder)
        }
        try ConsulGateway.only(.get, request)
        let parts = route.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let argument = parts.count == 2 ? String(parts[1]) : ""
        let tags = request.queryItems().filter { $0.name == "tag" }.compactMap(\.value)
        let meta = ConsulGateway.nodeMetaFilter(request)
        let filter = try ConsulGateway.filter(request, viaRPC: true)
        var body: @Sendable (CatalogSnapshot, HealthView) -> [UInt8]
        switch parts[0] {
        case "services" where parts.count == 1:
            body = { snapshot, health in
                let services = meta.isEmpty ? snapshot.services : health.filtered(meta).services
                guard let filter else {
                    return ConsulJSON.catalogServices(services.map(\.record))
                }
                return ConsulJSON.catalogServices(
                    ConsulGateway.filteredServices(services, health: health, by: filter))
            }
        case "nodes" where parts.count == 1:
            body = { snapshot, _ in
                ConsulJSON.catalogNodes(snapshot.nodes.filter { meta.matches($0.record) })
            }
        case "service" where !argument.isEmpty:
            body = { _, health in
                let entries = health.filtered(meta).serviceEntries(name: argument, tags: tags)
                return ConsulJSON.catalogServiceNodes(entries.map { ($0.node, $0.service) })
            }
        case "node" where !argument.isEmpty:
            body = { snapshot, _ in
                ConsulJSON.catalogNode(
                    snapshot.nodes.first { $0.record.node == argument },
                    services: snapshot.services.filter { $0.record.node == argument })
            }
        default:
            throw .unknownPath
        }
        switch (parts[0], filter) {
        case ("services", _), (_, nil): break
        case ("node", let filter?):
            let nodeBody = body
            body = { ConsulGateway.filteredNodeServices(nodeBody($0, $1), by: filter) }
        default: body = ConsulGateway.filtered(body, by: filter)
        }
        // The counts keep a tag from reading as a meta pair or a filter.
        let key = CatalogReadCache.key(
            ["catalog", String(route), request.queryValue("filter") ?? "", String(tags.count)]
                + tags + meta.cacheKey)
        let changes: CatalogChangeFilter =
            switch parts[0] {
            case "service": .service(argument)
            case "node": .node(argument)
            default: .any
            }
        try readCatalog(request, responder, key, changes, body)
    }

    func health(
        _ route: Substring, _ request: HTTPRequest, _ responder: HTTPResponder
    )
        throws(ConsulError)
    {
        try ConsulGateway.only(.get, request)
        let parts = route.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty else { throw .unknownPath }
        let argument = String(parts[1])
        let tags = request.queryItems().filter { $0.name == "tag" }.compactMap(\.value)
        let passing = try ConsulGateway.parseBool(request.queryValue("passing"), "passing")
        // `?node-meta` narrows every health read but the one naming its node.
        let meta =
            parts[0] == "node"
            ? NodeMetaFilter(queryValues: []) : ConsulGateway.nodeMetaFilter(request)
        let filter = try ConsulGateway.filter(request, viaRPC: true)
        var body: @Sendable (CatalogSnapshot, HealthView) -> [UInt8]
        switch parts[0] {
        case "service":
            body = { _, health in
                ConsulJSON.healthServiceEntries(
                    health.filtered(meta).serviceEntries(
                        name: argument, tags: tags, passingOnly: passing))
            }
        case "checks":
            body = { _, health in
                ConsulJSON.healthChecks(health.filtered(meta).serviceChecks(name: argument))
            }
        case "node":
            body = { _, health in ConsulJSON.healthChecks(health.nodeChecks(node: argument)) }
        case "state":
            let filter: HealthStateFilter
            do {
                filter = try HealthStateFilter(pathSegment: argument)
            } catch {
                throw ConsulError(error)
            }
            body = { _, health in
                ConsulJSON.healthChecks(health.filtered(meta).checks(state: filter))
            }
        default:
            throw .unknownPath
        }
        body = ConsulGateway.filtered(body, by: filter)
        let key = CatalogReadCache.key(
            [
                "health", String(route), passing ? "1" : "0", request.queryValue("filter") ?? "",
                String(tags.count),
            ] + tags + meta.cacheKey)
        let changes: CatalogChangeFilter =
            switch parts[0] {
            case "service": .service(argument)
            case "checks": .serviceChecks(argument)
            case "node": .node(argument)
            default: .any
            }
        try readCatalog(request, responder, key, changes, body)
    }

    /// Answers a catalog or health read, blocking or not, from the catalog read cache:
    /// `key` names everything in the request that `body` depends on.
    private func readCatalog(
        _ request: HTTPRequest, _ responder: HTTPResponder, _ key: String,
        _ changes: CatalogChangeFilter,
        _ body: @escaping @Sendable (CatalogSnapshot, HealthView) -> [UInt8]
    ) throws(ConsulError) {
        let keySpace = self.keySpace
        let cache = catalogCache
        try read(request, responder, ranges: CatalogSnapshot.ranges, changes: changes) {
            let answer = cache.answer(key, keySpace, body)
            return .json(answer.body, index: answer.index)
        }
    }

    /// `?node-meta=key:value`, repeatable.
    static func nodeMetaFilter(_ request: HTTPRequest) -> NodeMetaFilter {
        NodeMetaFilter(
            queryValues: request.queryItems().filter { $0.name == "node-meta" }.compactMap(\.value))
    }

    /// Go's `strconv.ParseBool`, where presence without a value means true (§0).
    static func parseBool(_ text: String?, _ name: String) throws(ConsulError) -> Bool {
        guard let text else { return false }
        switch text {
        case "", "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: throw .badRequest("Invalid value for ?\(name): \(text)")
        }
    }
}
