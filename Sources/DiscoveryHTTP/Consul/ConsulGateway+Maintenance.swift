import KVStore
import Platform
import ServiceCatalog

/// Maintenance mode (Consul agent.go `EnableNodeMaintenance`, `EnableServiceMaintenance`;
/// agent_endpoint.go `AgentNodeMaintenance`, `AgentServiceMaintenance`): a critical check
/// that keeps the whole node, or one instance, out of DNS and `?passing` answers until it
/// is removed. The check is a plain catalog record that nothing runs, of `Type`
/// `maintenance` as in Consul.
extension ConsulGateway {
    /// `structs.NodeMaint`.
    static let nodeMaintenanceCheckID = "_node_maintenance"
    /// `structs.ServiceMaintPrefix`; the instance's ID follows.
    static let serviceMaintenancePrefix = "_service_maintenance:"
    static let nodeMaintenanceName = "Node Maintenance Mode"
    static let serviceMaintenanceName = "Service Maintenance Mode"
    /// agent.go `defaultNodeMaintReason`.
    static let nodeMaintenanceDefaultReason =
        "Maintenance mode is enabled for this node, but no reason was provided. "
        + "This is a default message."
    /// agent.go `defaultServiceMaintReason`.
    static let serviceMaintenanceDefaultReason =
        "Maintenance mode is enabled for this service, but no reason was provided. "
        + "This is a default message."

    /// `PUT /v1/agent/maintenance?enable=&reason=` (`serviceID` nil) and
    /// `PUT /v1/agent/service/maintenance/<id>?enable=&reason=`. Answers 200 with an empty
    /// body; enabling twice keeps the first reason and disabling twice is a no-op, as in
    /// Consul.
    func maintenance(
        serviceID: String?, _ request: HTTPRequest, _ responder: HTTPResponder
    ) throws(ConsulError) {
        if serviceID?.isEmpty == true { throw .badRequest("Missing service ID") }
        let enable = try ConsulGateway.maintenanceFlag(request.queryValue("enable"))
        let node = agentNode()
        let snapshot = CatalogSnapshot.read(keySpace, node: node.node)
        let check = try maintenanceCheck(
            node: node.node, serviceID: serviceID, reason: request.queryValue("reason") ?? "",
            snapshot)
        let key = CatalogKeys.check(node: node.node, checkID: check.checkID)
        let exists = snapshot.checks.contains {
            $0.record.node == node.node && $0.record.checkID == check.checkID
        }
        switch (enable, exists) {
        case (true, false):
            // Fenced on the key being absent: of two enables at once, the first reason stays.
            let txn = TxnRequest(
                compare: [
                    Compare(result: .equal, target: .version, key: key, operand: .version(0))
                ],
                success: [
                    put(CatalogKeys.node(node.node), node.storedValue()),
                    put(key, check.storedValue()),
                ])
            propose(.txn(txn), responder) { _ in
                responder.respond(.ok, headers: ConsulGateway.commonHeaders, body: [])
            }
        case (false, true):
            commit([delete(key)], responder)
        default:
            responder.respond(.ok, headers: ConsulGateway.commonHeaders, body: [])
        }
    }

    /// The maintenance check of the node, or of instance `serviceID` on it (404 when this
    /// agent has no such instance, with Consul's text).
    private func maintenanceCheck(
        node: String, serviceID: String?, reason: String, _ snapshot: CatalogSnapshot
    ) throws(ConsulError) -> CatalogCheck {
        guard let serviceID else {
            return CatalogCheck(
                node: node, checkID: ConsulGateway.nodeMaintenanceCheckID,
                name: ConsulGateway.nodeMaintenanceName,
                notes: reason.isEmpty ? ConsulGateway.nodeMaintenanceDefaultReason : reason,
                maintenance: true)
        }
        guard
            let service = snapshot.services.first(where: {
                $0.record.node == node && $0.record.id == serviceID
            })
        else {
            throw ConsulError(.notFound, "No service registered with ID \"\(serviceID)\"")
        }
        var check = CatalogCheck(
            node: node, checkID: ConsulGateway.serviceMaintenancePrefix + serviceID,
            name: ConsulGateway.serviceMaintenanceName,
            notes: reason.isEmpty ? ConsulGateway.serviceMaintenanceDefaultReason : reason,
            maintenance: true)
        check.attach(to: service.record)
        return check
    }

    /// `?enable=` as Consul reads it: required, then Go's `strconv.ParseBool`.
    static func maintenanceFlag(_ raw: String?) throws(ConsulError) -> Bool {
        guard let raw else { throw .badRequest("Missing value for enable") }
        switch raw {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: throw .badRequest("Invalid value for enable: \(GoQuote.quote(raw))")
        }
    }
}
