import KVStore
import Platform
import ServiceCatalog

/// The embedded agent's write endpoints (reference/consul.md §3): services and checks
/// are registered on this server's node, written to the catalog through the log.
extension ConsulGateway {
    /// The datacenter every Roost cluster reports (one cluster is one datacenter).
    static let datacenter = "dc1"

    func agent(
        _ route: Substring, _ request: HTTPRequest, _ responder: HTTPResponder
    )
        throws(ConsulError)
    {
        let parts = route.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        let verb = parts.count >= 2 ? "\(parts[0])/\(parts[1])" : String(route)
        let argument = parts.count == 3 ? String(parts[2]) : ""
        switch verb {
        case "service/register":
            try ConsulGateway.only(.put, request)
            try registerService(request, responder)
        case "service/deregister":
            try ConsulGateway.only(.put, request)
            deregisterService(argument, responder)
        case "check/register":
            try ConsulGateway.only(.put, request)
            try registerCheck(request, responder)
        case "check/deregister":
            try ConsulGateway.only(.put, request)
            try deregisterCheck(argument, responder)
        case "check/pass", "check/warn", "check/fail":
            try ConsulGateway.only(.put, request)
            let status: HealthStatus =
                verb == "check/pass" ? .passing : verb == "check/warn" ? .warning : .critical
            try updateTTL(argument, status, request.queryValue("note") ?? "", responder)
        case "check/update":
            try ConsulGateway.only(.put, request)
            try updateTTL(argument, request, responder)
        case "maintenance", "service/maintenance":
            try ConsulGateway.only(.put, request)
            try maintenance(serviceID: verb == "maintenance" ? nil : argument, request, responder)
        default:
            try agentRead(route, request, responder)
        }
    }

    /// This server's node as the catalog shows it; written with each registration so a
    /// service never points at a missing node.
    func agentNode() -> CatalogNode {
        keySpace.agentNode()
    }

    private func registerService(
        _ request: HTTPRequest, _ responder: HTTPResponder
    )
        throws(ConsulError)
    {
        let node = agentNode()
        let definition: AgentServiceDefinition
        do {
            definition = try AgentServiceDefinition(
                body: request.body, node: node.node, scriptChecksEnabled: true)
        } catch {
            throw ConsulError(error)
        }
        try refuseScriptChecks(definition.checks)
        let service = definition.service
        var ops = [
            put(CatalogKeys.service(node: node.node, serviceID: service.id), service.storedValue())
        ]
        let newIDs = Set(definition.checks.map(\.checkID))
        let replace = request.queryValue("replace-existing-checks").map { $0 != "false" } ?? false
        // Only a replacing registration needs the checks already there: registering
        // thousands of services must not read the whole catalog for each.
        let existingChecks = replace ? CatalogSnapshot.read(keySpace, node: node.node).checks : []
        for existing in existingChecks
        where existing.record.node == node.node && existing.record.serviceID == service.id
            && !newIDs.contains(existing.record.checkID)
        {
            ops.append(delete(CatalogKeys.check(node: node.node, checkID: existing.record.checkID)))
        }
        for check in definition.checks {
            ops.append(
                put(CatalogKeys.check(node: node.node, checkID: check.checkID), check.storedValue())
            )
        }
        commit(withNode: node, ops, responder)
    }

    private func deregisterService(_ id: String, _ responder: HTTPResponder) {
        let node = keySpace.identity.name
        let snapshot = CatalogSnapshot.read(keySpace, node: node)
        guard snapshot.services.contains(where: { $0.record.node == node && $0.record.id == id })
        else {
            return ConsulError(
                .notFound,
                "Unknown service ID \"\(id)\". Ensure that the service "
                    + "ID is passed, not the service name."
            ).respond(responder)
        }
        var ops = [delete(CatalogKeys.service(node: node, serviceID: id))]
        for check in snapshot.checks where check.record.node == node && check.record.serviceID == id
        {
            ops.append(delete(CatalogKeys.check(node: node, checkID: check.record.checkID)))
        }
        commit(ops, responder)
    }

    private func registerCheck(
        _ request: HTTPRequest, _ responder: HTTPResponder
    )
        throws(ConsulError)
    {
        let node = agentNode()
        var check: CatalogCheck
        do {
            check = try AgentCheckRegistration(
                body: request.body, node: node.node, scriptChecksEnabled: true
            ).check
        } catch {
            throw ConsulError(error)
        }
        if !check.serviceID.isEmpty {
            let snapshot = CatalogSnapshot.read(keySpace, node: node.node)
            guard
                let service = snapshot.services.first(where: {
                    $0.record.node == node.node && $0.record.id == check.serviceID
                })
            else {
                throw ConsulError(CatalogError.unknownServiceID(check.serviceID))
            }
            check.attach(to: service.record)
        }
        try refuseScriptChecks([check])
        commit(
            withNode: node,
            [put(CatalogKeys.check(node: node.node, checkID: check.checkID), check.storedValue())],
            responder)
    }

    private func deregisterCheck(_ id: String, _ responder: HTTPResponder) throws(ConsulError) {
        let node = keySpace.identity.name
        guard
            CatalogSnapshot.read(keySpace, node: node).checks.contains(where: {
                $0.record.node == node && $0.record.checkID == id
            })
        else {
            throw ConsulError(CatalogError.unknownCheckID(id))
        }
        commit([delete(CatalogKeys.check(node: node, checkID: id))], responder)
    }

    func put(_ key: [UInt8], _ value: [UInt8]) -> RequestOp {
        .put(PutRequest(key: key, value: value))
    }

    func delete(_ key: [UInt8]) -> RequestOp {
        .deleteRange(DeleteRangeRequest(key: key))
    }

    /// One transaction for the whole change; 200 with an empty body, as the agent answers.
    func commit(_ ops: [RequestOp], _ responder: HTTPResponder) {
        commit(TxnRequest(success: ops), responder)
    }

    /// `ops` and this agent's node record in one transaction, the record written only when
    /// the stored one differs (Consul's `EnsureNode` skips an identical node): its index
    /// stays put, and a registration does not wake every blocking query of the catalog.
    /// The comparison is part of the transaction, so a node removed meanwhile is written.
    func commit(withNode node: CatalogNode, _ ops: [RequestOp], _ responder: HTTPResponder) {
        let key = CatalogKeys.node(node.node)
        let value = node.storedValue()
        let unchanged = Compare(result: .equal, target: .value, key: key, operand: .value(value))
        commit(
            TxnRequest(compare: [unchanged], success: ops, failure: [put(key, value)] + ops),
            responder)
    }

    private func commit(_ txn: TxnRequest, _ responder: HTTPResponder) {
        propose(.txn(txn), responder) { _ in
            responder.respond(.ok, headers: ConsulGateway.commonHeaders, body: [])
        }
    }
}

extension ConsulError {
    init(_ error: CatalogError) {
        self.init(
            HTTPStatus(code: error.status, reason: ConsulError.reason(error.status)), error.message)
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 413: "Payload Too Large"
        default: "Internal Server Error"
        }
    }
}
