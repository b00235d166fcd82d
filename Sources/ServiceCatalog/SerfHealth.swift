/// The node-level liveness check Consul's gossip layer maintains (`structs.SerfCheckID`).
/// Roost has no gossip: `HealthView` synthesises it from `_roost/alive/<node>`, because
/// sessions depend on it by default (reference/consul.md §13 item 8).
public enum SerfHealth {
    public static let checkID = "serfHealth"
    /// `structs.SerfCheckName`.
    public static let name = "Serf Health Status"
    /// `structs.SerfCheckAliveOutput`.
    public static let aliveOutput = "Agent alive and reachable"
    /// `structs.SerfCheckFailedOutput`.
    public static let failedOutput = "Agent not live or unreachable"

    /// The synthetic check of `node`.
    public static func check(node: String, alive: Bool) -> CatalogCheck {
        CatalogCheck(
            node: node, checkID: checkID, name: name, status: alive ? .passing : .critical,
            output: alive ? aliveOutput : failedOutput)
    }
}
