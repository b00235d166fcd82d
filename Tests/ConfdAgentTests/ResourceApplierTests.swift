#if canImport(Glibc)
    import Glibc
#endif
import Platform
import Testing

@testable import ConfdAgent

/// The apply sequence against real directories and real shell commands.
@Suite("Apply sequence: stage, compare, check, rename, reload (reference/confd.md §1.3)")
struct ResourceApplierTests {
    let directory: TemporaryDirectory
    let destination: String

    init() throws {
        directory = try TemporaryDirectory()
        destination = directory.path + "/app.conf"
    }

    /// A resource whose reload appends a line to `reloads` (so runs can be counted).
    private func resource(
        mode: UInt32? = nil, check: String? = nil, reload: String? = nil
    ) throws -> TemplateResource {
        TemplateResource(
            origin: "app.toml", source: "app.tmpl", destination: destination, mode: mode,
            checkCommand: try check.map { try CheckCommandTemplate($0) },
            reloadCommand: reload ?? "echo reload >> \(directory.path)/reloads")
    }

    private func apply(
        _ resource: TemplateResource, _ text: String, state: inout ResourceState,
        options: ApplyOptions = ApplyOptions()
    ) throws(ApplyError) -> ApplyReport {
        let runner = CommandRunner(timeoutNanoseconds: 5_000_000_000)
        return try ResourceApplier(options: options, commandRunner: runner)
            .apply(resource, rendered: Array(text.utf8), state: &state)
    }

    /// The error an apply throws, or nil if it succeeded.
    private func failure(
        _ resource: TemplateResource, _ text: String, state: inout ResourceState,
        runner: CommandRunner = CommandRunner(timeoutNanoseconds: 5_000_000_000)
    ) -> ApplyError? {
        do {
            _ = try ResourceApplier(commandRunner: runner)
                .apply(resource, rendered: Array(text.utf8), state: &state)
            return nil
        } catch {
            return error
        }
    }

    private func reloadCount() throws -> Int {
        (try directory.read("reloads") ?? "").split(separator: "\n").count
    }

    /// Files in the directory other than the destination and the test's own bookkeeping.
    private func strayFiles() throws -> [String] {
        try directory.names().filter { !["app.conf", "reloads", "checked", "ok"].contains($0) }
    }

    private func facts() throws -> FileFacts? {
        try FileFacts.of(path: destination)
    }

    @Test("a new destination without mode is written 0644, renamed atomically, then reloaded")
    func firstWrite() throws {
        var state = ResourceState()
        let report = try apply(try resource(), "hello\n", state: &state)
        #expect(report.outcome == .updated)
        #expect(report.differences == [.destinationMissing])
        #expect(try directory.read("app.conf") == "hello\n")
        #expect(try facts()?.mode == 0o644)
        #expect(try reloadCount() == 1)
        #expect(report.reloadResult?.succeeded == true)
        #expect(try strayFiles().isEmpty)
    }

    @Test("unchanged contents, mode and owner: same inode, stage removed, no reload (§1.5)")
    func unchanged() throws {
        var state = ResourceState()
        _ = try apply(try resource(), "same\n", state: &state)
        let before = try facts()
        let report = try apply(try resource(), "same\n", state: &state)
        #expect(report.outcome == .inSync)
        #expect(report.differences.isEmpty)
        #expect(try facts()?.inode == before?.inode)
        #expect(try reloadCount() == 1)
        #expect(try strayFiles().isEmpty)
    }

    @Test("a failing check_cmd keeps the old file (same inode) and reloads nothing")
    func checkFails() throws {
        var state = ResourceState()
        let check = "grep -q good {{.src}}"
        _ = try apply(try resource(check: check), "good v1\n", state: &state)
        let before = try facts()
        let error = failure(try resource(check: check), "bad v2\n", state: &state)
        guard case .checkFailed(let result)? = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(result.termination == .exited(code: 1))
        #expect(error?.description.hasPrefix("Config check failed") == true)
        #expect(try directory.read("app.conf") == "good v1\n")
        #expect(try facts()?.inode == before?.inode)
        #expect(try reloadCount() == 1)
        #expect(!state.reloadPending)
        #expect(try strayFiles().isEmpty)
    }

    @Test("check_cmd runs on the hidden stage file beside dest, before the rename (§1.4)")
    func checkSeesStage() throws {
        var state = ResourceState()
        let log = directory.path + "/checked"
        let check = "cp {{.src}} \(log) && echo {{.src}} >> \(log)"
        let report = try apply(try resource(check: check), "v1\n", state: &state)
        #expect(report.checkResult?.succeeded == true)
        let checked = try directory.read("checked") ?? ""
        #expect(checked.hasPrefix("v1\n\(directory.path)/.app.conf"))
        #expect(try directory.read("app.conf") == "v1\n")
    }

    @Test("a check past the timeout counts as failed; the destination stays")
    func checkTimeout() throws {
        var state = ResourceState()
        _ = try apply(try resource(), "old\n", state: &state)
        let error = failure(
            try resource(check: "sleep 5"), "new\n", state: &state,
            runner: CommandRunner(timeoutNanoseconds: 200_000_000))
        guard case .checkFailed(let result)? = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(result.termination == .timedOut)
        #expect(try directory.read("app.conf") == "old\n")
    }

    @Test("a failed reload is reported, keeps the new file, and is retried on the next apply")
    func reloadRetry() throws {
        var state = ResourceState()
        let reload = "test -e \(directory.path)/ok && echo reload >> \(directory.path)/reloads"
        let error = failure(try resource(reload: reload), "v1\n", state: &state)
        guard case .reloadFailed(let result, let differences)? = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(result.termination == .exited(code: 1))
        #expect(differences == [.destinationMissing])
        #expect(state.reloadPending)
        #expect(try directory.read("app.conf") == "v1\n")
        try directory.write("ok", "")
        let retried = try apply(try resource(reload: reload), "v1\n", state: &state)
        #expect(retried.outcome == .reloadRetried)
        #expect(!state.reloadPending)
        #expect(try reloadCount() == 1)
        let quiet = try apply(try resource(reload: reload), "v1\n", state: &state)
        #expect(quiet.outcome == .inSync)
        #expect(try reloadCount() == 1)
    }

    @Test("--noop renders and compares but writes, checks and reloads nothing")
    func noop() throws {
        var state = ResourceState(reloadPending: true)
        let options = ApplyOptions(noop: true)
        let report = try apply(try resource(check: "false"), "x\n", state: &state, options: options)
        #expect(report.outcome == .wouldUpdate)
        #expect(report.differences == [.destinationMissing])
        #expect(try facts() == nil)
        #expect(try reloadCount() == 0)
        #expect(try strayFiles().isEmpty)
    }

    @Test("--sync-only writes the file but runs neither check_cmd nor reload_cmd")
    func syncOnly() throws {
        var state = ResourceState()
        let report = try apply(
            try resource(check: "false"), "x\n", state: &state,
            options: ApplyOptions(syncOnly: true))
        #expect(report.outcome == .updated)
        #expect(report.checkResult == nil && report.reloadResult == nil)
        #expect(try directory.read("app.conf") == "x\n")
        #expect(try reloadCount() == 0)
    }

    @Test("--keep-stage-file leaves the stage when it does not replace dest")
    func keepStage() throws {
        var state = ResourceState()
        _ = try apply(try resource(), "k\n", state: &state)
        let report = try apply(
            try resource(), "k\n", state: &state, options: ApplyOptions(keepStageFile: true))
        let kept = try #require(report.keptStageFile)
        #expect(kept.hasPrefix(directory.path + "/.app.conf"))
        #expect(try directory.read(kept) == "k\n")
        #expect(try strayFiles().count == 1)
    }

    @Test("a manual chmod of dest means changed: rewrite and reload (§1.5)")
    func modeDrift() throws {
        var state = ResourceState()
        _ = try apply(try resource(mode: 0o640), "m\n", state: &state)
        #expect(try facts()?.mode == 0o640)
        _ = chmod(destination, 0o600)
        let report = try apply(try resource(mode: 0o640), "m\n", state: &state)
        #expect(report.differences == [.mode(existing: 0o600, wanted: 0o640)])
        #expect(try facts()?.mode == 0o640)
        #expect(try reloadCount() == 2)
    }

    @Test("without mode an existing destination keeps its mode")
    func existingModeKept() throws {
        try directory.write("app.conf", "old\n", mode: 0o600)
        var state = ResourceState()
        let report = try apply(try resource(), "new\n", state: &state)
        #expect(report.differences == [.content])
        #expect(try facts()?.mode == 0o600)
    }

    @Test("uid/gid set the owner, and an owner difference means changed (root only)")
    func ownership() throws {
        guard geteuid() == 0 else { return }
        var state = ResourceState()
        var owned = try resource()
        owned.userID = 1
        owned.groupID = 2
        _ = try apply(try resource(), "o\n", state: &state)
        let report = try apply(owned, "o\n", state: &state)
        #expect(report.differences == [
            .userID(existing: 0, wanted: 1), .groupID(existing: 0, wanted: 2),
        ])
        #expect(try facts()?.userID == 1)
        owned.mode = 0o4755
        _ = try apply(owned, "o\n", state: &state)
        #expect(try facts()?.mode == 0o4755, "chown after chmod would clear setuid")
    }

    @Test("a missing dest directory fails clearly (confd never creates it)")
    func missingDirectory() throws {
        var state = ResourceState()
        var lost = try resource()
        lost.destination = directory.path + "/missing/app.conf"
        let error = failure(lost, "", state: &state)
        #expect(
            error?.description.contains("never creates it") == true,
            "\(String(describing: error))")
    }

    @Test("a destination that is a directory is refused")
    func destinationDirectory() throws {
        var state = ResourceState()
        var odd = try resource()
        odd.destination = directory.path
        #expect(throws: ApplyError.destinationNotRegularFile(path: directory.path)) {
            try ResourceApplier().apply(odd, rendered: [], state: &state)
        }
    }

    @Test("rendered output of renderedBytesMax is written; one byte more is refused")
    func renderedLimit() throws {
        var state = ResourceState()
        let limit = ResourceApplier.renderedBytesMax
        let report = try ResourceApplier().apply(
            try resource(), rendered: [UInt8](repeating: 0x61, count: limit), state: &state)
        #expect(report.outcome == .updated)
        #expect(try facts()?.sizeBytes == limit)
        #expect(throws: ApplyError.renderedTooLarge(bytes: limit + 1)) {
            try ResourceApplier().apply(
                try resource(), rendered: [UInt8](repeating: 0x61, count: limit + 1), state: &state)
        }
    }

    @Test("files longer than one compare chunk compare equal, and differ in the last byte")
    func multiChunkCompare() throws {
        var state = ResourceState()
        let length = ResourceApplier.compareChunkBytes * 2 + 1
        var bytes = [UInt8](repeating: 0x62, count: length)
        let applier = ResourceApplier()
        _ = try applier.apply(try resource(), rendered: bytes, state: &state)
        #expect(try applier.apply(try resource(), rendered: bytes, state: &state).outcome
            == .inSync)
        bytes[length - 1] = 0x63
        #expect(try applier.apply(try resource(), rendered: bytes, state: &state).differences
            == [.content])
    }

    @Test("a same-size change in the last byte is detected")
    func lastByteDiffers() throws {
        var state = ResourceState()
        _ = try apply(try resource(), "abcd", state: &state)
        let report = try apply(try resource(), "abce", state: &state)
        #expect(report.differences == [.content])
        #expect(try directory.read("app.conf") == "abce")
    }
}
