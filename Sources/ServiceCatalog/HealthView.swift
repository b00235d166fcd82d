/// Health answers computed from a snapshot of the catalog (pure). The same view serves the
/// `/v1/health/*` endpoints, DNS and confd, so they agree on what "healthy" means.
///
/// Roost has no gossip layer: each node's `serfHealth` check is synthesised from whether its
/// `_roost/alive/<node>` key exists (passing) or not (critical), with the node's revisions,
/// unless a check with that ID is stored or the node is external (`CatalogNode.external`).
/// Names compare case-insensitively, as Consul's lowercase memdb indexes do.
public struct HealthView: Sendable {
    public let nodes: [Revisioned<CatalogNode>]
    public let services: [Revisioned<CatalogService>]
    /// Stored checks plus the synthetic serfHealth checks, sorted by node then check ID.
    public let checks: [Revisioned<CatalogCheck>]

    public init(
        nodes: [Revisioned<CatalogNode>], services: [Revisioned<CatalogService>],
        checks: [Revisioned<CatalogCheck>], aliveNodes: Set<String>
    ) {
        self.nodes = nodes.sorted { Self.precedes($0.record.node, $1.record.node) }
        self.services = services.sorted { Self.precedes($0.record, $1.record) }
        var all = checks
        let stored = Set(
            checks.filter { $0.record.checkID == SerfHealth.checkID }.map(\.record.node))
        // External (catalog-registered) nodes get none, as in Consul, where only gossip
        // members have a serfHealth check.
        for node in nodes where !node.record.external && !stored.contains(node.record.node) {
            let serf = SerfHealth.check(
                node: node.record.node, alive: aliveNodes.contains(node.record.node))
            all.append(
                Revisioned(serf, createIndex: node.createIndex, modifyIndex: node.modifyIndex))
        }
        self.checks = all.sorted { left, right in
            left.record.node != right.record.node
                ? Self.precedes(left.record.node, right.record.node)
                : Self.precedes(left.record.checkID, right.record.checkID)
        }
    }

    /// A view of records already in this view's order (a filtered copy of one).
    init(
        sortedNodes: [Revisioned<CatalogNode>], sortedServices: [Revisioned<CatalogService>],
        sortedChecks: [Revisioned<CatalogCheck>]
    ) {
        nodes = sortedNodes
        services = sortedServices
        checks = sortedChecks
    }

    /// `/v1/health/service/<name>?tag=…&passing`: every instance named `name` whose tags
    /// include all of `tags`, with its node's and its own checks; `passingOnly` keeps only
    /// instances whose checks all pass. Sorted by node, then service ID.
    public func serviceEntries(
        name: String, tags: [String] = [], passingOnly: Bool = false
    )
        -> [ServiceHealthEntry]
    {
        let nodesByName = Dictionary(
            nodes.map { ($0.record.node, $0) }, uniquingKeysWith: { first, _ in first })
        var result: [ServiceHealthEntry] = []
        for service in services
        where Self.sameName(service.record.service, name) && service.record.hasTags(tags) {
            guard let node = nodesByName[service.record.node] else { continue }
            let entry = ServiceHealthEntry(
                node: node, service: service,
                checks: instanceChecks(node: node.record.node, serviceID: service.record.id))
            if passingOnly && !entry.isPassing { continue }
            result.append(entry)
        }
        return result
    }

    /// Healthy instances (no critical check), for DNS and confd.
    public func healthyEntries(name: String, tags: [String] = []) -> [ServiceHealthEntry] {
        serviceEntries(name: name, tags: tags).filter(\.isHealthy)
    }

    /// The node's checks and the checks of `serviceID` on it.
    public func instanceChecks(node: String, serviceID: String) -> [Revisioned<CatalogCheck>] {
        checks.filter { check in
            check.record.node == node
                && (check.record.serviceID.isEmpty || check.record.serviceID == serviceID)
        }
    }

    /// `/v1/health/checks/<service>`: the checks of every instance named `service`.
    public func serviceChecks(name: String) -> [Revisioned<CatalogCheck>] {
        checks.filter { !$0.record.serviceID.isEmpty && Self.sameName($0.record.serviceName, name) }
    }

    /// `/v1/health/node/<node>`: every check on the node, serfHealth included.
    public func nodeChecks(node: String) -> [Revisioned<CatalogCheck>] {
        checks.filter { Self.sameName($0.record.node, node) }
    }

    /// `/v1/health/state/<state>`.
    public func checks(state: HealthStateFilter) -> [Revisioned<CatalogCheck>] {
        checks.filter { state.matches($0.record.status) }
    }

    /// The aggregate status of one instance (Consul `AggregatedStatus`).
    public func instanceStatus(node: String, serviceID: String) -> HealthStatus {
        HealthStatus.aggregate(
            instanceChecks(node: node, serviceID: serviceID).map(\.record.status))
    }

    static func sameName(_ left: String, _ right: String) -> Bool {
        left.lowercased() == right.lowercased()
    }

    static func precedes(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    static func precedes(_ left: CatalogService, _ right: CatalogService) -> Bool {
        left.node != right.node ? precedes(left.node, right.node) : precedes(left.id, right.id)
    }
}
