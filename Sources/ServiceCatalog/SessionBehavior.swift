/// What invalidating a session does to the locks it holds (Consul `SessionBehavior`).
public enum SessionBehavior: String, Sendable, Equatable {
    /// The held keys are unlocked.
    case release
    /// The held keys are deleted (ephemeral keys).
    case delete
}
