/// Options that change what an apply does (confd's `-noop`, `-sync-only`,
/// `-keep-stage-file`; reference/confd.md §1.3 and §2.1).
public struct ApplyOptions: Sendable, Equatable {
    /// Render and compare, never write, check or reload.
    public var noop: Bool
    /// Write, but run neither `check_cmd` nor `reload_cmd`.
    public var syncOnly: Bool
    /// Leave the stage file in place when it does not replace the destination.
    public var keepStageFile: Bool

    public init(noop: Bool = false, syncOnly: Bool = false, keepStageFile: Bool = false) {
        self.noop = noop
        self.syncOnly = syncOnly
        self.keepStageFile = keepStageFile
    }
}
