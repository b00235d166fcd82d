/// A check's status (Consul `api.HealthPassing` … `api.HealthMaint`).
///
/// Only passing, warning and critical are ever stored; `maintenance` exists in Consul's
/// aggregated agent views and counts as critical everywhere health is computed.
public enum HealthStatus: String, Sendable, Equatable, Hashable, CaseIterable {
    case passing
    case warning
    case critical
    case maintenance

    /// Ordering for aggregation: critical (and maintenance) beat warning beat passing.
    var severity: Int {
        switch self {
        case .passing: 0
        case .warning: 1
        case .critical, .maintenance: 2
        }
    }

    /// The statuses a client may set on a check (`structs.ValidStatus`).
    public static func storable(_ text: String) -> HealthStatus? {
        switch text {
        case "passing": .passing
        case "warning": .warning
        case "critical": .critical
        default: nil
        }
    }

    /// The worst of `statuses` (Consul `AggregatedStatus`); passing for none.
    public static func aggregate(_ statuses: some Sequence<HealthStatus>) -> HealthStatus {
        var worst = HealthStatus.passing
        for status in statuses {
            if status == .maintenance { return .maintenance }
            if status.severity > worst.severity { worst = status }
        }
        return worst
    }
}
