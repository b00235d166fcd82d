import Platform

#if canImport(Glibc)
    import Glibc
#endif

/// Applies one rendered resource to disk, in confd's order (reference/confd.md §1.3, §7.3):
/// stage file beside `dest` → chmod/chown → compare with `dest` (contents, mode, owner) →
/// if unchanged, drop the stage and stop → `check_cmd` on the stage → fsync + rename +
/// directory fsync → `reload_cmd`. The decisions are `ApplyPlan.decide` and
/// `FileDifference.between`; this type only does the I/O around them.
///
/// Blocking (disk and commands): run it on the agent's own threads.
public struct ResourceApplier: Sendable {
    /// Largest rendered file accepted. Config files are kilobytes; 16 MiB stops a runaway
    /// template (a `range` over a huge value) from filling the disk next to `dest`.
    public static let renderedBytesMax = 16 << 20
    /// The mode of a destination written for the first time without `mode` (confd
    /// `setFileMode`).
    public static let defaultMode: UInt32 = 0o644

    public var options: ApplyOptions
    public var commandRunner: CommandRunner

    public init(
        options: ApplyOptions = ApplyOptions(), commandRunner: CommandRunner = CommandRunner()
    ) {
        self.options = options
        self.commandRunner = commandRunner
    }

    /// The mode the stage gets: `mode` if set, else the existing destination's, else 0644.
    public static func wantedMode(configured: UInt32?, existing: FileFacts?) -> UInt32 {
        configured ?? existing?.mode ?? defaultMode
    }

    /// Applies `rendered` as the new contents of `resource.destination`.
    public func apply(
        _ resource: TemplateResource, rendered: [UInt8], state: inout ResourceState
    )
        throws(ApplyError) -> ApplyReport
    {
        guard rendered.count <= Self.renderedBytesMax else {
            throw .renderedTooLarge(bytes: rendered.count)
        }
        let destination = resource.destination
        let existing = try fileOperation("stat", destination) { () throws(Errno) in
            try FileFacts.of(path: destination)
        }
        if let existing, !existing.isRegularFile {
            throw .destinationNotRegularFile(path: destination)
        }
        let stage = try StageFile.create(
            beside: destination, contents: rendered,
            mode: Self.wantedMode(configured: resource.mode, existing: existing),
            userID: resource.userID ?? geteuid(), groupID: resource.groupID ?? getegid())
        var report = ApplyReport(
            outcome: .inSync, destination: destination, differences: [], checkResult: nil,
            reloadResult: nil, keptStageFile: nil, replacedInPlace: false,
            warnings: stage.warnings)
        var replaced = false
        defer {
            if !replaced && !options.keepStageFile { try? File.removeIfPresent(stage.path) }
        }
        if options.keepStageFile { report.keptStageFile = stage.path }
        let equal =
            try existing.map { (facts) throws(ApplyError) in
                try contentsEqual(destination, facts, rendered)
            } ?? false
        report.differences = FileDifference.between(
            stage: stage.facts, destination: existing, contentsEqual: equal)
        let plan = ApplyPlan.decide(
            changed: !report.differences.isEmpty, state: state, options: options,
            hasCheck: resource.checkCommand != nil, hasReload: resource.reloadCommand != nil)
        if options.noop {
            report.outcome = report.differences.isEmpty ? .inSync : .wouldUpdate
            return report
        }
        if plan.runCheck, let check = resource.checkCommand {
            let command = check.command(stagePath: stage.path, destinationPath: destination)
            let result = try run(command, step: "check_cmd")
            report.checkResult = result
            guard result.succeeded else { throw .checkFailed(result) }
        }
        if plan.replaceDestination {
            report.replacedInPlace = try replace(destination, with: stage, rendered: rendered)
            replaced = true
            report.keptStageFile = nil
            report.outcome = .updated
        }
        if plan.runReload, let reload = resource.reloadCommand {
            try runReload(reload, report: &report, state: &state, retry: !plan.replaceDestination)
        }
        return report
    }

    private func runReload(
        _ command: String, report: inout ApplyReport, state: inout ResourceState, retry: Bool
    ) throws(ApplyError) {
        let result: CommandResult
        do {
            result = try run(command, step: "reload_cmd")
        } catch {
            state.reloadPending = true
            throw error
        }
        report.reloadResult = result
        guard result.succeeded else {
            state.reloadPending = true
            throw .reloadFailed(result, differences: report.differences)
        }
        state.reloadPending = false
        if retry { report.outcome = .reloadRetried }
    }

    private func run(_ command: String, step: String) throws(ApplyError) -> CommandResult {
        do {
            return try commandRunner.run(command)
        } catch {
            throw .command(step: step, error)
        }
    }
}
