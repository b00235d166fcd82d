import RoostClient

/// One Consul read a pass makes for its templates. Watch mode holds a blocking query on
/// the same path, so it wakes on exactly what the templates read (`ConfdChangeFeed`).
enum ConsulQuery: Hashable, Sendable, CustomStringConvertible {
    /// `/v1/catalog/services`, for `services` (and every name when one is unknown).
    case serviceList
    /// `/v1/health/service/<name>?passing`, for `service "name"` and `"tag.name"`.
    case health(service: String)
    /// `/v1/catalog/nodes`, for `nodes`.
    case nodes

    var path: String {
        switch self {
        case .serviceList: "/v1/catalog/services"
        case .health(let service): EtcdClient.serviceHealthPath(service, passingOnly: true)
        case .nodes: "/v1/catalog/nodes"
        }
    }

    var description: String { path }
}
