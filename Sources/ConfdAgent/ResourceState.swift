/// What the agent remembers about one resource between applies.
public struct ResourceState: Sendable, Equatable {
    /// The destination was replaced but `reload_cmd` failed: run it again on the next apply
    /// even if nothing changed, so the service does not stay on the old config unnoticed.
    public var reloadPending: Bool

    public init(reloadPending: Bool = false) {
        self.reloadPending = reloadPending
    }
}
