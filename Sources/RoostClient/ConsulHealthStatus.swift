/// A Consul check status (reference/consul.md §5). Ordered from best to worst, so the
/// status of an instance is the `max` of its checks' statuses.
public enum ConsulHealthStatus: String, Sendable, Equatable, Comparable, CaseIterable {
    case passing
    case warning
    case critical

    /// Consul's aggregation (`structs.HealthChecks.AggregatedStatus`): the worst status
    /// of the checks, and passing when there are none.
    public static func aggregate(_ statuses: some Sequence<ConsulHealthStatus>) -> Self {
        statuses.max() ?? .passing
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .passing: 0
        case .warning: 1
        case .critical: 2
        }
    }
}
