/// Hard limits of the simulator, so that a pathological seed cannot make a run allocate
/// without bound.
public enum SimulationLimits {
    /// Raft messages in flight in the simulated network. A real path has finite buffers
    /// (TigerBeetle's `path_maximum_capacity`); beyond this a send is dropped, which Raft
    /// must survive like any loss.
    public static let inFlightMessagesMax = 20_000
    /// Client requests and replies in flight between clients and nodes; beyond it they drop.
    public static let inFlightClientMessagesMax = 4_096
    /// Events kept for the readable trace printed with a violation (the last K).
    public static let traceEventsMax = 100_000
    /// Nodes that may ever exist in one run (initial voters plus nodes added by membership
    /// changes); ids are never reused (etcd forbids re-adding a removed id).
    public static let nodesEverMax = 16
    /// Simulated clients of one run.
    public static let clientsMax = 16
    /// Violations recorded for one run; the first one matters, the rest are context.
    public static let violationsMax = 20
    /// Ticks of one run, so a typo on the command line cannot run for hours.
    public static let ticksMax = 10_000_000
}
