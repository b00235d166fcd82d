/// Whether a session's node and checks allow it to exist (pure). Creation refuses a session
/// that fails these rules (Consul `sessionCreateTxn`, `validateSessionChecksTxn`); the leader's
/// agent invalidates a live session that comes to fail them, as Consul does when a node is
/// deregistered or a check is deregistered or goes critical (reference/consul.md §6.2).
///
/// Node names and check IDs compare case-insensitively, as Consul's lowercase memdb indexes
/// do. Every check, a service check included, is looked up on the session's own node.
public enum SessionValidity {
    /// The first rule `node` and `checkIDs` break in `health`, as Consul's 500 text; nil
    /// when the session may live.
    public static func problem(
        node: String, checkIDs: [String], health: HealthView
    ) -> CatalogError? {
        guard health.nodes.contains(where: { HealthView.sameName($0.record.node, node) }) else {
            return .serverError("Missing node registration")
        }
        for checkID in checkIDs {
            let found = health.checks.first { check in
                HealthView.sameName(check.record.node, node)
                    && HealthView.sameName(check.record.checkID, checkID)
            }
            guard let check = found else {
                return .serverError("Missing check '\(checkID)' registration")
            }
            if check.record.status == .critical || check.record.status == .maintenance {
                return .serverError("Check '\(checkID)' is in critical state")
            }
        }
        return nil
    }

    /// The check IDs a session depends on: node checks, then service checks.
    public static func checkIDs(of session: CatalogSession) -> [String] {
        session.nodeChecks + session.serviceChecks
    }

    /// Creation's rules: the node and checks, then the per-node bound
    /// (`SessionLimits.sessionsPerNodeMax`) given how many sessions the node holds now.
    public static func admit(
        _ definition: SessionDefinition, health: HealthView, sessionsOnNode: Int
    ) throws(CatalogError) {
        if let problem = problem(
            node: definition.node,
            checkIDs: definition.nodeChecks + definition.serviceChecks, health: health)
        {
            throw problem
        }
        guard sessionsOnNode < SessionLimits.sessionsPerNodeMax else {
            throw .serverError(
                "Node '\(definition.node)' already holds \(SessionLimits.sessionsPerNodeMax) "
                    + "sessions; destroy some before creating more")
        }
    }
}
