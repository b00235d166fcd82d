/// Bounds on sessions. Consul has none of its own beyond the TTL and lock-delay ranges
/// (`SessionDefinition`); these keep one client from making every later session read and
/// every sweep of the leader's agent expensive.
public enum SessionLimits {
    /// Sessions one node may hold. The leader's agent re-examines every session on every pass
    /// and every session read lists them all; real uses hold a few per process (a lock, a
    /// leader election), so 1,024 per node only stops a create loop that never destroys.
    public static let sessionsPerNodeMax = 1024
    /// Checks one session may depend on (NodeChecks plus ServiceChecks); each is looked up on
    /// every pass of the leader's agent.
    public static let checksPerSessionMax = SessionDefinition.checksMax
    /// Bytes of a session's Name: the catalog's bound on any name field, as Consul has none.
    public static let nameBytesMax = CatalogLimits.fieldBytesMax
}
