/// The pure decision of an apply: which steps run, given whether the stage differs from
/// the destination (confd `sync()`, resource.go; reference/confd.md §1.3).
public struct ApplyPlan: Sendable, Equatable {
    public var runCheck: Bool
    public var replaceDestination: Bool
    public var runReload: Bool

    public init(runCheck: Bool, replaceDestination: Bool, runReload: Bool) {
        self.runCheck = runCheck
        self.replaceDestination = replaceDestination
        self.runReload = runReload
    }

    public static func decide(
        changed: Bool, state: ResourceState, options: ApplyOptions, hasCheck: Bool,
        hasReload: Bool
    ) -> ApplyPlan {
        if options.noop {
            return ApplyPlan(runCheck: false, replaceDestination: false, runReload: false)
        }
        let commands = !options.syncOnly
        if changed {
            return ApplyPlan(
                runCheck: commands && hasCheck, replaceDestination: true,
                runReload: commands && hasReload)
        }
        return ApplyPlan(
            runCheck: false, replaceDestination: false,
            runReload: commands && hasReload && state.reloadPending)
    }
}
