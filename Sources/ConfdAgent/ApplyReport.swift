/// What an apply did.
public struct ApplyReport: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Destination already matched (contents, mode, owner): nothing written or run.
        case inSync
        /// `--noop`: the destination differs and would have been replaced.
        case wouldUpdate
        /// The destination was replaced (and reloaded, unless `--sync-only` or no reload_cmd).
        case updated
        /// Nothing changed, but a reload that failed earlier was run again and succeeded.
        case reloadRetried
    }

    public var outcome: Outcome
    public var destination: String
    public var differences: [FileDifference]
    public var checkResult: CommandResult?
    public var reloadResult: CommandResult?
    /// The stage file left in place (`--keep-stage-file`), if any.
    public var keptStageFile: String?
    /// The rename failed with EBUSY (a bind-mounted file) and the destination was
    /// rewritten in place instead: not atomic (confd does the same).
    public var replacedInPlace: Bool
    /// Non-fatal problems, e.g. chown not permitted.
    public var warnings: [String]
}
