import KVStore
import Platform
import ServiceCatalog

/// `PUT /v1/catalog/register` and `PUT /v1/catalog/deregister` (reference/consul.md §4):
/// direct catalog writes, each one transaction, answered with `true`. Nothing here runs a
/// check: registered checks are stored `catalogRegistered`, which every agent skips.
extension ConsulGateway {
    /// Checks one service deregistration can remove with it: the transaction also deletes
    /// the service, and a transaction holds at most `KVLimits.txnOpsMax` operations. Only a
    /// service given more checks one by one can exceed it; such a service is refused whole
    /// rather than half removed.
    static let deregisterChecksMax = KVLimits.txnOpsMax - 1

    func catalogWrite(
        _ route: Substring, _ request: HTTPRequest, _ responder: HTTPResponder
    ) throws(ConsulError) {
        try ConsulGateway.only(.put, request)
        if route == "register" {
            try catalogRegister(request, responder)
        } else {
            try catalogDeregister(request, responder)
        }
    }

    private func catalogRegister(
        _ request: HTTPRequest, _ responder: HTTPResponder
    ) throws(ConsulError) {
        let registration: CatalogRegistration
        do {
            registration = try CatalogRegistration(
                body: request.body, datacenter: ConsulGateway.datacenter)
        } catch {
            throw ConsulError(error)
        }
        let name = registration.node.node
        let snapshot = CatalogSnapshot.read(keySpace, node: name)
        var writes = CatalogWrites()
        let stored = snapshot.nodes.first { $0.record.node == name }?.record
        if !registration.skipNodeUpdate {
            var node = registration.node
            node.external = !memberNames().contains(name)
            writes.put(CatalogKeys.node(name), node.storedValue(), unless: stored == node)
        } else if stored == nil, registration.service != nil || !registration.checks.isEmpty {
            // Consul state store `ensureServiceTxn`/`ensureCheckTxn`: `ErrMissingNode`.
            throw ConsulError(CatalogError.serverError("Missing node registration"))
        }
        if let service = registration.service {
            let existing = snapshot.services.first {
                $0.record.node == name && $0.record.id == service.id
            }
            writes.put(
                CatalogKeys.service(node: name, serviceID: service.id), service.storedValue(),
                unless: existing?.record == service)
        }
        for var check in registration.checks {
            try attachToStoredService(&check, registration.service, snapshot)
            let existing = snapshot.checks.first {
                $0.record.node == name && $0.record.checkID == check.checkID
            }
            writes.put(
                CatalogKeys.check(node: name, checkID: check.checkID), check.storedValue(),
                unless: existing?.record == check)
        }
        commitAnsweringTrue(writes.ops, responder)
    }

    /// A service check naming an instance other than the body's must name one already on
    /// the node (Consul `ensureCheckTxn`: "Missing service registration").
    private func attachToStoredService(
        _ check: inout CatalogCheck, _ registered: CatalogService?, _ snapshot: CatalogSnapshot
    ) throws(ConsulError) {
        guard !check.serviceID.isEmpty, check.serviceID != registered?.id else { return }
        guard
            let service = snapshot.services.first(where: {
                $0.record.node == check.node && $0.record.id == check.serviceID
            })
        else {
            throw ConsulError(CatalogError.serverError("Missing service registration"))
        }
        check.attach(to: service.record)
    }

    private func catalogDeregister(
        _ request: HTTPRequest, _ responder: HTTPResponder
    ) throws(ConsulError) {
        let deregistration: CatalogDeregistration
        do {
            deregistration = try CatalogDeregistration(
                body: request.body, datacenter: ConsulGateway.datacenter)
        } catch {
            throw ConsulError(error)
        }
        let node = deregistration.node
        var ops: [RequestOp] = []
        switch deregistration.target {
        case .node:
            // Prefix deletes: the node's records in three operations however many it has.
            ops.append(delete(CatalogKeys.node(node)))
            for prefix in [
                CatalogKeys.servicesPrefix(node: node), CatalogKeys.checksPrefix(node: node),
            ] {
                let range = KeyRange.prefix(prefix)
                ops.append(
                    .deleteRange(DeleteRangeRequest(key: range.key, rangeEnd: range.rangeEnd)))
            }
        case .service(let id):
            let checks = CatalogSnapshot.read(keySpace, node: node).checks.filter {
                $0.record.node == node && $0.record.serviceID == id
            }
            guard checks.count <= ConsulGateway.deregisterChecksMax else {
                throw ConsulError(
                    CatalogError.serverError(
                        "Service \"\(id)\" has \(checks.count) checks; one deregistration "
                            + "removes at most \(ConsulGateway.deregisterChecksMax)"))
            }
            ops.append(delete(CatalogKeys.service(node: node, serviceID: id)))
            for check in checks {
                ops.append(delete(CatalogKeys.check(node: node, checkID: check.record.checkID)))
            }
        case .check(let id):
            ops.append(delete(CatalogKeys.check(node: node, checkID: id)))
        }
        commitAnsweringTrue(ops, responder)
    }

    /// Cluster members' names: their nodes are heartbeated, every other node is external.
    private func memberNames() -> Set<String> {
        Set(keySpace.status().members.map(\.name) + [keySpace.identity.name])
    }

    /// One transaction, answered with the JSON `true`; nothing to change answers at once.
    private func commitAnsweringTrue(_ ops: [RequestOp], _ responder: HTTPResponder) {
        guard !ops.isEmpty else { return ConsulGateway.respondBool(true, responder) }
        propose(.txn(TxnRequest(success: ops)), responder) { _ in
            ConsulGateway.respondBool(true, responder)
        }
    }
}

/// The puts of one registration, each key once (a transaction may not name a key twice;
/// a later check with the same ID replaces the earlier, as in Consul's sequential writes).
private struct CatalogWrites {
    private(set) var ops: [RequestOp] = []
    private var indexByKey: [[UInt8]: Int] = [:]

    /// Puts `value` at `key` unless the stored record is already the same (Consul skips
    /// identical records, so their indexes do not move).
    mutating func put(_ key: [UInt8], _ value: [UInt8], unless unchanged: Bool) {
        if let index = indexByKey[key] {
            ops.remove(at: index)
            indexByKey = [:]
            for (position, op) in ops.enumerated() {
                if case .put(let request) = op { indexByKey[request.key] = position }
            }
        }
        guard !unchanged else { return }
        indexByKey[key] = ops.count
        ops.append(.put(PutRequest(key: key, value: value)))
    }
}
