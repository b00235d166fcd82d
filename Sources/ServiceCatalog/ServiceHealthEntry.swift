/// One instance with its node and checks: an element of `/v1/health/service/<name>`
/// (Consul `structs.CheckServiceNode`).
public struct ServiceHealthEntry: Sendable, Equatable {
    public var node: Revisioned<CatalogNode>
    public var service: Revisioned<CatalogService>
    /// The node's checks (serfHealth included) and the instance's, sorted by check ID.
    public var checks: [Revisioned<CatalogCheck>]

    public init(
        node: Revisioned<CatalogNode>, service: Revisioned<CatalogService>,
        checks: [Revisioned<CatalogCheck>]
    ) {
        self.node = node
        self.service = service
        self.checks = checks
    }

    /// The worst check status: critical (maintenance counts as critical) > warning > passing.
    public var aggregateStatus: HealthStatus {
        HealthStatus.aggregate(checks.map(\.record.status))
    }

    /// Healthy for DNS and confd: no check is critical (warning still serves traffic).
    public var isHealthy: Bool { aggregateStatus.severity < HealthStatus.critical.severity }

    /// Every check passes (`?passing`: warning does not count).
    public var isPassing: Bool { checks.allSatisfy { $0.record.status == .passing } }
}
