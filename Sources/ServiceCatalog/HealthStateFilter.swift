/// The `<state>` of `/v1/health/state/<state>`.
public enum HealthStateFilter: String, Sendable, Equatable, CaseIterable {
    case any
    case passing
    case warning
    case critical

    /// Parses the path segment; anything else is Consul's 400.
    public init(pathSegment: String) throws(CatalogError) {
        guard let state = HealthStateFilter(rawValue: pathSegment) else {
            throw .badRequest("Invalid state: '\(pathSegment)'")
        }
        self = state
    }

    func matches(_ status: HealthStatus) -> Bool {
        switch self {
        case .any: true
        case .passing: status == .passing
        case .warning: status == .warning
        case .critical: status == .critical || status == .maintenance
        }
    }
}
